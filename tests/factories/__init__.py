"""Factories for the tests, one module per area, shared with the demo app where a state is
reached through the services (dxgrant/demo/builders.py):

- accounts: UserFactory, PASSWORD, TOTP_SECRET, signed_in, enrol_totp, totp_now
- public: InquiryFactory
- rounds: open_round (open, closed or not yet open; always with the programme's rules)
- advisors: AdvisorFirmFactory with its traits, certified_firm, draft/complete/submitted_firm,
  add_advisor, advisor_of, firm_admin
- support: EngagementFactory (invited, active, ended), engagement_for, hearing_for, session_for
- applications: drafting, make_application, fill_application, complete, make_version

The names nearly every test uses are importable from here; import the rest from its module.
"""

from .accounts import PASSWORD, TOTP_SECRET, UserFactory
from .public import InquiryFactory

__all__ = ["PASSWORD", "TOTP_SECRET", "InquiryFactory", "UserFactory"]

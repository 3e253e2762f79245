"""Writes on applications, one module per use case. Callers import the module they need
(`from dxgrant.applications.services import submission`); nothing is re-exported here but
the temporary block below.

- creation: the engagement's application, created once (ensure_application)
- duplicates: one live application per company per round (company_key, DuplicateApplication,
  record_refusal, live_application_exists)
- transitions: firing a workflow transition (actor, state, guards, audit)
- profile, plan, budget, documents, disclosure, declarations: writing the application
- submission: marking it ready, reopening, submitting, withdrawing
- screening: the secretariat's acts (begin screening, return for correction)
"""

# TEMPORARY, until the lead merges the branches: the support app still imports these names from
# the old flat module `dxgrant.applications.services` (support/services.py, support/views.py).
# Delete this block when it imports `services.duplicates`, `services.creation` and
# `services.transitions` instead.
from .creation import ensure_application as ensure_application
from .duplicates import DuplicateApplication as DuplicateApplication
from .duplicates import company_key as company_key
from .duplicates import live_application_exists as live_application_exists
from .duplicates import record_refusal as record_refusal
from .transitions import transition as transition

"""The roles people hold, and the groups of roles the rules speak of. The only place they are
defined: policies in every app ask these, never a list of their own."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申請者")
    ADVISOR = "advisor", _("認定アドバイザー")
    REVIEWER = "reviewer", _("審査員")
    SECRETARIAT = "secretariat", _("事務局")
    FINANCE = "finance", _("経理担当")
    AUDITOR = "auditor", _("監査担当")


# Roles whose accounts cannot be used without a second factor: the association's people, and
# advisors, who handle their clients' financial documents. Every page but enrolment and sign-in
# asks for a session that passed it (middleware.RequireMFAMiddleware).
MFA_REQUIRED_ROLES = frozenset({Role.SECRETARIAT, Role.FINANCE, Role.REVIEWER, Role.AUDITOR, Role.ADVISOR})
# Roles whose sessions end after a working day and after an idle period, whatever "stay signed
# in" says (settings DXGRANT_STAFF_SESSION_HOURS and DXGRANT_STAFF_SESSION_IDLE_MINUTES).
SHORT_SESSION_ROLES = frozenset({Role.SECRETARIAT, Role.FINANCE, Role.REVIEWER, Role.AUDITOR})
# Roles that work inside the association.
STAFF_ROLES = frozenset({Role.SECRETARIAT, Role.FINANCE, Role.AUDITOR})
# Staff who read every application, firm, engagement and inquiry: the secretariat acts, the
# auditor reads only.
STAFF_READERS = frozenset({Role.SECRETARIAT, Role.AUDITOR})
# Accounts that belong to the association or to an advisor firm: never an applicant company's
# person (an invitation to one of these addresses is refused).
NON_APPLICANT_ROLES = frozenset(set(Role) - {Role.APPLICANT})

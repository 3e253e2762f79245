"""Who may do what with surveys. Every `can_*` returns a Decision.

The secretariat builds and sends surveys; staff readers (secretariat, auditors) follow them and
export the answers. An invitation is answered by the applicant's own people of that application
only: never an advisor, never staff (they may see the application, not answer for the company)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dxgrant.accounts.models import Visitor
from dxgrant.applications.policies import Side, side_of
from dxgrant.core.decisions import Decision

from .models import Survey, SurveyInvitation


def can_edit_survey(survey: Survey) -> Decision:
    if not survey.is_draft:
        return Decision.deny(_("送付済みの調査は変更できません（回答が質問を参照しているため）。"))
    return Decision.allow()


def can_answer(user: Visitor, invitation: SurveyInvitation, side: Side | None = None) -> Decision:
    """The applicant's people of the invited application, until they submit."""
    side = side or side_of(user, invitation.application)
    if not side.is_applicant:
        return Decision.deny(_("調査への回答は、申請者ご本人のみが行えます。"))
    if invitation.submitted_at is not None:
        return Decision.deny(_("この調査は提出済みです。提出後は変更できません。"))
    return Decision.allow()

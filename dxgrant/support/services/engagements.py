"""Starting to support an applicant company (伴走支援の開始)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.advisors.models import AdvisorFirm, FirmMembership
from dxgrant.advisors.policies import active_membership
from dxgrant.applications.services.duplicates import (
    DuplicateApplication,
    company_key,
    live_application_exists,
)
from dxgrant.integrity.services import audit_record
from dxgrant.japan import corporate_number as corporate_numbers
from dxgrant.programs.models import Round

from .. import policies, selectors
from ..models import Engagement, EngagementRole, EngagementStatus
from .invitations import ALREADY_SUPPORTED, address_problem, create_invitation


class RepeatInvitation(ValidationError):
    """The company (by 法人番号) was already invited in the round, by this firm or another.

    A warning, not a refusal: the advisor sends the invitation once they confirm it is meant
    (`repeat_confirmed`). `earlier` is how many times the company was invited before."""

    def __init__(self, *, number: str, earlier: int) -> None:
        super().__init__(
            _(
                "法人番号 %(number)s の会社は、この公募回ですでに%(n)s回招待されています"
                "（ほかの認定事業者からの招待を含みます）。同じ会社を重ねて招待していないか確かめ、"
                "招待する場合は「同じ法人番号の会社への招待であることを確認しました」にチェックを入れて"
                "もう一度送ってください。"
            )
            % {"number": number, "n": earlier},
            code="repeat_invitation",
        )
        self.earlier = earlier


def _refuse_the_firm_itself(firm: AdvisorFirm, number: str, email: str) -> None:
    """A firm cannot be its own client: not by its own 法人番号, not with one of its own people
    as the company's representative."""
    if number and number == firm.corporate_number:
        raise ValidationError(
            {
                "corporate_number": ValidationError(
                    _(
                        "%(number)s は自社（%(firm)s）の法人番号です。自社を支援先として招待することはできません。"
                    )
                    % {"number": number, "firm": firm.name},
                    code="own_firm",
                )
            }
        )
    if FirmMembership.objects.filter(firm=firm, user__email__iexact=email.strip()).exists():
        raise ValidationError(
            {
                "representative_email": ValidationError(
                    _(
                        "%(email)s はあなたの認定事業者のメンバーのメールアドレスです。認定事業者のメンバーを"
                        "支援先の代表者として招待することはできません。"
                    )
                    % {"email": email.strip().lower()},
                    code="own_firm_member",
                )
            }
        )


@transaction.atomic
def start_engagement(
    *,
    actor: User,
    round: Round,
    company_name: str,
    corporate_number: str = "",
    representative_name: str,
    representative_email: str,
    submission_token: uuid.UUID | None = None,
    repeat_confirmed: bool = False,
) -> Engagement:
    """Start supporting an applicant company and invite its representative.

    Callers: an advisor whose firm is in good standing and who passed the advisor course
    (`can_start_engagement`). Refused: a round that is not open or not of the firm's programme;
    an invalid 法人番号; a company (by 法人番号) that accepted another firm's support in that
    round, or (by 法人番号 or name) already applying in it, with DuplicateApplication, which the
    caller records for the secretariat (`record_refusal`); the firm's own 法人番号, or one of the
    firm's people as the representative; the address of a staff, reviewer, finance, auditor or
    advisor account. Several firms may invite the same company: only the invitation it accepts
    counts (see `invitations._accept`), but a 法人番号 already invited in the round raises
    RepeatInvitation (a warning) unless `repeat_confirmed`; the secretariat's list shows the
    repeats. The same `submission_token` twice returns the engagement made the first time.
    """
    policies.can_start_engagement(actor).require()
    if submission_token is not None:
        existing = Engagement.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    membership = active_membership(actor)
    assert membership is not None  # can_start_engagement checked it
    if round.programme_id != membership.firm.programme_id or round.pk not in {
        r.pk for r in selectors.rounds_open_for(actor)
    }:
        raise ValidationError(_("この公募回は申請を受け付けていません。"), code="round_not_open")
    number = corporate_numbers.normalize(corporate_number or "")
    if number and not corporate_numbers.is_valid(number):
        raise ValidationError(_("法人番号が正しくありません（13桁・チェックディジットを確認してください）。"))
    _refuse_the_firm_itself(membership.firm, number, representative_email)
    problem = address_problem(representative_email)
    if problem:
        raise ValidationError(
            {"representative_email": ValidationError(problem, code="not_an_applicant_address")}
        )
    engagement = Engagement(
        firm=membership.firm,
        round=round,
        lead_advisor=actor,
        company_name=company_name.strip(),
        corporate_number=number,
        status=EngagementStatus.INVITED,
        submission_token=submission_token,
    )
    engagement.full_clean(exclude=["firm", "round", "lead_advisor"], validate_constraints=False)
    key = company_key(corporate_number=number, company_name=engagement.company_name)
    attempt: dict[str, Any] = {
        "round_id": round.pk,
        "company_key": key,
        "firm_id": membership.firm_id,
        "actor": actor,
    }
    if live_application_exists(round_id=round.pk, key=key):
        raise DuplicateApplication(**attempt)
    if (
        number
        and Engagement.objects.filter(
            round=round, corporate_number=number, status=EngagementStatus.ACTIVE
        ).exists()
    ):
        raise DuplicateApplication(**attempt, message=str(ALREADY_SUPPORTED))
    earlier = Engagement.objects.filter(round=round, corporate_number=number).count() if number else 0
    if earlier and not repeat_confirmed:
        raise RepeatInvitation(number=number, earlier=earlier)
    engagement.save()
    audit_record(
        actor=actor,
        action="support.engagement_started",
        obj=engagement,
        changes={
            "firm": membership.firm_id,
            "round": round.code,
            "company_name": engagement.company_name,
            "corporate_number": number,
            **({"earlier_invitations": earlier} if earlier else {}),
        },
    )
    create_invitation(
        actor=actor,
        engagement=engagement,
        name=representative_name,
        email=representative_email,
        role=EngagementRole.REPRESENTATIVE,
    )
    return engagement

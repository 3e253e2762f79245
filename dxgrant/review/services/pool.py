"""The reviewer pool of a round: the secretariat adds reviewers (existing accounts with the
reviewer role; people without an account are invited, services/invitations.py), and each
reviewer accepts the round's confidentiality terms once before seeing any assignment."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.accounts.roles import Role
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.integrity.services import audit_record
from dxgrant.japan import corporate_number
from dxgrant.programs.models import Round

from .. import policies, selectors, tasks
from ..models import ReviewerMembership


@transaction.atomic
def add_reviewer(
    *,
    actor: User,
    round_obj: Round,
    email: str,
    organisation: str = "",
    organisation_corporate_number: str = "",
) -> ReviewerMembership:
    """Add the reviewer with this address to the round's pool and email them.

    Callers: the secretariat. Refused: an address without an account (staff accounts are created
    by an administrator); an account of another role; a reviewer already in the pool; a 法人番号
    that is not 13 digits with a valid check digit. Errors are keyed to the form's fields."""
    policies.can_act_as_secretariat(actor).require()
    address = email.strip().lower()
    user = User.objects.filter(email__iexact=address).first()
    if user is None:
        raise ValidationError(
            {
                "email": _(
                    "%(email)s のアカウントはありません。審査員のアカウントを管理者が作成してから、"
                    "もう一度追加してください。"
                )
                % {"email": address}
            }
        )
    return add_account(
        actor=actor,
        round_obj=round_obj,
        user=user,
        organisation=organisation,
        organisation_corporate_number=organisation_corporate_number,
    )


def checked_corporate_number(raw: str) -> str:
    """The organisation's 法人番号 normalised, "" when not given; refused (keyed to the form's
    field) when it is not 13 digits with a valid check digit."""
    number = corporate_number.normalize(raw or "")
    if number and not corporate_number.is_valid(number):
        raise ValidationError(
            {
                "organisation_corporate_number": _(
                    "所属先の法人番号は13桁の数字で入力してください（チェックデジットが一致しません）。"
                )
            }
        )
    return number


@transaction.atomic
def add_account(
    *,
    actor: User,
    round_obj: Round,
    user: User,
    organisation: str = "",
    organisation_corporate_number: str = "",
) -> ReviewerMembership:
    """Add this existing account to the round's pool and email them (`add_reviewer` once the
    account is found; `invitations.invite_reviewer` for an address that has one).

    Callers: the secretariat. Refused: an account of another role (never given the reviewer
    role); a reviewer already in the pool; a bad 法人番号."""
    policies.can_act_as_secretariat(actor).require()
    address = user.email
    if user.role != Role.REVIEWER:
        raise ValidationError(
            {
                "email": _(
                    "%(email)s は審査員のアカウントではありません（%(role)s）。"
                    "審査員の役割を持つアカウントのみを追加できます。"
                )
                % {"email": address, "role": user.get_role_display()}
            }
        )
    number = checked_corporate_number(organisation_corporate_number)
    if ReviewerMembership.objects.filter(round=round_obj, reviewer=user).exists():
        raise ValidationError({"email": _("%(email)s はすでにこの公募回の審査員です。") % {"email": address}})
    membership = ReviewerMembership.objects.create(
        round=round_obj,
        reviewer=user,
        organisation=organisation.strip(),
        organisation_corporate_number=number,
        added_by=actor,
    )
    audit_record(
        actor=actor,
        action="review.reviewer_added",
        obj=membership,
        changes={"round": round_obj.code, "reviewer": user.email, "organisation": membership.organisation},
    )
    enqueue_on_commit(tasks.send_pool_invitation, membership.pk)
    return membership


@transaction.atomic
def accept_terms(*, actor: User, round_obj: Round, terms_sha256: str) -> ReviewerMembership:
    """Record that the reviewer accepted the round's confidentiality terms as shown to them.

    Callers: a reviewer in the round's pool. Refused: anyone else; terms that changed since the
    page was opened (the posted SHA-256 differs: they must read the new text). Accepting twice
    keeps the first acceptance."""
    policies.can_use_reviewer_pages(actor).require()
    membership = (
        ReviewerMembership.objects.select_for_update()
        .filter(round=round_obj, reviewer=actor, active=True)
        .first()
    )
    if membership is None:
        raise ValidationError(_("この公募回の審査員ではありません。"))
    if membership.terms_accepted_at is not None:
        return membership
    current = selectors.terms_sha256(round_obj)
    if terms_sha256 != current:
        raise ValidationError(
            _("守秘義務の内容が更新されました。表示されている最新の内容を読んでから同意してください。"),
            code="terms_changed",
        )
    membership.terms_accepted_at = timezone.now()
    membership.terms_sha256 = current
    membership.save(update_fields=["terms_accepted_at", "terms_sha256"])
    audit_record(
        actor=actor,
        action="review.terms_accepted",
        obj=membership,
        changes={"round": round_obj.code, "terms_sha256": current},
    )
    return membership

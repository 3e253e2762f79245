"""Invitations of people without an account to a round's reviewer pool: the secretariat invites
(an address that already has a reviewer account is simply added to the pool), resends and
revokes; the invited person accepts by the emailed link, creating their reviewer account.

Only the hash of a link's token is stored; the token is derived from the secret key and the
invitation's nonce (`ReviewerInvitation.link_token`), so the email task rebuilds the link from
the id. Resending draws a new nonce: the old link stops working at once. After accepting, the
new reviewer enrols their second factor before any page (accounts.middleware) and then meets
the round's confidentiality terms.
"""

from __future__ import annotations

import datetime as dt
import secrets

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.accounts.roles import Role
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.core.tokens import hash_token
from dxgrant.integrity.services import audit_record
from dxgrant.programs.models import Round

from .. import policies, selectors, tasks
from ..models import ReviewerInvitation, ReviewerMembership
from . import pool

# How long a link lasts from the moment it is (re)sent.
INVITATION_VALID_FOR = dt.timedelta(days=7)
# A second "resend" within this time is the same click twice: it sends nothing new.
RESEND_QUIET_PERIOD = dt.timedelta(seconds=60)


def _issue_link(invitation: ReviewerInvitation) -> None:
    invitation.token_nonce = secrets.token_hex(16)
    invitation.token_hash = hash_token(invitation.link_token())
    invitation.issued_at = timezone.now()
    invitation.expires_at = invitation.issued_at + INVITATION_VALID_FOR
    # A new link is a new email: the task claims this column when it sends.
    invitation.sent_at = None


@transaction.atomic
def invite_reviewer(
    *,
    actor: User,
    round_obj: Round,
    email: str,
    name: str = "",
    organisation: str = "",
    organisation_corporate_number: str = "",
) -> ReviewerMembership | ReviewerInvitation:
    """Bring a person into the round's reviewer pool: an address with a reviewer account is added
    at once and emailed (`pool.add_account`, a ReviewerMembership); an address without an account
    gets an invitation (a ReviewerInvitation) and an email with its link.

    Callers: the secretariat. Refused, changing nothing (errors keyed to the form's fields): an
    address of an account of another role (advisor, applicant, staff: never given the reviewer
    role); a reviewer already in the pool; an address already holding an open invitation to the
    round (resend it instead); an invitation without a name; a bad 法人番号."""
    policies.can_act_as_secretariat(actor).require()
    address = email.strip().lower()
    user = User.objects.filter(email__iexact=address).first()
    if user is not None:
        return pool.add_account(
            actor=actor,
            round_obj=round_obj,
            user=user,
            organisation=organisation,
            organisation_corporate_number=organisation_corporate_number,
        )
    number = pool.checked_corporate_number(organisation_corporate_number)
    if not name.strip():
        raise ValidationError(
            {
                "name": _("%(email)s のアカウントはまだありません。招待するには氏名を入力してください。")
                % {"email": address}
            }
        )
    if ReviewerInvitation.objects.filter(
        round=round_obj, email=address, accepted_at__isnull=True, revoked_at__isnull=True
    ).exists():
        raise ValidationError(
            {
                "email": _(
                    "%(email)s にはこの公募回の審査員への招待をすでに送っています。"
                    "届いていない場合は、招待の一覧から再送してください。"
                )
                % {"email": address}
            }
        )
    invitation = ReviewerInvitation(
        round=round_obj,
        email=address,
        name=name.strip(),
        organisation=organisation.strip(),
        organisation_corporate_number=number,
        invited_by=actor,
    )
    _issue_link(invitation)
    # The fields' own rules (address, lengths); the token's uniqueness and the one open
    # invitation per address are the database's constraints (and the query above).
    invitation.full_clean(exclude=["round", "invited_by"], validate_unique=False, validate_constraints=False)
    invitation.save()
    audit_record(
        actor=actor,
        action="review.invitation_created",
        obj=invitation,
        changes={"round": round_obj.code, "email": address, "organisation": invitation.organisation},
    )
    enqueue_on_commit(tasks.send_reviewer_invitation, invitation.pk)
    return invitation


def _locked(invitation: ReviewerInvitation) -> ReviewerInvitation:
    return ReviewerInvitation.objects.select_for_update().select_related("round").get(pk=invitation.pk)


@transaction.atomic
def resend_invitation(*, actor: User, invitation: ReviewerInvitation) -> ReviewerInvitation:
    """Issue a new link (the old one stops working) valid for seven days, and email it.

    Callers: the secretariat. Refused: an accepted or revoked invitation. A second resend
    within a minute is taken as a double click and changes nothing."""
    policies.can_act_as_secretariat(actor).require()
    invitation = _locked(invitation)
    if not invitation.is_open:
        raise ValidationError(_("承諾済みまたは取り消し済みの招待は再送できません。"))
    if invitation.issued_at > timezone.now() - RESEND_QUIET_PERIOD and invitation.send_count > 1:
        return invitation
    _issue_link(invitation)
    invitation.send_count += 1
    invitation.save(
        update_fields=["token_nonce", "token_hash", "issued_at", "expires_at", "sent_at", "send_count"]
    )
    audit_record(
        actor=actor,
        action="review.invitation_resent",
        obj=invitation,
        changes={"round": invitation.round.code, "email": invitation.email},
    )
    enqueue_on_commit(tasks.send_reviewer_invitation, invitation.pk)
    return invitation


@transaction.atomic
def revoke_invitation(*, actor: User, invitation: ReviewerInvitation) -> ReviewerInvitation:
    """Make the link dead for good. Callers: the secretariat. Refused: an accepted invitation
    (take the reviewer out of the pool instead). Revoking again changes nothing."""
    policies.can_act_as_secretariat(actor).require()
    invitation = _locked(invitation)
    if invitation.accepted_at is not None:
        raise ValidationError(_("承諾済みの招待は取り消せません。"))
    if invitation.revoked_at is not None:
        return invitation
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="review.invitation_revoked",
        obj=invitation,
        changes={"round": invitation.round.code, "email": invitation.email},
    )
    return invitation


def _join(invitation: ReviewerInvitation, user: User) -> ReviewerMembership:
    """Spend the link, exactly once, and put `user` in the round's pool with the organisation
    the secretariat gave (the suggested-conflict check reads it from the membership)."""
    claimed = ReviewerInvitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).update(accepted_at=timezone.now(), accepted_by=user)
    if not claimed:
        raise ValidationError(selectors.invitation_problem(ReviewerInvitation.objects.get(pk=invitation.pk)))
    membership = ReviewerMembership.objects.filter(round_id=invitation.round_id, reviewer=user).first()
    if membership is None:
        membership = ReviewerMembership.objects.create(
            round_id=invitation.round_id,
            reviewer=user,
            organisation=invitation.organisation,
            organisation_corporate_number=invitation.organisation_corporate_number,
            added_by=invitation.invited_by,
            # The invitation was the email: no second "you were added" message.
            invited_emailed_at=timezone.now(),
        )
    audit_record(
        actor=user,
        action="review.invitation_accepted",
        obj=invitation,
        changes={"round": invitation.round.code, "user": user.pk, "membership": membership.pk},
    )
    return membership


@transaction.atomic
def accept_invitation(*, actor: User, invitation: ReviewerInvitation) -> ReviewerMembership:
    """A signed-in reviewer account with the invited address accepts (its account was made after
    the invitation was sent).

    Callers: the reviewer the invitation was sent to. Refused: another address; an account that
    is not a reviewer's (it is never given the role); a link expired, revoked or already used."""
    invitation = _locked(invitation)
    if actor.email.strip().lower() != invitation.email:
        raise PermissionDenied(
            _("この招待は別のメールアドレス宛てです。宛先のアカウントでログインしてください。")
        )
    if actor.role != Role.REVIEWER:
        raise PermissionDenied(
            _(
                "このアカウントは審査員用ではないため、審査員への招待を承諾できません。事務局にお問い合わせください。"
            )
        )
    problem = selectors.invitation_problem(invitation)
    if problem:
        raise ValidationError(problem)
    return _join(invitation, actor)


@transaction.atomic
def accept_invitation_with_new_account(
    *, invitation: ReviewerInvitation, display_name: str, password: str, language: str = "ja"
) -> User:
    """Create the reviewer's account from the invitation and join the round's pool.

    Callers: anyone holding the link (it proves the address, so the email is marked verified).
    Refused, changing nothing: a link expired, revoked or already used; an address that has an
    account meanwhile (a reviewer signs in and accepts; any other role is never made a
    reviewer); a password Django's validators reject. The new account has no second factor yet:
    the middleware makes them enrol one before any page."""
    invitation = _locked(invitation)
    problem = selectors.invitation_problem(invitation)
    if problem:
        raise ValidationError(problem)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if existing is not None and existing.role == Role.REVIEWER:
        raise ValidationError(
            _("このメールアドレスの審査員アカウントはすでにあります。ログインしてから承諾してください。")
        )
    if existing is not None:
        raise ValidationError(
            _(
                "このメールアドレスは審査員以外のアカウントで使われているため、審査員として登録できません。"
                "事務局にお問い合わせください。"
            )
        )
    user = User(
        email=invitation.email,
        display_name=display_name.strip() or invitation.name,
        role=Role.REVIEWER,
        preferred_language=language if language in ("ja", "en") else "ja",
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    audit_record(
        actor=user,
        action="accounts.created_from_invitation",
        obj=user,
        changes={"reviewer_invitation": invitation.pk, "role": Role.REVIEWER},
    )
    _join(invitation, user)
    return user

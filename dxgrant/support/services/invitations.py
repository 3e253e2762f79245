"""Invitations of the applicant company's people to an engagement: creating, resending,
revoking and accepting them. The representative accepting starts the support (the lifecycle's
`accept`).

Only the hash of a link's token is stored; the token is derived from the secret key and the
invitation's nonce (`ClientInvitation.link_token`), so the email task rebuilds the link from
the id. Resending draws a new nonce: the old link stops working at once.
"""

from __future__ import annotations

import datetime as dt
import secrets

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dxgrant.accounts.models import Role, User
from dxgrant.accounts.roles import NON_APPLICANT_ROLES
from dxgrant.applications.services.creation import ensure_application
from dxgrant.applications.services.duplicates import DuplicateApplication, company_key
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.core.tokens import hash_token
from dxgrant.integrity.services import audit_record
from dxgrant.programs.models import Round

from .. import lifecycle, policies, selectors, tasks
from ..models import ClientInvitation, Engagement, EngagementMember, EngagementRole
from . import transitions

ALREADY_SUPPORTED = gettext_lazy(
    "この法人番号の会社は、この公募回ですでに別の認定事業者の支援を受けています（招待を承諾済み）。"
)
# A second "resend" within this time is the same click twice: it sends nothing new.
RESEND_QUIET_PERIOD = dt.timedelta(seconds=60)


def _issue_link(invitation: ClientInvitation, round: Round) -> None:
    invitation.token_nonce = secrets.token_hex(16)
    invitation.token_hash = hash_token(invitation.link_token())
    invitation.issued_at = timezone.now()
    invitation.expires_at = invitation.issued_at + dt.timedelta(hours=selectors.invitation_valid_hours(round))
    # A new link is a new email: the task claims this column when it sends.
    invitation.sent_at = None


def _normalise_email(email: str) -> str:
    return email.strip().lower()


def address_problem(email: str) -> str:
    """Why `email` cannot be invited as a person of an applicant company, or "". The addresses
    of the association's and the advisor firms' accounts (secretariat, reviewer, finance,
    auditor, advisor) are refused: their holder could never accept, and an advisor must not
    stand in for the company. The message does not say which kind of account it is."""
    address = _normalise_email(email)
    if not User.objects.filter(email__iexact=address, role__in=NON_APPLICANT_ROLES).exists():
        return ""
    return _(
        "%(email)s は事務局・審査員・経理・監査またはアドバイザーのアカウントのメールアドレスのため、"
        "申請者として招待できません。申請する会社の方ご本人のメールアドレスを入力してください。"
    ) % {"email": address}


@transaction.atomic
def create_invitation(
    *, actor: User, engagement: Engagement, name: str, email: str, role: str
) -> ClientInvitation:
    """Invite a person of the applicant company and email them the link.

    Callers: `engagements.start_engagement` (the representative) and `invite_staff`, which
    check the actor first. Refused: someone already a member, or already holding an open
    invitation to the engagement; the address of a staff, reviewer, finance, auditor or advisor
    account (`address_problem`, keyed to the form's "email").
    """
    email = _normalise_email(email)
    problem = address_problem(email)
    if problem:
        raise ValidationError({"email": ValidationError(problem, code="not_an_applicant_address")})
    if engagement.members.filter(user__email__iexact=email).exists():
        raise ValidationError(_("この方はすでにこの支援先のメンバーです。"), code="already_member")
    if engagement.invitations.filter(email=email, accepted_at__isnull=True, revoked_at__isnull=True).exists():
        raise ValidationError(
            _("このメールアドレスにはすでに招待を送っています。届いていない場合は再送してください。"),
            code="already_invited",
        )
    invitation = ClientInvitation(
        engagement=engagement, email=email, name=name.strip(), role=role, invited_by=actor
    )
    _issue_link(invitation, engagement.round)
    invitation.full_clean(exclude=["engagement", "invited_by"])
    invitation.save()
    audit_record(
        actor=actor,
        action="support.invitation_created",
        obj=invitation,
        changes={"engagement": engagement.pk, "email": email, "role": role},
    )
    enqueue_on_commit(tasks.send_client_invitation, invitation.pk)
    return invitation


@transaction.atomic
def invite_staff(*, actor: User, engagement: Engagement, name: str, email: str) -> ClientInvitation:
    """The representative invites a delegated staff member of their company.

    Callers: the engagement's representative (`can_invite_staff`). Refused: someone already a
    member, or already holding an open invitation; a staff or advisor account's address.
    """
    policies.can_invite_staff(actor, engagement).require()
    return create_invitation(
        actor=actor, engagement=engagement, name=name, email=email, role=EngagementRole.STAFF
    )


@transaction.atomic
def resend_invitation(*, actor: User, invitation: ClientInvitation) -> ClientInvitation:
    """Issue a new link (the old one stops working) valid for the round's hours, and email it.

    Callers: see `policies.can_manage_invitation`. Refused: an accepted or revoked invitation.
    A second resend within a minute is taken as a double click and changes nothing.
    """
    invitation = (
        ClientInvitation.objects.select_for_update().select_related("engagement__round").get(pk=invitation.pk)
    )
    policies.can_manage_invitation(actor, invitation).require()
    if invitation.issued_at > timezone.now() - RESEND_QUIET_PERIOD and invitation.send_count > 1:
        return invitation
    _issue_link(invitation, invitation.engagement.round)
    invitation.send_count += 1
    invitation.save(
        update_fields=["token_nonce", "token_hash", "issued_at", "expires_at", "sent_at", "send_count"]
    )
    audit_record(
        actor=actor, action="support.invitation_resent", obj=invitation, changes={"email": invitation.email}
    )
    enqueue_on_commit(tasks.send_client_invitation, invitation.pk)
    return invitation


@transaction.atomic
def revoke_invitation(*, actor: User, invitation: ClientInvitation) -> ClientInvitation:
    """Make the link dead for good. Callers: see `policies.can_manage_invitation`. Revoking a
    revoked invitation again changes nothing."""
    invitation = (
        ClientInvitation.objects.select_for_update().select_related("engagement").get(pk=invitation.pk)
    )
    if invitation.revoked_at is not None:
        return invitation
    policies.can_manage_invitation(actor, invitation).require()
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor, action="support.invitation_revoked", obj=invitation, changes={"email": invitation.email}
    )
    return invitation


def _accept(invitation: ClientInvitation, user: User) -> EngagementMember:
    """Join `user` to the engagement and spend the link, exactly once. The representative's
    acceptance starts the support (the lifecycle's `accept`)."""
    claimed = ClientInvitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).update(accepted_at=timezone.now(), accepted_by=user)
    if not claimed:
        raise ValidationError(selectors.invitation_problem(ClientInvitation.objects.get(pk=invitation.pk)))
    engagement = Engagement.objects.select_for_update().get(pk=invitation.engagement_id)
    member = EngagementMember.objects.filter(engagement=engagement, user=user).first()
    if member is None:
        try:
            with transaction.atomic():
                member = EngagementMember.objects.create(
                    engagement=engagement, user=user, role=invitation.role
                )
        except IntegrityError as exc:
            raise ValidationError(
                _("この支援先にはすでに代表者がいます。アドバイザーにお問い合わせください。")
            ) from exc
    representative = invitation.role == EngagementRole.REPRESENTATIVE
    if representative and lifecycle.ENGAGEMENT.allows("accept", engagement.status):
        try:
            transitions.fire(
                engagement,
                "accept",
                actor=user,
                side=lifecycle.REPRESENTATIVE,
                action="support.engagement_accepted",
                changes={"invitation": invitation.pk},
            )
        except IntegrityError as exc:
            # Another firm's invitation for the same 法人番号 was accepted first.
            raise DuplicateApplication(
                round_id=engagement.round_id,
                company_key=company_key(
                    corporate_number=engagement.corporate_number, company_name=engagement.company_name
                ),
                firm_id=engagement.firm_id,
                actor=user,
                message=str(ALREADY_SUPPORTED),
            ) from exc
    if representative:
        # Refused (DuplicateApplication, a ValidationError with its message) when the company
        # already applies in this round through any firm: the link stays unspent.
        ensure_application(engagement=engagement, actor=user)
    audit_record(
        actor=user,
        action="support.invitation_accepted",
        obj=invitation,
        changes={"engagement": engagement.pk, "role": invitation.role, "user": user.pk},
    )
    return member


@transaction.atomic
def accept_invitation(*, actor: User, invitation: ClientInvitation) -> EngagementMember:
    """An existing applicant account accepts an invitation sent to its own address.

    Callers: the signed-in person the invitation was sent to. Refused: another address, an
    account that is not an applicant's (advisors and staff cannot join a company), a link that
    is expired, revoked or already used.
    """
    if _normalise_email(actor.email) != invitation.email:
        raise PermissionDenied(
            _("この招待は別のメールアドレス宛てです。宛先のアカウントでログインしてください。")
        )
    if actor.role != Role.APPLICANT:
        raise PermissionDenied(
            _("このアカウントは申請者用ではないため、招待を承諾できません。事務局にお問い合わせください。")
        )
    return _accept(invitation, actor)


@transaction.atomic
def accept_invitation_with_new_account(
    *, invitation: ClientInvitation, display_name: str, password: str, language: str = "ja"
) -> User:
    """Create the applicant's account from the invitation and accept it.

    Callers: anyone holding the link (the link proves the address, so the email is marked
    verified). Refused: an address that already has an account (sign in instead), a password
    Django's validators reject, a link that is expired, revoked or already used.
    """
    problem = selectors.invitation_problem(invitation)
    if problem:
        raise ValidationError(problem)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(
            _("このメールアドレスのアカウントはすでにあります。ログインしてから承諾してください。")
        )
    user = User(
        email=invitation.email,
        display_name=display_name.strip(),
        role=Role.APPLICANT,
        preferred_language=language if language in ("ja", "en") else "ja",
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    audit_record(
        actor=user, action="accounts.created_from_invitation", obj=user, changes={"invitation": invitation.pk}
    )
    _accept(invitation, user)
    return user

"""A firm's people: its administrators invite advisors (and revoke invitations, and remove
people); an invited person joins by the link in the email.

The link's token is derived from a stored nonce and the secret key (core.tokens), so only its
hash is stored and the email task can rebuild it from the invitation's id.
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

from dxgrant.accounts.models import Role, User, Visitor
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.core.tokens import hash_token, token_from_nonce
from dxgrant.integrity.services import audit_record

from .. import policies, tasks
from ..models import (
    INVITATION_TOKEN_PURPOSE,
    AdvisorFirm,
    AdvisorInvitation,
    FirmMembership,
    MembershipRole,
)
from ..selectors import InvitationUnusable, find_invitation

INVITATION_VALID_FOR = dt.timedelta(days=7)


@transaction.atomic
def invite_advisor(*, actor: User, firm: AdvisorFirm, name: str, email: str) -> tuple[AdvisorInvitation, str]:
    """Invite a person to act as an advisor of the firm. Firm administrators of a firm in good
    standing only. Refuses someone already acting for a firm and a second live invitation.
    Returns the invitation and the raw token of its link (emailed once, stored nowhere)."""
    policies.can_manage_team(actor, firm).require()
    email = email.strip().lower()
    if FirmMembership.objects.filter(user__email=email, is_active=True).exists():
        raise ValidationError(_("このメールアドレスの方は、すでにいずれかの認定事業者に所属しています。"))
    if AdvisorInvitation.objects.filter(
        firm=firm,
        email=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).exists():
        raise ValidationError(
            _("この方には有効な招待がすでにあります。必要なら取り消してから送り直してください。")
        )
    nonce = secrets.token_hex(16)
    raw = token_from_nonce(INVITATION_TOKEN_PURPOSE, nonce)
    invitation = AdvisorInvitation(
        firm=firm,
        email=email,
        name=name,
        token_nonce=nonce,
        token_hash=hash_token(raw),
        expires_at=timezone.now() + INVITATION_VALID_FOR,
        invited_by=actor,
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        actor=actor, action="advisor.invited", obj=invitation, changes={"firm": firm.pk, "email": email}
    )
    enqueue_on_commit(tasks.send_advisor_invitation, invitation.pk)
    return invitation, raw


@transaction.atomic
def revoke_advisor_invitation(*, actor: User, invitation: AdvisorInvitation) -> AdvisorInvitation:
    """Firm administrators only; an accepted invitation cannot be revoked (remove the member instead)."""
    policies.can_manage_team(actor, invitation.firm).require()
    if invitation.accepted_at is not None:
        raise ValidationError(_("承諾済みの招待は取り消せません。"))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="advisor.invitation_revoked", obj=invitation)
    return invitation


@transaction.atomic
def accept_advisor_invitation(
    *, raw_token: str, user: Visitor | None, display_name: str = "", password: str = ""
) -> User:
    """Join the firm from the invitation link. With `user` (signed in), that account must carry
    the invited email; without, a new advisor account is created with the given password.
    The link works once (InvitationUnusable afterwards)."""
    invitation = find_invitation(raw_token)
    invitation = AdvisorInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise InvitationUnusable
    if isinstance(user, User):
        if user.email.lower() != invitation.email:
            raise PermissionDenied(_("招待されたメールアドレスのアカウントでログインしてください。"))
        if user.role != Role.ADVISOR:
            raise PermissionDenied(
                _(
                    "このアカウントはアドバイザーとして使えません。事業者の管理者に、別のメールアドレスへの招待を依頼してください。"
                )
            )
        account = user
    else:
        if User.objects.filter(email=invitation.email).exists():
            raise PermissionDenied(
                _("このメールアドレスのアカウントがあります。ログインしてから招待を承諾してください。")
            )
        account = User(
            email=invitation.email, display_name=display_name or invitation.name, role=Role.ADVISOR
        )
        validate_password(password, account)
        account.set_password(password)
        account.save()
        # The link reached this address, which proves it.
        EmailAddress.objects.create(user=account, email=account.email, verified=True, primary=True)
    if FirmMembership.objects.filter(user=account, is_active=True).exists():
        raise ValidationError(_("すでにいずれかの認定事業者に所属しています。"))
    FirmMembership.objects.create(firm=invitation.firm, user=account, role=MembershipRole.ADVISOR)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = account
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=account, action="advisor.joined", obj=invitation.firm, changes={"invitation": invitation.pk}
    )
    return account


@transaction.atomic
def deactivate_member(*, actor: User, membership: FirmMembership) -> FirmMembership:
    """Remove a person from the firm (their past work stays). Administrators only; the last
    administrator cannot remove themselves."""
    policies.can_manage_team(actor, membership.firm).require()
    if (
        membership.role == MembershipRole.ADMIN
        and not FirmMembership.objects.filter(firm=membership.firm, role=MembershipRole.ADMIN, is_active=True)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError(_("最後の管理者は外せません。"))
    if membership.is_active:
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        audit_record(
            actor=actor, action="advisor.removed", obj=membership.firm, changes={"user": membership.user_id}
        )
    return membership

"""Every write about advisor support (伴走支援): engagements and invitations, hearing records,
training sessions, check-in and the comprehension quiz.

Each service takes the acting user, checks it against `policies`, refuses an invalid state with
an exception whose message a person can read, and writes the audit entry in its transaction.
Emails go out through tasks enqueued on commit.

Refusals: `PermissionDenied` when the actor may not do this at all (an advisor checking in for
someone, a suspended firm scheduling training); `ValidationError` when the actor may, but not
with this input or in this state (an expired link, a record already answered).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import logging
import secrets
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dxgrant.accounts.models import Role, User
from dxgrant.advisors.policies import active_membership
from dxgrant.core.tokens import hash_token
from dxgrant.integrity.models import AuditEntry
from dxgrant.integrity.services import audit_record
from dxgrant.japan import corporate_number as corporate_numbers
from dxgrant.programs.models import Round

from . import checkin, policies
from .models import (
    Attendance,
    ClientInvitation,
    Engagement,
    EngagementMember,
    EngagementRole,
    EngagementStatus,
    HearingRecord,
    HearingResponse,
    TrainingFormat,
    TrainingQuizAttempt,
    TrainingSession,
)

logger = logging.getLogger(__name__)

ALREADY_SUPPORTED = gettext_lazy(
    "この法人番号の会社は、この公募回ですでに別の認定事業者の支援を受けています（招待を承諾済み）。"
)
# How long an invitation link lasts when the round does not say (application.invitation_valid_hours).
DEFAULT_INVITATION_VALID_HOURS = 72
# A second "resend" within this time is the same click twice: it sends nothing new.
RESEND_QUIET_PERIOD = dt.timedelta(seconds=60)
# Wrong check-in codes a person may enter for one session in a rolling window.
CHECKIN_ATTEMPT_LIMIT = 5
CHECKIN_ATTEMPT_WINDOW = dt.timedelta(minutes=10)
MAX_SESSION_LENGTH = dt.timedelta(hours=12)


def _require(decision: tuple[bool, str]) -> None:
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


def _on_commit_enqueue(task_name: str, object_id: int) -> None:
    from . import tasks

    task = getattr(tasks, task_name)
    transaction.on_commit(lambda: task.enqueue(object_id))


# --- Invitation links ----------------------------------------------------------------------------


def invitation_token(invitation: ClientInvitation) -> str:
    """The raw token of the invitation's current link (only the email task and tests need it)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode("utf-8"),
        f"client-invitation:{invitation.token_nonce}".encode("ascii"),
        hashlib.sha256,
    ).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def invitation_valid_hours(round: Round) -> int:
    return int(round.application_rules.get("invitation_valid_hours", DEFAULT_INVITATION_VALID_HOURS))


def _issue_link(invitation: ClientInvitation, round: Round) -> None:
    invitation.token_nonce = secrets.token_hex(16)
    invitation.token_hash = hash_token(invitation_token(invitation))
    invitation.issued_at = timezone.now()
    invitation.expires_at = invitation.issued_at + dt.timedelta(hours=invitation_valid_hours(round))
    invitation.sent_at = None


def find_invitation(raw_token: str) -> ClientInvitation | None:
    """The invitation a link points at, whatever its state (the page explains the state)."""
    if not raw_token or len(raw_token) > 100:
        return None
    return (
        ClientInvitation.objects.select_related("engagement__firm", "engagement__round")
        .filter(token_hash=hash_token(raw_token))
        .first()
    )


def _normalise_email(email: str) -> str:
    return email.strip().lower()


@transaction.atomic
def _create_invitation(
    *, actor: User, engagement: Engagement, name: str, email: str, role: str
) -> ClientInvitation:
    email = _normalise_email(email)
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
    _on_commit_enqueue("send_client_invitation", invitation.pk)
    return invitation


# --- Engagements ---------------------------------------------------------------------------------


def rounds_open_for(actor: User) -> list[Round]:
    """Rounds an advisor may start supporting a company in: open rounds of the firm's programme
    (the demo round only where demo data is enabled)."""
    membership = active_membership(actor)
    if membership is None:
        return []
    rounds = Round.objects.filter(programme_id=membership.firm.programme_id)
    if not settings.DXGRANT_DEMO_ENABLED:
        rounds = rounds.public()
    today = timezone.localdate()
    return [r for r in rounds.order_by("application_opens", "code") if r.application_status(today) == "open"]


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
) -> Engagement:
    """Start supporting an applicant company and invite its representative.

    Callers: an advisor whose firm is in good standing and who passed the advisor course
    (`can_start_engagement`). Refused: a round that is not open or not of the firm's programme;
    an invalid 法人番号; a company (by 法人番号) that accepted another firm's support in that
    round, or (by 法人番号 or name) already applying in it, with DuplicateApplication, which the
    caller records for the secretariat (`record_refusal`). Several firms may invite the same
    company: only the invitation it accepts counts (see `_accept`). The same `submission_token`
    twice returns the engagement made the first time.
    """
    _require(policies.can_start_engagement(actor))
    if submission_token is not None:
        existing = Engagement.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    membership = active_membership(actor)
    assert membership is not None  # can_start_engagement checked it
    if round.programme_id != membership.firm.programme_id or round.pk not in {
        r.pk for r in rounds_open_for(actor)
    }:
        raise ValidationError(_("この公募回は申請を受け付けていません。"), code="round_not_open")
    number = corporate_numbers.normalize(corporate_number or "")
    if number and not corporate_numbers.is_valid(number):
        raise ValidationError(_("法人番号が正しくありません（13桁・チェックディジットを確認してください）。"))
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
    from dxgrant.applications.services import DuplicateApplication, company_key, live_application_exists

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
        },
    )
    _create_invitation(
        actor=actor,
        engagement=engagement,
        name=representative_name,
        email=representative_email,
        role=EngagementRole.REPRESENTATIVE,
    )
    return engagement


@transaction.atomic
def invite_staff(*, actor: User, engagement: Engagement, name: str, email: str) -> ClientInvitation:
    """The representative invites a delegated staff member of their company.

    Callers: the engagement's representative (`can_invite_staff`). Refused: someone already a
    member, or already holding an open invitation.
    """
    _require(policies.can_invite_staff(actor, engagement))
    return _create_invitation(
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
    _require(policies.can_manage_invitation(actor, invitation))
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
    _on_commit_enqueue("send_client_invitation", invitation.pk)
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
    _require(policies.can_manage_invitation(actor, invitation))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor, action="support.invitation_revoked", obj=invitation, changes={"email": invitation.email}
    )
    return invitation


def invitation_problem(invitation: ClientInvitation | None) -> str:
    """Why a link cannot be used, or "" if it can."""
    if invitation is None:
        return _("この招待リンクは無効です。アドレスを最後まで正しく開いたかご確認ください。")
    if invitation.revoked_at is not None:
        return _("この招待は取り消されました。アドバイザーにお問い合わせください。")
    if invitation.accepted_at is not None:
        return _("この招待はすでに承諾されています。ログインしてご利用ください。")
    if invitation.expires_at <= timezone.now():
        return _(
            "この招待リンクは有効期限（%(when)s）が切れています。アドバイザーに再送を依頼してください。"
        ) % {"when": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M")}
    return ""


def _accept(invitation: ClientInvitation, user: User) -> EngagementMember:
    """Join `user` to the engagement and spend the link, exactly once."""
    claimed = ClientInvitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).update(accepted_at=timezone.now(), accepted_by=user)
    if not claimed:
        raise ValidationError(invitation_problem(ClientInvitation.objects.get(pk=invitation.pk)))
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
    if invitation.role == EngagementRole.REPRESENTATIVE and engagement.status == EngagementStatus.INVITED:
        from dxgrant.applications.services import DuplicateApplication, company_key

        engagement.status = EngagementStatus.ACTIVE
        try:
            with transaction.atomic():
                engagement.save(update_fields=["status", "updated_at"])
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
    if invitation.role == EngagementRole.REPRESENTATIVE:
        from dxgrant.applications.services import ensure_application

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
    problem = invitation_problem(invitation)
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


# --- Ending the support --------------------------------------------------------------------------


@transaction.atomic
def end_engagement(*, actor: User, engagement: Engagement, reason: str = "") -> Engagement:
    """End the support of a company by a firm in a round (支援の終了).

    Callers: the company's representative or an advisor of the firm in good standing
    (`policies.can_end_engagement`). An application not yet submitted closes with it (withdrawn,
    so the company may apply through another firm); open invitations stop working. Refused: an
    application already submitted (the applicant withdraws it first, or the secretariat decides
    on it), an engagement already ended. Records stay readable; both sides are emailed.
    """
    from dxgrant.applications import workflow
    from dxgrant.applications.models import Application
    from dxgrant.applications.services import transition

    _require(policies.can_end_engagement(actor, engagement))
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if locked.status == EngagementStatus.ENDED:  # a second click
        raise ValidationError(_("この支援は終了しています。"), code="already_ended")
    application = Application.objects.filter(engagement=locked).first()
    if application is not None and application.status not in workflow.ENDED:
        if application.status not in workflow.TRANSITIONS["close_with_support"].sources:
            raise ValidationError(
                _(
                    "提出済みの申請があるため、支援を終了できません。申請者が申請を取り下げるか、"
                    "事務局の判断が出てから終了してください。"
                ),
                code="application_submitted",
            )
        transition(application, name="close_with_support", actor=actor, note=reason.strip()[:500])
    now = timezone.now()
    locked.status = EngagementStatus.ENDED
    locked.ended_at = now
    locked.ended_by = actor
    locked.end_reason = reason.strip()[:1000]
    locked.save(update_fields=["status", "ended_at", "ended_by", "end_reason", "updated_at"])
    revoked = locked.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    audit_record(
        actor=actor,
        action="support.engagement_ended",
        obj=locked,
        changes={"reason": locked.end_reason, "invitations_revoked": revoked},
    )
    _on_commit_enqueue("send_engagement_ended", locked.pk)
    engagement.status = locked.status
    return locked


# --- Hearing records -----------------------------------------------------------------------------

HEARING_FIELDS = ("held_on", "attendees", "topics", "challenges", "next_steps")


@transaction.atomic
def record_hearing(
    *,
    actor: User,
    engagement: Engagement,
    held_on: dt.date,
    attendees: str,
    topics: str,
    challenges: str,
    next_steps: str,
    corrects: HearingRecord | None = None,
    submission_token: uuid.UUID | None = None,
) -> HearingRecord:
    """Record a hearing the advisor held; the representative is told by email.

    Callers: an advisor of the engagement's firm in good standing (`can_manage_engagement`).
    Refused: a date in the future; `corrects` that is not a disputed, uncorrected record of the
    same engagement. The same `submission_token` twice returns the first record.
    """
    _require(policies.can_manage_engagement(actor, engagement))
    if submission_token is not None:
        existing = HearingRecord.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    if held_on > timezone.localdate():
        raise ValidationError(_("実施日に未来の日付は指定できません。"))
    if corrects is not None:
        corrects = HearingRecord.objects.select_for_update().get(pk=corrects.pk)
        if corrects.engagement_id != engagement.pk:
            raise ValidationError(_("訂正する記録が見つかりません。"))
        _require(policies.can_correct_hearing(actor, corrects))
    hearing = HearingRecord(
        engagement=engagement,
        author=actor,
        held_on=held_on,
        attendees=attendees,
        topics=topics,
        challenges=challenges,
        next_steps=next_steps,
        corrects=corrects,
        submission_token=submission_token,
    )
    hearing.full_clean(exclude=["engagement", "author", "corrects"])
    hearing.save()
    audit_record(
        actor=actor,
        action="support.hearing_recorded",
        obj=hearing,
        changes={"engagement": engagement.pk, "corrects": corrects.pk if corrects else None}
        | {f: str(getattr(hearing, f)) for f in HEARING_FIELDS},
    )
    _on_commit_enqueue("send_hearing_recorded", hearing.pk)
    return hearing


@transaction.atomic
def edit_hearing(
    *,
    actor: User,
    hearing: HearingRecord,
    revision: int,
    held_on: dt.date,
    attendees: str,
    topics: str,
    challenges: str,
    next_steps: str,
) -> HearingRecord:
    """Change a record that still awaits the applicant's answer.

    Callers: as for `record_hearing`. Refused: a record already answered; an edit made on an
    older revision than the stored one (someone else saved in between).
    """
    hearing = HearingRecord.objects.select_for_update().select_related("engagement").get(pk=hearing.pk)
    _require(policies.can_edit_hearing(actor, hearing))
    if hearing.revision != revision:
        raise ValidationError(
            _("この記録は別の画面で更新されました。最新の内容を確認してから編集してください。")
        )
    if held_on > timezone.localdate():
        raise ValidationError(_("実施日に未来の日付は指定できません。"))
    new = {
        "held_on": held_on,
        "attendees": attendees,
        "topics": topics,
        "challenges": challenges,
        "next_steps": next_steps,
    }
    before = {f: str(getattr(hearing, f)) for f in HEARING_FIELDS}
    for field, value in new.items():
        setattr(hearing, field, value)
    after = {f: str(getattr(hearing, f)) for f in HEARING_FIELDS}
    if before == after:
        return hearing
    hearing.revision += 1
    hearing.full_clean(exclude=["engagement", "author", "corrects"])
    hearing.save(update_fields=[*HEARING_FIELDS, "revision", "updated_at"])
    audit_record(
        actor=actor,
        action="support.hearing_edited",
        obj=hearing,
        changes={"revision": hearing.revision, "before": before, "after": after},
    )
    return hearing


@transaction.atomic
def respond_to_hearing(
    *, actor: User, hearing: HearingRecord, revision: int, response: str, comment: str = ""
) -> HearingRecord:
    """The applicant acknowledges (確認) or disputes (異議) a hearing record.

    Callers: a member of the applicant company, themselves (`can_respond_to_hearing`); an
    advisor or staff member is refused. Refused: a record already answered (the same answer
    repeated by the same person — a double submit — changes nothing); an answer to an older
    revision than the stored one; a dispute without a comment.
    """
    hearing = HearingRecord.objects.select_for_update().select_related("engagement").get(pk=hearing.pk)
    if (
        hearing.response == response
        and hearing.responded_by_id == getattr(actor, "pk", None)
        and hearing.revision == revision
    ):
        return hearing
    _require(policies.can_respond_to_hearing(actor, hearing))
    if hearing.revision != revision:
        raise ValidationError(
            _("アドバイザーがこの記録を更新しました。最新の内容を読んでから、もう一度回答してください。")
        )
    if response not in (HearingResponse.ACKNOWLEDGED, HearingResponse.DISPUTED):
        raise ValidationError(_("回答を選んでください。"))
    comment = comment.strip()
    if response == HearingResponse.DISPUTED and not comment:
        raise ValidationError(_("異議がある場合は、どこが事実と違うかをコメントに書いてください。"))
    hearing.response = response
    hearing.response_comment = comment
    hearing.responded_by = actor
    hearing.responded_at = timezone.now()
    hearing.save(update_fields=["response", "response_comment", "responded_by", "responded_at", "updated_at"])
    audit_record(
        actor=actor,
        action=f"support.hearing_{response}",
        obj=hearing,
        changes={"revision": revision, "comment": comment},
    )
    return hearing


# --- Training sessions ---------------------------------------------------------------------------


def curriculum_unit(round_obj: Round, code: str) -> dict[str, Any] | None:
    for unit in round_obj.training.get("curriculum", []):
        if unit.get("code") == code:
            return dict(unit)
    return None


@transaction.atomic
def schedule_session(
    *,
    actor: User,
    engagement: Engagement,
    curriculum_code: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    format: str,
    location: str,
    invitees: Iterable[User] = (),
    submission_token: uuid.UUID | None = None,
) -> TrainingSession:
    """Schedule a training session on one curriculum unit of the engagement's round and tell
    the invitees by email. No invitees means every member of the applicant company is invited.

    Callers: an advisor of the engagement's firm in good standing (`can_manage_engagement`).
    Refused: a unit not in the round's curriculum; an end not after the start or more than
    12 hours later; a session already over; an invitee who is not a member of the company.
    """
    _require(policies.can_manage_engagement(actor, engagement))
    if submission_token is not None:
        existing = TrainingSession.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    if curriculum_unit(engagement.round, curriculum_code) is None:
        raise ValidationError(_("この公募回の研修カリキュラムにない単元です。"))
    if ends_at <= starts_at:
        raise ValidationError(_("終了時刻は開始時刻より後にしてください。"))
    if ends_at - starts_at > MAX_SESSION_LENGTH:
        raise ValidationError(_("1回の研修は12時間以内にしてください。"))
    if ends_at <= timezone.now():
        raise ValidationError(_("終了時刻が過ぎた研修は登録できません。"))
    if format not in TrainingFormat.values:
        raise ValidationError(_("形式を選んでください。"))
    member_ids = set(engagement.members.values_list("user_id", flat=True))
    invitee_list = list(invitees)
    if any(u.pk not in member_ids for u in invitee_list):
        raise ValidationError(_("招待できるのは、この支援先の申請者側のメンバーだけです。"))
    session = TrainingSession(
        engagement=engagement,
        advisor=actor,
        curriculum_code=curriculum_code,
        starts_at=starts_at,
        ends_at=ends_at,
        format=format,
        location=location.strip(),
        checkin_secret=checkin.new_secret(),
        submission_token=submission_token,
    )
    session.full_clean(exclude=["engagement", "advisor"])
    session.save()
    session.invitees.set(invitee_list)
    audit_record(
        actor=actor,
        action="support.training_scheduled",
        obj=session,
        changes={
            "engagement": engagement.pk,
            "curriculum": curriculum_code,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "format": format,
            "invitees": sorted(u.pk for u in invitee_list),
        },
    )
    _on_commit_enqueue("send_session_scheduled", session.pk)
    return session


@transaction.atomic
def cancel_session(*, actor: User, session: TrainingSession) -> TrainingSession:
    """Cancel a session that has not started. Callers: as for `schedule_session`. Refused: a
    session that started (its attendance is a record and stays). Cancelling twice changes
    nothing."""
    session = TrainingSession.objects.select_for_update().select_related("engagement").get(pk=session.pk)
    if session.cancelled_at is not None:
        return session
    _require(policies.can_manage_engagement(actor, session.engagement))
    if session.starts_at <= timezone.now():
        raise ValidationError(_("開始した研修は中止できません。"))
    session.cancelled_at = timezone.now()
    session.save(update_fields=["cancelled_at"])
    audit_record(actor=actor, action="support.training_cancelled", obj=session)
    return session


# --- Check-in ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckInResult:
    """What happened to a check-in attempt. `refusal` is a message for the person, or ""."""

    attendance: Attendance | None
    already: bool = False
    refusal: str = ""

    @property
    def ok(self) -> bool:
        return self.attendance is not None and not self.refusal


def _refused_attempts(session: TrainingSession, user: User, since: dt.datetime) -> int:
    return AuditEntry.objects.filter(
        object_type=session._meta.label_lower,
        object_id=str(session.pk),
        action="support.checkin_refused",
        actor=user,
        created_at__gte=since,
    ).count()


@transaction.atomic
def check_in(
    *,
    actor: User,
    session: TrainingSession,
    attendee: User,
    code: str,
    ip_address: str | None = None,
) -> CheckInResult:
    """Record that `attendee` is at the session, with the code shown in it.

    Callers: the attendee themselves and nobody else — `actor` must be `attendee`, an applicant,
    a member of the engagement and invited to the session (`can_check_in`). Anyone else,
    advisors and staff included, gets PermissionDenied and nothing is recorded.

    A wrong code, a time outside the check-in window (start to end plus the round's grace
    minutes), a firm no longer in good standing, or too many wrong codes: nothing is recorded,
    the attempt is written to the audit log, and the result carries the reason. A second
    check-in of the same person says they are already checked in (one row per person and
    session, also enforced by the database).
    """
    if actor is None or attendee is None or actor.pk != attendee.pk:
        # The request's transaction is rolled back with the refusal, so the log keeps the trace.
        logger.warning(
            "check-in for someone else refused: actor=%s attendee=%s session=%s",
            getattr(actor, "pk", None),
            getattr(attendee, "pk", None),
            session.pk,
        )
        raise PermissionDenied(_("出席は、研修に参加したご本人だけが記録できます。"))
    session = (
        TrainingSession.objects.select_related("engagement__round", "engagement__firm")
        .prefetch_related("invitees", "engagement__members")
        .get(pk=session.pk)
    )
    allowed, reason = policies.can_check_in(actor, session)
    if not allowed:
        logger.warning("check-in refused: actor=%s session=%s: %s", actor.pk, session.pk, reason)
        raise PermissionDenied(reason)

    existing = Attendance.objects.filter(session=session, user=attendee).first()
    if existing is not None:
        return CheckInResult(attendance=existing, already=True)

    now = timezone.now()
    training = session.engagement.round.training
    window = checkin.window_for(session, training)
    refusal = ""
    reason_code = ""
    if _refused_attempts(session, actor, now - CHECKIN_ATTEMPT_WINDOW) >= CHECKIN_ATTEMPT_LIMIT:
        refusal = _(
            "コードの入力に続けて失敗したため、しばらく受け付けません。10分ほど待ってから、画面に表示されている最新のコードを入力してください。"
        )
        reason_code = "too_many_attempts"
    elif now < window.opens:
        refusal = _(
            "まだ研修の開始時刻前です。研修が始まってから、画面に表示されるコードを入力してください。"
        )
        reason_code = "before_window"
    elif now > window.closes:
        refusal = _("出席を受け付ける時間が終了しました（研修の終了時刻から%(minutes)s分後まで）。") % {
            "minutes": checkin.grace_minutes(training)
        }
        reason_code = "after_window"
    elif not session.engagement.firm.in_good_standing():
        refusal = _(
            "この研修を行う認定事業者は現在新たな支援を行えないため、出席を記録できません。事務局にお問い合わせください。"
        )
        reason_code = "firm_not_in_good_standing"
    elif not checkin.code_matches(session, code, now):
        refusal = _(
            "コードが正しくありません。研修の画面に表示されている最新の6桁のコードを入力してください。"
        )
        reason_code = "wrong_code"
    if refusal:
        audit_record(
            actor=actor,
            action="support.checkin_refused",
            obj=session,
            changes={"reason": reason_code, "ip": ip_address or ""},
        )
        return CheckInResult(attendance=None, refusal=refusal)

    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                session=session, user=attendee, checked_in_at=now, ip_address=ip_address
            )
    except IntegrityError:
        # The same person's other tab got there first.
        return CheckInResult(attendance=Attendance.objects.get(session=session, user=attendee), already=True)
    audit_record(
        actor=actor,
        action="support.checked_in",
        obj=attendance,
        changes={"session": session.pk, "user": attendee.pk, "ip": ip_address or ""},
    )
    return CheckInResult(attendance=attendance)


# --- Comprehension quiz --------------------------------------------------------------------------


def grade_quiz(training: Mapping[str, Any], answers: Mapping[str, str]) -> tuple[int, bool]:
    """(score in percent, rounded down; passed) against the round's questions and pass mark."""
    questions = list(training.get("quiz", []))
    if not questions:
        return 0, False
    correct = sum(1 for q in questions if answers.get(q["code"]) == q["answer"])
    score = correct * 100 // len(questions)
    return score, score >= int(training.get("pass_mark_percent", 100))


@transaction.atomic
def submit_quiz(
    *,
    actor: User,
    engagement: Engagement,
    answers: Mapping[str, str],
    submission_token: uuid.UUID,
) -> TrainingQuizAttempt:
    """Grade and store the attendee's own answers to the comprehension quiz (理解度確認テスト).

    Callers: a member of the applicant company who attended at least one session themselves
    (`can_take_quiz`); advisors and staff are refused. Refused: a person who already passed.
    The same `submission_token` twice returns the first attempt.
    """
    existing = TrainingQuizAttempt.objects.filter(submission_token=submission_token).first()
    if existing is not None and existing.user_id == getattr(actor, "pk", None):
        return existing
    engagement = Engagement.objects.select_related("round").prefetch_related("members").get(pk=engagement.pk)
    attended = (
        actor is not None
        and Attendance.objects.filter(
            user=actor, session__engagement=engagement, session__cancelled_at__isnull=True
        ).exists()
    )
    _require(policies.can_take_quiz(actor, engagement, has_attended=attended))
    if TrainingQuizAttempt.objects.filter(engagement=engagement, user=actor, passed=True).exists():
        raise ValidationError(_("確認テストにはすでに合格しています。"))
    training = engagement.round.training
    codes = {q["code"] for q in training.get("quiz", [])}
    kept = {code: str(value) for code, value in answers.items() if code in codes}
    score, passed = grade_quiz(training, kept)
    attempt = TrainingQuizAttempt.objects.create(
        engagement=engagement,
        user=actor,
        answers=kept,
        score_percent=score,
        passed=passed,
        submission_token=submission_token,
    )
    audit_record(
        actor=actor,
        action="support.training_quiz_answered",
        obj=attempt,
        changes={"engagement": engagement.pk, "score_percent": score, "passed": passed},
    )
    return attempt


# --- Claims for the email tasks (each email once) ------------------------------------------------


def claim_invitation_email(invitation_id: int) -> bool:
    return bool(
        ClientInvitation.objects.filter(
            pk=invitation_id, sent_at__isnull=True, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(sent_at=timezone.now())
    )


def claim_end_notice(engagement_id: int) -> bool:
    return bool(
        Engagement.objects.filter(
            pk=engagement_id, status=EngagementStatus.ENDED, end_notified_at__isnull=True
        ).update(end_notified_at=timezone.now())
    )


def claim_hearing_notice(hearing_id: int) -> bool:
    return bool(
        HearingRecord.objects.filter(pk=hearing_id, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
    )


def claim_session_notice(session_id: int) -> bool:
    return bool(
        TrainingSession.objects.filter(
            pk=session_id, notified_at__isnull=True, cancelled_at__isnull=True
        ).update(notified_at=timezone.now())
    )

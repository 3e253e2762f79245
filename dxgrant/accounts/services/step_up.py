"""A code from the person's authenticator app that confirms one act (step-up: the final
submission, acceptance, a change of payee account, the results report): checked with a limit on
wrong codes. `check_code` is the check; `verify_for` is what every act's page calls (the check, a
refused code in the audit log against the object of the act, the email when the limit is reached);
`require_fresh` is what the act's service calls with the accepted attempt.

Each attempt is stored (`StepUpAttempt`): the limit counts those rows, never the audit log (the
caller records the refused ones there, against the object of the act). Five wrong codes within
ten minutes (counted since the last accepted one) stop further tries for the rest of those ten
minutes; while stopped, no code is checked at all, so guessing on learns nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.core.notify import Enqueueable, enqueue_on_commit
from dxgrant.integrity.services import audit_record

from ..models import STEP_UP_ATTEMPT_LIMIT, STEP_UP_ATTEMPT_WINDOW, StepUpAttempt, StepUpOutcome, User

# An accepted code confirms an act submitted within this time.
FRESH_FOR = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class StepUpResult:
    """What happened to one code. `refusal` is a message for the person, or "" when accepted;
    `locked_now` is true for the wrong code that reached the limit (tell the person by email)."""

    attempt: StepUpAttempt | None
    refusal: str = ""
    locked_now: bool = False

    @property
    def ok(self) -> bool:
        return not self.refusal

    @property
    def outcome(self) -> str:
        return self.attempt.outcome if self.attempt is not None else "not_enrolled"


def _wrong_codes(user: User, purpose: str, now: dt.datetime) -> list[dt.datetime]:
    """When the wrong codes counted now were entered, newest first (at most the limit): those in
    the window since the last accepted code."""
    since = now - STEP_UP_ATTEMPT_WINDOW
    attempts = StepUpAttempt.objects.filter(user=user, purpose=purpose, at__gte=since)
    accepted = (
        attempts.filter(outcome=StepUpOutcome.ACCEPTED).order_by("-at").values_list("at", flat=True).first()
    )
    wrong = attempts.filter(outcome=StepUpOutcome.WRONG_CODE)
    if accepted is not None:
        wrong = wrong.filter(at__gt=accepted)
    return list(wrong.order_by("-at").values_list("at", flat=True)[:STEP_UP_ATTEMPT_LIMIT])


def _stopped_message(until: dt.datetime) -> str:
    return _(
        "認証コードを%(limit)s回続けて間違えたため、10分間は入力を受け付けません（%(time)s以降にもう一度お試しください）。"
        "ご自身で入力していない場合は、パスワードを変更し、事務局にご連絡ください。"
    ) % {"limit": STEP_UP_ATTEMPT_LIMIT, "time": timezone.localtime(until).strftime("%H:%M")}


@transaction.atomic
def check_code(*, user: User, code: str, purpose: str, ip_address: str | None = None) -> StepUpResult:
    """Check a code from `user`'s authenticator app for `purpose` (a StepUpPurpose).

    Callers: the page of the act, for the signed-in person themselves. Refused, with the reason
    for the person: no authenticator enrolled (nothing recorded); tries stopped after too many
    wrong codes (recorded, the code not checked); a wrong or expired code (recorded, with the
    number of tries left). One check per person at a time (their row is locked), so parallel
    guesses cannot overrun the limit.
    """
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return StepUpResult(attempt=None, refusal=_("この操作には二段階認証（認証アプリ）の設定が必要です。"))
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
    now = timezone.now()
    wrong = _wrong_codes(user, purpose, now)

    def record(outcome: str) -> StepUpAttempt:
        return StepUpAttempt.objects.create(
            user=user, purpose=purpose, at=now, outcome=outcome, ip_address=ip_address
        )

    if len(wrong) >= STEP_UP_ATTEMPT_LIMIT:
        attempt = record(StepUpOutcome.TOO_MANY_ATTEMPTS)
        until = wrong[STEP_UP_ATTEMPT_LIMIT - 1] + STEP_UP_ATTEMPT_WINDOW
        return StepUpResult(attempt=attempt, refusal=_stopped_message(until))
    if code and TOTP(authenticator).validate_code(code.strip()):
        return StepUpResult(attempt=record(StepUpOutcome.ACCEPTED))
    attempt = record(StepUpOutcome.WRONG_CODE)
    wrong = [now, *wrong]
    left = STEP_UP_ATTEMPT_LIMIT - len(wrong)
    if left <= 0:
        until = wrong[STEP_UP_ATTEMPT_LIMIT - 1] + STEP_UP_ATTEMPT_WINDOW
        return StepUpResult(attempt=attempt, refusal=_stopped_message(until), locked_now=True)
    return StepUpResult(
        attempt=attempt,
        refusal=_(
            "認証コードが正しくないか、有効期限が切れています。認証アプリに表示されている6桁の数字を入力してください"
            "（あと%(left)s回間違えると、10分間は入力を受け付けません）。"
        )
        % {"left": left},
    )


@dataclass(frozen=True)
class CodeCheck:
    """The accepted attempt, or the refusal for the person (tries left, or until when stopped).
    `attempt` is None when nothing was recorded (no authenticator enrolled)."""

    attempt: StepUpAttempt | None
    refusal: str = ""

    def __bool__(self) -> bool:
        return not self.refusal


@transaction.atomic
def verify_for(
    *,
    user: User,
    code: str,
    purpose: str,
    obj: models.Model,
    refused_action: str,
    on_locked: Enqueueable,
    ip_address: str | None = None,
) -> CodeCheck:
    """Check `user`'s code for `purpose` to act on `obj` (an application). A refused code is
    audited against `obj` as `refused_action`; the wrong code that reaches the limit enqueues
    `on_locked(obj.pk, attempt.pk)` (the email: someone may be guessing). Its own transaction,
    and a refusal is returned, not raised, so that the attempt and its audit entry are kept."""
    result = check_code(user=user, code=code, purpose=purpose, ip_address=ip_address)
    if result.ok and result.attempt is not None:
        return CodeCheck(result.attempt)
    if result.attempt is not None:
        audit_record(
            actor=user,
            action=refused_action,
            obj=obj,
            changes={"outcome": result.outcome, "ip": ip_address or ""},
        )
        if result.locked_now:
            enqueue_on_commit(on_locked, obj.pk, result.attempt.pk)
    return CodeCheck(result.attempt, result.refusal)


def require_fresh(attempt: StepUpAttempt | None, *, actor: User, purpose: str) -> None:
    """Refuse (ValidationError on "code") unless `attempt` is an accepted code of `actor` for
    `purpose`, entered within FRESH_FOR."""
    fresh = (
        attempt is not None
        and attempt.user_id == actor.pk
        and attempt.purpose == purpose
        and attempt.outcome == StepUpOutcome.ACCEPTED
        and attempt.at >= timezone.now() - FRESH_FOR
    )
    if not fresh:
        raise ValidationError(
            {
                "code": _(
                    "認証アプリに表示されている6桁のコードを入力して、ご本人であることを確認してください。"
                )
            }
        )

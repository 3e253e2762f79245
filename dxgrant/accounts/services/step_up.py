"""A code from the person's authenticator app that confirms one act (step-up; a submission):
checked with a limit on wrong codes.

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
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import STEP_UP_ATTEMPT_LIMIT, STEP_UP_ATTEMPT_WINDOW, StepUpAttempt, StepUpOutcome, User


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

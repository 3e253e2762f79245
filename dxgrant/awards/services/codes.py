"""The applicant's step-up for the acts of the award (acceptance, a change of account after
acceptance): a current code from their authenticator app, checked exactly as for the final
submission (accounts.services.step_up: five wrong codes in ten minutes stop the tries, and the person is
emailed when that happens), each refused code in the audit log against the application.

The page checks the code first (`verify_code`, its own transaction, so a refused code stays on
record; the refusal is returned, not raised) and hands the accepted attempt to the act, which refuses without a fresh one of the
person's own for that purpose (`require_fresh`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import StepUpAttempt, StepUpOutcome, User
from dxgrant.accounts.services import step_up
from dxgrant.applications.models import Application
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.integrity.services import audit_record

from .. import tasks

# An accepted code confirms an act submitted within this time.
FRESH_FOR = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class CodeCheck:
    """The accepted attempt, or the refusal for the person (tries left, or until when stopped)."""

    attempt: StepUpAttempt | None
    refusal: str = ""

    def __bool__(self) -> bool:
        return not self.refusal


@transaction.atomic
def verify_code(
    *, user: User, code: str, application: Application, purpose: str, ip_address: str | None = None
) -> CodeCheck:
    """Check `user`'s code for `purpose` (accounts.models.StepUpPurpose). A refusal is returned,
    not raised, so that the attempt and its audit entry are kept (the limit counts them)."""
    result = step_up.check_code(user=user, code=code, purpose=purpose, ip_address=ip_address)
    if result.ok and result.attempt is not None:
        return CodeCheck(result.attempt)
    if result.attempt is not None:
        audit_record(
            actor=user,
            action=f"awards.{purpose}_code_refused",
            obj=application,
            changes={"outcome": result.outcome, "ip": ip_address or ""},
        )
        if result.locked_now:
            enqueue_on_commit(tasks.send_code_locked, application.pk, result.attempt.pk)
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

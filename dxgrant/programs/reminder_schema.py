"""When reminders of due dates are sent, as round data: `round.rules.reminders`.

Every due date after the decision (acceptance, payee account, and the reports that follow) is
reminded a number of business days before it, and escalated once overdue: first to the advisor,
then to the secretariat. Business days skip weekends, Japanese public holidays and the New Year
break (`dxgrant.japan.business_days`). Every default lives here and only here.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from .schema_base import Strict


class ReminderRules(Strict):
    """Reminder offsets and escalation, in business days. Defaults here and only here."""

    # Remind the applicant's people this many business days before the due date, each once.
    before_business_days: list[int] = Field(default_factory=lambda: [5, 1], max_length=10)
    # Once overdue, tell the advisor this many business days after the due date...
    advisor_after_business_days: int = Field(default=1, ge=1, le=60)
    # ...and then the secretariat.
    secretariat_after_business_days: int = Field(default=3, ge=1, le=120)

    @model_validator(mode="after")
    def _consistent(self) -> ReminderRules:
        offsets = self.before_business_days
        if any(n < 1 or n > 60 for n in offsets):
            raise ValueError("before_business_days: 1から60までの営業日数を指定してください")
        if len(set(offsets)) != len(offsets):
            raise ValueError("before_business_days: 同じ営業日数が重複しています")
        if self.secretariat_after_business_days <= self.advisor_after_business_days:
            raise ValueError(
                "secretariat_after_business_days: アドバイザーへの通知（advisor_after_business_days）より後にしてください"
            )
        return self

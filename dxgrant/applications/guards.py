"""The workflow's guards, by the names the table gives them (workflow.LIFECYCLE).

A guard answers "may this transition happen now, given the data" and refuses with a
ValidationError in the words people read (a Decision answers "may this person": policies.py).
`services.transitions.transition` evaluates every guard the table names for the transition it
fires. What the guards read is a `Facts` object: a page that has already computed the task list
(selectors.application_page) passes it in, so the request judges readiness once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.core.i18n import localised
from dxgrant.programs.models import ApplicationStatus

from . import completeness, workflow
from .models import Application, ApplicationVersion, ScreeningCheck


class NotReady(ValidationError):
    """A section is incomplete, an eligibility rule fails or a condition of submission is not
    met; carries each reason."""


@dataclass
class Facts:
    """What the guards of one transition read. `task_list` and `readiness` are the page's, if
    it has computed them for this application (selectors.ApplicationPage)."""

    application: Application
    task_list: list[completeness.Section] | None = None
    readiness: list[str] | None = None
    requirements: list[str] | None = None
    today: dt.date = field(default_factory=timezone.localdate)

    @cached_property
    def readiness_problems(self) -> list[str]:
        if self.readiness is not None:
            return self.readiness
        return completeness.readiness_problems(self.application, self.task_list)

    @cached_property
    def requirement_problems(self) -> list[str]:
        if self.requirements is not None:
            return self.requirements
        return completeness.requirement_problems(self.application)

    @cached_property
    def latest_version(self) -> ApplicationVersion | None:
        return ApplicationVersion.objects.filter(application=self.application).order_by("-number").first()


def _ready_to_submit(facts: Facts) -> ValidationError | None:
    problems = facts.readiness_problems
    return NotReady(problems, code="not_ready") if problems else None


def _support_requirements_met(facts: Facts) -> ValidationError | None:
    problems = facts.requirement_problems
    return NotReady(problems, code="requirements_not_met") if problems else None


def _window_open(facts: Facts) -> ValidationError | None:
    # A correction after a return is due by its own date instead (correction_not_overdue).
    application = facts.application
    if application.returned_until is not None:
        return None
    if application.round.application_status(facts.today) != ApplicationStatus.OPEN:
        return ValidationError(_("申請の受付期間外のため提出できません。"), code="window_closed")
    return None


def _correction_not_overdue(facts: Facts) -> ValidationError | None:
    # The due date the secretariat set may fall after the window has closed; the closing day
    # counts in full (Asia/Tokyo).
    due = facts.application.returned_until
    if due is not None and facts.today > due:
        return ValidationError(_("修正の期限を過ぎたため提出できません。"), code="return_overdue")
    return None


def _has_filed_version(facts: Facts) -> ValidationError | None:
    if facts.latest_version is None:
        return ValidationError(_("提出された版がないため差し戻せません。"), code="no_version")
    return None


def _screening_confirmed(facts: Facts) -> ValidationError | None:
    # Every item of the round's checklist confirmed as met for the latest submitted version.
    version = facts.latest_version
    items = list(facts.application.round.rules.review.screening)
    confirmed: set[str] = set()
    if version is not None:
        confirmed = set(
            ScreeningCheck.objects.filter(version=version, met=True).values_list("code", flat=True)
        )
    missing = [localised(item, "label") for item in items if item.code not in confirmed]
    if missing or not items:
        return ValidationError(
            _(
                "形式審査のすべての項目を「満たす」と確認するまで、交付審査へ進められません。未確認の項目：%(items)s"
            )
            % {"items": "、".join(missing) or "-"},
            code="screening_unconfirmed",
        )
    return None


GUARDS: dict[str, Callable[[Facts], ValidationError | None]] = {
    workflow.READY_TO_SUBMIT: _ready_to_submit,
    workflow.WINDOW_OPEN: _window_open,
    workflow.CORRECTION_NOT_OVERDUE: _correction_not_overdue,
    workflow.HAS_FILED_VERSION: _has_filed_version,
    workflow.SUPPORT_REQUIREMENTS_MET: _support_requirements_met,
    workflow.SCREENING_CONFIRMED: _screening_confirmed,
}


def require(facts: Facts, names: Iterable[str]) -> None:
    """Evaluate the named guards in order; the first that fails raises its refusal."""
    for name in names:
        refusal = GUARDS[name](facts)
        if refusal is not None:
            raise refusal

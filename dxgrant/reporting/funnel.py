"""The applications funnel: how far each application has come, from what the database holds
about it (its status, its committee outcome, whether it was ever filed). Pure: no database.

The stages follow the application's state machine (`applications/workflow.py`) and use its
labels: submitted → screening → review → decided (by the committee) → awarded → accepted → paid.
A stage counts every application that reached it, so the funnel never widens. Where the status
alone cannot tell how far an application came, the count is the furthest stage known for sure:
an application withdrawn after submission counts as submitted; one rejected without a committee
decision was refused at screening; a cancelled award counts as awarded (whether it had been
accepted or paid before the cancellation is not read here).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dxgrant.applications import workflow

DECIDED = "decided"
AWARDED_OUTCOME = "awarded"

STAGES: tuple[tuple[str, Promise], ...] = (
    (workflow.SUBMITTED, workflow.STATES[workflow.SUBMITTED]),
    (workflow.SCREENING, workflow.STATES[workflow.SCREENING]),
    (workflow.IN_REVIEW, workflow.STATES[workflow.IN_REVIEW]),
    (DECIDED, _("審査会の決定済み")),
    (workflow.AWARDED, workflow.STATES[workflow.AWARDED]),
    (workflow.ACCEPTED, workflow.STATES[workflow.ACCEPTED]),
    (workflow.PAID, workflow.STATES[workflow.PAID]),
)
_INDEX = {key: index for index, (key, _label) in enumerate(STAGES)}

# The furthest stage a status proves, once the application was filed.
_BY_STATUS: dict[str, str] = {
    workflow.SUBMITTED: workflow.SUBMITTED,
    workflow.WITHDRAWN: workflow.SUBMITTED,
    workflow.SCREENING: workflow.SCREENING,
    workflow.RETURNED: workflow.SCREENING,
    workflow.REJECTED: workflow.SCREENING,
    workflow.IN_REVIEW: workflow.IN_REVIEW,
    workflow.AWARDED: workflow.AWARDED,
    workflow.NOTIFIED: workflow.AWARDED,
    workflow.CANCELLED: workflow.AWARDED,
    workflow.REPAYMENT_DUE: workflow.AWARDED,
    workflow.REPAID: workflow.AWARDED,
    workflow.ACCEPTED: workflow.ACCEPTED,
    workflow.PAID: workflow.PAID,
    workflow.REPORTING: workflow.PAID,
    workflow.COMPLETED: workflow.PAID,
}


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    count: int


def furthest_stage(status: str, outcome: str | None, filed: bool) -> int:
    """The index in STAGES of the furthest stage an application reached; -1 if never filed.
    `filed` (a submission time is recorded) tells a withdrawal after submission from one before."""
    if status not in _BY_STATUS or (status == workflow.WITHDRAWN and not filed):
        return -1
    reached = _INDEX[_BY_STATUS[status]]
    if outcome == AWARDED_OUTCOME:
        reached = max(reached, _INDEX[workflow.AWARDED])
    elif outcome:
        reached = max(reached, _INDEX[DECIDED])
    return reached


def funnel(groups: Iterable[tuple[str, str | None, bool, int]]) -> list[Stage]:
    """Counts per stage from (status, committee outcome, filed, number of applications) groups."""
    reached = [0] * len(STAGES)
    for status, outcome, filed, count in groups:
        for index in range(furthest_stage(status, outcome, filed) + 1):
            reached[index] += count
    return [Stage(key, str(label), reached[index]) for index, (key, label) in enumerate(STAGES)]

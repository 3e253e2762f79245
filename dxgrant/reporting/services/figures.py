"""The dashboard's stored counts (reporting.ProgrammeFigures): read by the page, recounted by the
task worker once older than DXGRANT_DASHBOARD_MAX_AGE_SECONDS.

The page never scans the applications: it reads one row. The first time a round is shown there
is no row yet, and the page counts once itself (the programme's first look, not its 200,000th
application). A stale row is shown with the time it was counted while one recount is queued: the
claim `recount_queued_at` lets one request queue it; a claim older than RECOUNT_CLAIM_EXPIRES
(a worker killed mid-count) may be taken again.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dxgrant.core.notify import enqueue_on_commit
from dxgrant.programs.models import Round

from .. import dashboard, tasks
from ..models import ProgrammeFigures

RECOUNT_CLAIM_EXPIRES = dt.timedelta(minutes=10)


def _stale(row: ProgrammeFigures) -> bool:
    age = timezone.now() - row.counted_at
    return age > dt.timedelta(seconds=settings.DXGRANT_DASHBOARD_MAX_AGE_SECONDS)


def _queue_recount(row: ProgrammeFigures) -> None:
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            ProgrammeFigures.objects.filter(pk=row.pk)
            .filter(Q(recount_queued_at__isnull=True) | Q(recount_queued_at__lt=now - RECOUNT_CLAIM_EXPIRES))
            .update(recount_queued_at=now)
        )
        if claimed:
            enqueue_on_commit(tasks.recount_figures, row.scope)


def figures(round_obj: Round | None, all_rounds: list[Round]) -> dashboard.Dashboard:
    """The dashboard of one round (or every round) from its stored counts: one query, and one
    more with the claim when the counts are old and a recount is queued."""
    row = ProgrammeFigures.objects.filter(scope=dashboard.scope_of(round_obj)).first()
    if row is None:
        row = dashboard.store(round_obj)
    elif _stale(row):
        _queue_recount(row)
    return dashboard.build(round_obj, all_rounds, dashboard.Counted.from_json(row.figures), row.counted_at)

"""Two secretariat people issuing the same notices at the same moment, in real threads on
PostgreSQL (the pattern of tests/applications/test_concurrency.py): each decision gets one notice,
one number and one email, whoever presses first."""

from __future__ import annotations

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.awards.models import Notice
from dxgrant.awards.services import issuing
from dxgrant.integrity.models import AuditEntry
from tests.applications.test_concurrency import assert_chain_verifies, together
from tests.audit_triggers import POSTGRES_THREADS

from .notice_builders import published_round

pytestmark = POSTGRES_THREADS


def test_two_people_issuing_one_decision_at_once_make_one_notice(programme, make_user):
    first, second = make_user(Role.SECRETARIAT), make_user(Role.SECRETARIAT, email="second@example.jp")
    _round, apps = published_round(programme, first)
    decision_id = apps["A"].decision.pk
    outcomes = together(
        lambda: issuing.issue_notice(actor=first, decision_id=decision_id),
        lambda: issuing.issue_notice(actor=second, decision_id=decision_id),
    )
    assert [o.error for o in outcomes] == [None, None]
    assert outcomes[0].value.pk == outcomes[1].value.pk  # the second press finds the first notice
    notice = Notice.objects.get()
    assert notice.decision_id == decision_id and notice.number.endswith("-000001")
    apps["A"].refresh_from_db()
    assert apps["A"].status == workflow.NOTIFIED
    assert AuditEntry.objects.filter(action="application.notify").count() == 1
    assert_chain_verifies()


def test_two_round_jobs_at_once_issue_each_notice_once(programme, make_user):
    first, second = make_user(Role.SECRETARIAT), make_user(Role.SECRETARIAT, email="second@example.jp")
    round_obj, apps = published_round(programme, first)
    decisions = [application.decision.pk for application in apps.values()]
    outcomes = together(
        *[
            lambda actor=actor: [issuing.issue_notice(actor=actor, decision_id=pk) for pk in decisions]
            for actor in (first, second)
        ]
    )
    assert [o.error for o in outcomes] == [None, None]
    notices = list(Notice.objects.order_by("number"))
    assert sorted(n.decision_id for n in notices) == sorted(decisions)
    assert [n.number[-6:] for n in notices] == [f"{n:06d}" for n in range(1, len(decisions) + 1)]
    assert_chain_verifies()

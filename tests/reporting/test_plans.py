"""The plan an award is carried out against (reporting/plans.py)."""

from dxgrant.reporting.plans import plan_of_snapshot


def test_the_plan_of_a_snapshot_reads_lines_milestones_and_kpis():
    snapshot = {
        "budget": {
            "lines": [{"item": "A", "eligible_amount_yen": 100}, {"item": "B", "eligible_amount_yen": 250}]
        },
        "plan": {
            "schedule": {"text": "", "data": {"milestones": [{"title": "導入", "due": "2026-06-30"}]}},
            "kpis": {"text": "", "data": {"sales": {"baseline": "1"}}},
        },
    }
    plan = plan_of_snapshot(snapshot, 0)
    assert plan.eligible_total_yen == 350
    assert plan.milestones == [{"title": "導入", "due": "2026-06-30"}]
    assert plan.kpis == {"sales": {"baseline": "1"}}


def test_a_snapshot_without_a_plan_has_an_empty_one():
    plan = plan_of_snapshot({}, 0)
    assert (plan.budget_lines, plan.milestones, plan.kpis, plan.eligible_total_yen) == ([], [], {}, 0)

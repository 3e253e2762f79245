"""The worked examples of docs/review-rules.md, computed by the pure modules and rendered as the
document shows them. The tests assert that each rendering appears in the document word for word,
so the document cannot drift from the code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from dxgrant.programs.review_schema import ReviewRules
from dxgrant.programs.schema import AmountRule, Criterion
from dxgrant.review import amount, ranking, scoring

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "review-rules.md"


def doc() -> str:
    return DOC_PATH.read_text(encoding="utf-8")


# The amount rule of the programme file's round.
RULE = AmountRule(
    cap_yen=100_000_000,
    floor_yen=1_000_000,
    rate_numerator=2,
    rate_denominator=3,
    rounding_unit_yen=1000,
    rounding="down",
    pass_score=60,
)
BANDED = AmountRule.model_validate(
    RULE.model_dump()
    | {
        "bands": [
            {"min_score": 60, "rate_numerator": 1, "rate_denominator": 2},
            {"min_score": 75, "rate_numerator": 2, "rate_denominator": 3},
            {"min_score": 90, "rate_numerator": 3, "rate_denominator": 4},
        ]
    }
)

# (label, rule, eligible cost, score)
AMOUNT_EXAMPLES = [
    ("A1 single rate", RULE, 12_345_679, Decimal("72.50")),
    ("A2 capped", RULE, 180_000_000, Decimal("88.00")),
    ("A3 below the floor", RULE, 1_400_000, Decimal("81.00")),
    ("A4 below the pass score", RULE, 30_000_000, Decimal("59.99")),
    ("B1 band from 60", BANDED, 30_000_000, Decimal("74.99")),
    ("B2 band from 75", BANDED, 30_000_000, Decimal("75.00")),
    ("B3 band from 90", BANDED, 30_000_000, Decimal("92.40")),
]


def yen(value: int) -> str:
    return f"{value:,}"


def render_amount(label: str, rule: AmountRule, eligible: int, score: Decimal) -> str:
    sheet = amount.proposed_amount(rule, eligible_cost_yen=eligible, score=score)
    raw = sheet.raw_yen
    raw_text = yen(int(raw)) if raw.denominator == 1 else f"{yen(int(raw))} {raw - int(raw)}"
    band = "—" if sheet.band is None else f"from {sheet.band.min_score}"
    return (
        f"| {label} | {yen(eligible)} | {score} | {band} | {sheet.rate_text} | {raw_text} | "
        f"{yen(sheet.rounded_yen)} | {'yes' if sheet.capped else 'no'} | {yen(sheet.rule_yen)} | "
        f"{yen(sheet.proposed_yen)} | {sheet.outcome_by_rule} |"
    )


# --- Aggregation ------------------------------------------------------------------------------

RUBRIC = [
    Criterion(code=code, name_ja=code, name_en=code, weight=weight, description_ja=code, description_en=code)
    for code, weight in [
        ("feasibility", 25),
        ("effect", 20),
        ("scale", 10),
        ("ripple", 15),
        ("management", 20),
        ("regional", 10),
    ]
]
CODES = [c.code for c in RUBRIC]


def _scores(*values: int) -> dict[str, int]:
    return dict(zip(CODES, values, strict=True))


# Three reviewers on three applications: "harsh" scores low everywhere, "lenient" high.
SCORES = {
    "P": {
        "harsh": _scores(3, 3, 2, 3, 3, 2),
        "fair": _scores(4, 4, 3, 4, 4, 3),
        "lenient": _scores(5, 5, 4, 5, 5, 5),
    },
    "Q": {
        "harsh": _scores(2, 2, 2, 2, 2, 2),
        "fair": _scores(3, 3, 3, 3, 3, 3),
        "lenient": _scores(3, 4, 3, 3, 4, 3),
    },
    "R": {
        "harsh": _scores(4, 3, 3, 3, 4, 3),
        "fair": _scores(2, 1, 2, 2, 2, 2),
        "lenient": _scores(5, 5, 5, 5, 5, 5),
    },
    "S": {
        "harsh": _scores(2, 1, 2, 2, 2, 1),
        "fair": _scores(3, 2, 3, 3, 3, 1),
        "lenient": _scores(4, 4, 4, 4, 4, 2),
    },
}
PLAIN = ReviewRules()
STANDARDISED = ReviewRules(standardise=True)


def render_aggregates(review: ReviewRules) -> str:
    result = scoring.aggregate(SCORES, rubric=RUBRIC, review=review, pass_score=60)
    lines = [
        "| application | harsh | fair | lenient | mean total | standardised | score | range | flagged | disqualified |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for app, agg in result.items():
        totals = " | ".join(str(agg.reviewer_totals[r]) for r in ("harsh", "fair", "lenient"))
        why = ", ".join(f"{d.rule} {'/'.join(d.criteria)}".strip() for d in agg.disqualifications) or "no"
        lines.append(
            f"| {app} | {totals} | {agg.mean_total} | {agg.standardised_total or '—'} | {agg.total} | "
            f"{agg.disagreement.range} | {'yes' if agg.disagreement.flagged else 'no'} | {why} |"
        )
    return "\n".join(lines)


def render_standardisation(app: str) -> str:
    """The figures behind one application's standardised total, reviewer by reviewer."""
    agg = scoring.aggregate(SCORES, rubric=RUBRIC, review=STANDARDISED, pass_score=60)[app]
    behind = agg.standardisation
    assert behind is not None
    lines = [
        f"Pool: mean {behind.pool_mean}, standard deviation {behind.pool_stdev}.",
        "",
        "| reviewer | total | reviewer's mean | reviewer's deviation | applications | z | standardised |",
        "|---|---|---|---|---|---|---|",
    ]
    for reviewer, z in behind.reviewers.items():
        lines.append(
            f"| {reviewer} | {z.total} | {z.mean} | {z.stdev} | {z.applications} | "
            f"{'—' if z.z is None else z.z} | {z.mapped} |"
        )
    lines.append(f"| mean |  |  |  |  |  | {agg.standardised_total} |")
    return "\n".join(lines)


# --- Ranking ----------------------------------------------------------------------------------

T0 = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
RANKING_ENTRIES = [
    ranking.Entry(101, Decimal("88.00"), T0 + dt.timedelta(days=3), 40_000_000, "fundable"),
    ranking.Entry(102, Decimal("84.50"), T0 + dt.timedelta(days=1), 35_000_000, "fundable"),
    ranking.Entry(103, Decimal("84.50"), T0 + dt.timedelta(days=2), 30_000_000, "fundable"),
    ranking.Entry(104, Decimal("80.00"), T0, 12_000_000, "fundable"),
    ranking.Entry(105, Decimal("77.25"), T0, 0, "disqualified", rule_yen=20_000_000),
    ranking.Entry(106, Decimal("71.00"), T0, 8_000_000, "fundable"),
    ranking.Entry(107, Decimal("66.00"), T0, 0, "below_floor", rule_yen=600_000),
    ranking.Entry(108, Decimal("52.00"), T0, 0, "below_pass_score", rule_yen=9_000_000),
]
BUDGET = 100_000_000
# The committee awards 105 against the review's disqualification, reduced to 10,000,000.
OVERRIDDEN = [
    ranking.Entry(
        e.application_id,
        e.score,
        e.submitted_at,
        e.proposed_yen,
        e.outcome_by_rule,
        rule_yen=e.rule_yen,
        decided_yen=10_000_000,
        forced_outcome="awarded",
    )
    if e.application_id == 105
    else e
    for e in RANKING_ENTRIES
]


def render_ranking(entries: list[ranking.Entry], budget: int) -> str:
    result = ranking.rank(entries, budget)
    lines = [
        "| rank | application | score | amount | funded | why not | running total | remaining |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in result.rows:
        lines.append(
            f"| {row.rank} | {row.entry.application_id} | {row.entry.score} | {yen(row.amount_yen)} | "
            f"{'yes' if row.funded else 'no'} | {row.reason or ''} | {yen(row.running_total_yen)} | "
            f"{yen(row.remaining_yen)} |"
        )
    return "\n".join(lines)

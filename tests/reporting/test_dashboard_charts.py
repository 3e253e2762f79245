"""The SVG renderer (reporting/charts.py) and the funnel (reporting/funnel.py): pure, no database."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from dxgrant.applications import workflow
from dxgrant.reporting import charts, funnel
from dxgrant.reporting.charts import Bar, bar_chart, bar_length, yen_compact

WIDTHS = re.compile(r'<rect class="bar" x="([\d.]+)" y="\d+" width="([\d.]+)"')


def _widths(svg: str) -> list[float]:
    return [float(w) for _x, w in WIDTHS.findall(svg)]


def test_bar_lengths_are_proportional_to_the_values_the_largest_filling_the_plot():
    svg = bar_chart(
        [Bar("東京都", 40, "40件"), Bar("大阪府", 20, "20件"), Bar("福岡県", 10, "10件")],
        title="都道府県別",
        empty_message="なし",
    )
    assert _widths(svg) == [charts.PLOT_WIDTH, charts.PLOT_WIDTH / 2, charts.PLOT_WIDTH / 4]


def test_a_centred_chart_draws_each_bar_about_the_middle():
    svg = bar_chart(
        [Bar("提出", 10, "10件"), Bar("採択", 4, "4件")], title="t", empty_message="e", centred=True
    )
    middles = {float(x) + float(w) / 2 for x, w in WIDTHS.findall(svg)}
    assert middles == {charts.LABEL_WIDTH + charts.PLOT_WIDTH / 2}


@given(st.lists(st.integers(min_value=0, max_value=10**13), min_size=1, max_size=50))
def test_no_bar_is_longer_than_the_plot_and_the_order_of_lengths_follows_the_values(values):
    largest = max(values)
    lengths = [bar_length(v, largest) for v in values]
    assert all(0 <= length <= charts.PLOT_WIDTH for length in lengths)
    pairs = sorted(zip(values, lengths, strict=True))
    assert [length for _value, length in pairs] == sorted(lengths)


def test_labels_and_titles_are_escaped():
    svg = bar_chart(
        [Bar('<script>alert("x")</script>&', 3, "<b>3</b>")], title='A&B "quoted"', empty_message="なし"
    )
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in svg
    assert 'aria-label="A&amp;B &quot;quoted&quot;:' in svg


def test_nothing_to_draw_is_an_empty_frame_with_the_message():
    for bars in ([], [Bar("提出", 0, "0件"), Bar("採択", 0, "0件")]):
        svg = bar_chart(bars, title="申請の状況", empty_message="提出された申請はまだありません。")
        assert "chart--empty" in svg
        assert 'class="bar"' not in svg
        assert "提出された申請はまだありません。" in svg
        assert 'role="img"' in svg and "<title" in svg


def test_japanese_text_is_kept_as_written_with_an_accessible_name():
    svg = bar_chart([Bar("北海道", 1, "1件")], title="都道府県別の採択", empty_message="なし", key="pref")
    assert 'role="img"' in svg
    assert '<title id="pref-title">都道府県別の採択</title>' in svg
    assert 'aria-labelledby="pref-title"' in svg
    assert 'aria-label="都道府県別の採択: 北海道 1件"' in svg


def test_yen_is_labelled_in_man_and_oku():
    assert yen_compact(3_000_000_000) == "30.0億円"
    assert yen_compact(120_000_000) == "1.2億円"
    assert yen_compact(34_500_000) == "3,450万円"
    assert yen_compact(9_999) == "9,999円"
    assert yen_compact(0) == "0円"
    assert yen_compact(34_500_000, "en") == "¥34.5 million"
    assert yen_compact(3_000_000_000, "en") == "¥3.0 billion"


# The funnel


def test_the_furthest_stage_from_status_and_outcome():
    index = {key: i for i, (key, _label) in enumerate(funnel.STAGES)}
    assert funnel.furthest_stage(workflow.DRAFTING, None, False) == -1
    assert funnel.furthest_stage(workflow.WITHDRAWN, None, False) == -1
    assert funnel.furthest_stage(workflow.WITHDRAWN, None, True) == index[workflow.SUBMITTED]
    assert funnel.furthest_stage(workflow.RETURNED, None, True) == index[workflow.SCREENING]
    # Rejected at screening (no committee decision) vs by the committee.
    assert funnel.furthest_stage(workflow.REJECTED, None, True) == index[workflow.SCREENING]
    assert funnel.furthest_stage(workflow.REJECTED, "rejected", True) == index[funnel.DECIDED]
    assert funnel.furthest_stage(workflow.NOTIFIED, "awarded", True) == index[workflow.AWARDED]
    assert funnel.furthest_stage(workflow.ACCEPTED, "awarded", True) == index[workflow.ACCEPTED]
    assert funnel.furthest_stage(workflow.COMPLETED, "awarded", True) == index[workflow.PAID]
    assert funnel.furthest_stage(workflow.CANCELLED, "awarded", True) == index[workflow.AWARDED]


def test_a_worked_funnel():
    stages = funnel.funnel(
        [
            (workflow.DRAFTING, None, False, 50),
            (workflow.SUBMITTED, None, True, 5),
            (workflow.SCREENING, None, True, 4),
            (workflow.IN_REVIEW, None, True, 3),
            (workflow.REJECTED, "rejected", True, 2),
            (workflow.NOTIFIED, "awarded", True, 6),
            (workflow.PAID, "awarded", True, 1),
        ]
    )
    assert [s.count for s in stages] == [21, 16, 12, 9, 7, 1, 1]
    assert stages[0].label == "提出済み" and stages[-1].label == "交付済み"


@given(
    st.lists(
        st.tuples(
            st.sampled_from(list(workflow.STATES)),
            st.sampled_from([None, "awarded", "rejected", "disqualified"]),
            st.booleans(),
            st.integers(min_value=0, max_value=10_000),
        ),
        max_size=30,
    )
)
def test_the_funnel_never_widens(groups):
    counts = [s.count for s in funnel.funnel(groups)]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] <= sum(n for *_rest, n in groups)

"""The line chart of a company's KPI trend (reporting/charts.line_chart): pure, escaped, labelled."""

from dxgrant.reporting.charts import LINE_BOTTOM, LINE_HEIGHT, LINE_TOP, Series, line_chart, line_y


def test_a_line_per_series_with_a_point_per_known_value_and_escaped_labels():
    svg = line_chart(
        ["基準年", "1年目", "<b>2年目</b>"],
        [Series("実績", (100, 120, None)), Series('目標"&', (100, 110, 130))],
        title="労働生産性",
        empty_message="なし",
        key="t",
    )
    assert svg.count('class="line"') == 2 and svg.count("<circle") == 5
    assert 'role="img"' in svg and '<title id="t-title">労働生産性</title>' in svg
    assert "&lt;b&gt;2年目&lt;/b&gt;" in svg and "<b>" not in svg and "目標&quot;&amp;" in svg
    assert "実績 基準年 100, 1年目 120" in svg  # the aria-label reads the numbers


def test_nothing_to_draw_is_an_empty_frame_with_the_message():
    svg = line_chart(["基準年"], [Series("実績", (None,))], title="T", empty_message="報告なし")
    assert "chart--empty" in svg and "報告なし" in svg


def test_y_runs_from_the_lowest_at_the_bottom_to_the_highest_at_the_top():
    assert line_y(0, -50, 100) == LINE_TOP + (LINE_HEIGHT - LINE_TOP - LINE_BOTTOM) * 100 / 150
    assert line_y(100, 0, 100) == LINE_TOP
    assert line_y(0, 0, 100) == LINE_HEIGHT - LINE_BOTTOM

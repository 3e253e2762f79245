"""The answer rules: what each kind accepts, section status, the export cell."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxgrant.surveys import survey_rules as r

CHOICES = ("良い", "普通", "悪い")


def spec(kind: str, **kw: object) -> r.QuestionSpec:
    return r.QuestionSpec(key=1, kind=kind, **kw)  # type: ignore[arg-type]


def test_text_is_trimmed_and_empty_is_no_answer():
    assert r.clean_answer(spec(r.TEXT), "  よかった ") == "よかった"
    assert r.clean_answer(spec(r.TEXT), "   ") is None


def test_text_too_long_is_refused():
    with pytest.raises(r.AnswerError, match="4000文字以内"):
        r.clean_answer(spec(r.TEXT), "あ" * 4001)


def test_single_choice_must_be_one_of_the_choices():
    assert r.clean_answer(spec(r.SINGLE, choices=CHOICES), "普通") == "普通"
    with pytest.raises(r.AnswerError, match="選択肢にない"):
        r.clean_answer(spec(r.SINGLE, choices=CHOICES), "最高")


def test_multiple_keeps_the_choices_order_and_refuses_unknown():
    assert r.clean_answer(spec(r.MULTIPLE, choices=CHOICES), ["悪い", "良い"]) == ["良い", "悪い"]
    assert r.clean_answer(spec(r.MULTIPLE, choices=CHOICES), []) is None
    with pytest.raises(r.AnswerError):
        r.clean_answer(spec(r.MULTIPLE, choices=CHOICES), ["良い", "x"])


def test_number_accepts_full_width_and_commas_within_limits():
    question = spec(r.NUMBER, min_value=0, max_value=10000)
    assert r.clean_answer(question, "１，２００") == 1200
    with pytest.raises(r.AnswerError, match="0以上"):
        r.clean_answer(question, "-1")
    with pytest.raises(r.AnswerError, match="10000以下"):
        r.clean_answer(question, "10001")
    with pytest.raises(r.AnswerError, match="整数"):
        r.clean_answer(question, "12.5")


@given(st.integers(min_value=-100, max_value=100))
def test_scale_accepts_exactly_one_to_five(n):
    if 1 <= n <= 5:
        assert r.clean_answer(spec(r.SCALE), str(n)) == n
    else:
        with pytest.raises(r.AnswerError):
            r.clean_answer(spec(r.SCALE), str(n))


def test_definition_checks():
    assert r.check_definition(r.SINGLE, ["a"], None, None) == {
        "choices": r.check_definition(r.SINGLE, [], None, None)["choices"]
    }
    assert "choices" in r.check_definition(r.MULTIPLE, ["a", "a"], None, None)
    assert "choices" in r.check_definition(r.TEXT, ["a"], None, None)
    assert "max_value" in r.check_definition(r.NUMBER, [], 5, 1)
    assert "min_value" in r.check_definition(r.SCALE, [], 1, None)
    assert r.check_definition(r.NUMBER, [], 1, 5) == {}
    assert r.check_definition(r.SINGLE, ["a", "b"], None, None) == {}


def test_section_status():
    questions = [spec(r.TEXT, required=True), r.QuestionSpec(key=2, kind=r.SCALE)]
    assert r.section_status(questions, {}) == r.NOT_STARTED
    assert r.section_status(questions, {2: 3}) == r.IN_PROGRESS
    assert r.section_status(questions, {1: "x"}) == r.COMPLETED


def test_export_cell_joins_multiple_choices():
    assert r.export_cell(r.MULTIPLE, ["良い", "悪い"]) == "良い；悪い"
    assert r.export_cell(r.NUMBER, 12) == "12"
    assert r.export_cell(r.TEXT, None) == ""


def test_a_sections_fingerprint_follows_its_answers_not_their_order():
    answers = {3: ["売上", "品質"], 1: 4, 2: "良い"}
    same = {1: 4, 2: "良い", 3: ["売上", "品質"]}
    assert r.fingerprint(answers) == r.fingerprint(same)
    assert r.fingerprint(answers) != r.fingerprint(same | {1: 5})
    assert r.fingerprint(answers) != r.fingerprint({1: 4, 2: "良い"})
    assert r.fingerprint({}) >= 0  # never the -1 of a missing revision

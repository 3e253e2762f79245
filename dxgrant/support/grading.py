"""Grading the comprehension quiz after training (理解度確認テスト): pure, no database."""

from __future__ import annotations

from collections.abc import Mapping

from dxgrant.programs.schema import Training


def kept_answers(training: Training, answers: Mapping[str, object]) -> dict[str, str]:
    """The answers to the round's questions, as text; anything else that was posted is dropped."""
    codes = {question.code for question in training.quiz}
    return {code: str(value) for code, value in answers.items() if code in codes}


def grade_quiz(training: Training, answers: Mapping[str, str]) -> tuple[int, bool]:
    """(score in percent, rounded down; passed) against the round's questions and pass mark."""
    questions = list(training.quiz)
    if not questions:
        return 0, False
    correct = sum(1 for q in questions if answers.get(q.code) == q.answer)
    score = correct * 100 // len(questions)
    return score, score >= training.pass_mark_percent

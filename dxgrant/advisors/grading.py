"""Grading the advisor course's quiz. Pure: questions and answers in, the grade out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dxgrant.programs.schema import QuizQuestion


@dataclass(frozen=True)
class Grade:
    correct: int
    total: int
    wrong_codes: list[str]
    score_percent: int
    passed: bool


def unanswered(questions: Sequence[QuizQuestion], answers: Mapping[str, str]) -> list[str]:
    return [q.code for q in questions if not answers.get(q.code)]


def grade(questions: Sequence[QuizQuestion], answers: Mapping[str, str], pass_mark_percent: int) -> Grade:
    """The score is rounded down: 4 of 5 is 80%, 2 of 3 is 66%."""
    wrong = [q.code for q in questions if answers.get(q.code) != q.answer]
    correct = len(questions) - len(wrong)
    score = correct * 100 // len(questions)
    return Grade(correct, len(questions), wrong, score, score >= pass_mark_percent)

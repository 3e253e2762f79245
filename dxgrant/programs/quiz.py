"""Grading a quiz of the programme's (the advisor course's, the applicant training's): pure,
questions and answers in, the grade out. One rule for both: the score is the share of correct
answers in percent, rounded down (4 of 5 is 80%, 2 of 3 is 66%), passed at the pass mark."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .schema import QuizQuestion


@dataclass(frozen=True)
class Grade:
    correct: int
    total: int
    wrong_codes: list[str]
    score_percent: int
    passed: bool


def kept_answers(questions: Sequence[QuizQuestion], answers: Mapping[str, object]) -> dict[str, str]:
    """The answers to these questions, as text; anything else that was posted is dropped."""
    codes = {question.code for question in questions}
    return {code: str(value) for code, value in answers.items() if code in codes}


def unanswered(questions: Sequence[QuizQuestion], answers: Mapping[str, str]) -> list[str]:
    return [q.code for q in questions if not answers.get(q.code)]


def grade(questions: Sequence[QuizQuestion], answers: Mapping[str, str], pass_mark_percent: int) -> Grade:
    if not questions:
        return Grade(0, 0, [], 0, False)
    wrong = [q.code for q in questions if answers.get(q.code) != q.answer]
    correct = len(questions) - len(wrong)
    score = correct * 100 // len(questions)
    return Grade(correct, len(questions), wrong, score, score >= pass_mark_percent)

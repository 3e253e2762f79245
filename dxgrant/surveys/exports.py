"""The answers of a survey as rows: a header, then one row per invitation, one column per question
(multiple choices joined with "；"). A plain generator, which the general export framework writes as
CSV, Shift_JIS or xlsx (list "survey-answers", exports/lists_staff.py).

Reads in chunks (invitations by id, their answers per chunk): memory stays flat whatever the count."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from dxgrant.core.i18n import localised

from . import survey_rules
from .models import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion

CHUNK = 500


def _state(invitation: SurveyInvitation) -> str:
    return {"submitted": _("提出済み"), "started": _("回答中"), "invited": _("未回答")}[invitation.state]


def rows(survey: Survey, chunk: int = CHUNK) -> Iterator[list[str]]:
    questions = list(
        SurveyQuestion.objects.filter(section__survey=survey).order_by("section__position", "position", "id")
    )
    yield [
        _("受付番号"),
        _("会社名・屋号"),
        _("都道府県"),
        _("回答状況"),
        _("提出日時"),
        *[f"Q{n}. {localised(q, 'text')}" for n, q in enumerate(questions, start=1)],
    ]
    last = 0
    while True:
        invitations = list(
            SurveyInvitation.objects.filter(survey=survey, pk__gt=last)
            .select_related("application")
            .order_by("pk")[:chunk]
        )
        if not invitations:
            return
        answers: dict[tuple[int, int], Any] = {
            (inv, q): value
            for inv, q, value in SurveyAnswer.objects.filter(invitation__in=invitations).values_list(
                "invitation_id", "question_id", "value"
            )
        }
        for invitation in invitations:
            application = invitation.application
            submitted = invitation.submitted_at
            yield [
                application.receipt_number or "",
                application.company_name,
                application.prefecture,
                _state(invitation),
                submitted.astimezone().strftime("%Y-%m-%d %H:%M") if submitted else "",
                *[survey_rules.export_cell(q.kind, answers.get((invitation.pk, q.pk))) for q in questions],
            ]
        last = invitations[-1].pk

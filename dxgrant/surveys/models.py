"""Surveys of the grant's companies: a survey (sections of questions), its invitations (one per
application of the cohort) and their answers.

A sent survey is frozen: its sections and questions never change, since answers refer to them
(the services refuse; `Survey.status` is checked by the database)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dxgrant.core.lifecycle import status_constraint

from . import lifecycle, survey_rules


class Survey(models.Model):
    title_ja = models.CharField(_("調査名（日本語）"), max_length=200)
    title_en = models.CharField(_("調査名（英語）"), max_length=200, blank=True)
    description = models.TextField(_("説明"), blank=True, max_length=4000)
    due_on = models.DateField(_("回答期限"))
    status = models.CharField(
        _("状態"), max_length=16, choices=list(lifecycle.SURVEY.states.items()), default=lifecycle.DRAFT
    )
    # The cohort it was sent to (round, and any filters), recorded when sent.
    cohort = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("調査")
        verbose_name_plural = _("調査")
        constraints = [status_constraint("status", lifecycle.SURVEY, "survey_status_known")]

    def __str__(self) -> str:
        return self.title_ja

    @property
    def is_draft(self) -> bool:
        return self.status == lifecycle.DRAFT


class SurveySection(models.Model):
    """One item of the respondent's task list."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    title_ja = models.CharField(_("セクション名（日本語）"), max_length=200)
    title_en = models.CharField(_("セクション名（英語）"), max_length=200, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="survey_section_position_unique")
        ]

    def __str__(self) -> str:
        return self.title_ja


class SurveyQuestion(models.Model):
    section = models.ForeignKey(SurveySection, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField()
    kind = models.CharField(_("種類"), max_length=16, choices=list(survey_rules.KINDS.items()))
    text_ja = models.CharField(_("質問（日本語）"), max_length=500)
    text_en = models.CharField(_("質問（英語）"), max_length=500, blank=True)
    required = models.BooleanField(_("回答必須"), default=False)
    choices = models.JSONField(_("選択肢"), default=list, blank=True)
    min_value = models.BigIntegerField(_("最小値"), null=True, blank=True)
    max_value = models.BigIntegerField(_("最大値"), null=True, blank=True)

    class Meta:
        ordering = ["section__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["section", "position"], name="survey_question_position_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=list(survey_rules.KINDS)), name="survey_question_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.text_ja

    @property
    def spec(self) -> survey_rules.QuestionSpec:
        return survey_rules.QuestionSpec(
            key=self.pk,
            kind=self.kind,
            required=self.required,
            choices=tuple(self.choices or ()),
            min_value=self.min_value,
            max_value=self.max_value,
        )


class SurveyInvitation(models.Model):
    """One application of the cohort asked to answer; its applicant's people answer it."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="invitations")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="survey_invitations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The invitation email's claim (tasks.send_invitation): sent once.
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "application"], name="survey_invitation_once"),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(submitted_by__isnull=False),
                name="survey_invitation_submitted_by",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.application_id}"

    @property
    def state(self) -> str:
        if self.submitted_at is not None:
            return "submitted"
        return "started" if self.started_at is not None else "invited"


class SurveyAnswer(models.Model):
    invitation = models.ForeignKey(SurveyInvitation, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invitation", "question"], name="survey_answer_once_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id}:{self.question_id}"

"""Programmes and their rounds. Facts that are filtered, compared or summed are columns; texts and
rule sets are kept as validated JSON (see schema.py) and versioned by the file they came from."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import schema


class Programme(models.Model):
    code = models.SlugField(_("制度コード"), max_length=50, unique=True)
    name_ja = models.CharField(_("制度名"), max_length=200)
    name_en = models.CharField(_("制度名（英語）"), max_length=200)
    max_award_yen = models.PositiveBigIntegerField(_("支援金額の上限（円）"))
    content = models.JSONField(_("公開する内容"), default=dict)
    advisor_certification = models.JSONField(_("認定事業者の認定"), default=dict)
    advisor_course = models.JSONField(_("アドバイザー研修"), default=dict)
    current_version = models.ForeignKey(
        "ProgrammeDefinitionVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("制度")
        verbose_name_plural = _("制度")

    def __str__(self) -> str:
        return self.name_ja

    @cached_property
    def certification_rules(self) -> schema.AdvisorCertification:
        """How advisor firms are certified, as validated by the programme file's schema."""
        return schema.AdvisorCertification.model_validate(self.advisor_certification)

    @cached_property
    def course(self) -> schema.AdvisorCourse:
        """The advisor course, as validated by the programme file's schema."""
        return schema.AdvisorCourse.model_validate(self.advisor_course)


class ProgrammeDefinitionVersion(models.Model):
    """One loaded revision of a programme definition file, kept whole for the record."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="versions")
    sha256 = models.CharField(max_length=64)
    source_name = models.CharField(max_length=255)
    document = models.JSONField()
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("制度定義の版")
        verbose_name_plural = _("制度定義の版")
        ordering = ["-loaded_at"]
        constraints = [models.UniqueConstraint(fields=["programme", "sha256"], name="programme_version_once")]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.sha256[:12]})"


class ApplicationStatus(models.TextChoices):
    BEFORE = "before", _("受付開始前")
    OPEN = "open", _("受付中")
    CLOSED = "closed", _("受付終了")


class RoundQuerySet(models.QuerySet["Round"]):
    def public(self) -> RoundQuerySet:
        return self.filter(is_demo=False)


class Round(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="rounds")
    code = models.SlugField(_("公募回コード"), max_length=50, unique=True)
    name_ja = models.CharField(_("公募回名"), max_length=200)
    name_en = models.CharField(_("公募回名（英語）"), max_length=200)
    application_opens = models.DateField(_("申請受付開始日"))
    application_closes = models.DateField(_("申請受付締切日"))
    programme_period_starts = models.DateField(_("対象期間の開始日"))
    programme_period_ends = models.DateField(_("対象期間の終了日"))
    max_award_yen = models.PositiveBigIntegerField(_("支援金額の上限（円）"))
    budget_yen = models.PositiveBigIntegerField(_("予算額（円）"))
    is_demo = models.BooleanField(_("デモ用"), default=False)
    eligibility = models.JSONField(_("申請要件"), default=dict)
    rubric = models.JSONField(_("審査基準"), default=list)
    amount_rule = models.JSONField(_("支援金額の算定ルール"), default=dict)
    documents = models.JSONField(_("必要書類"), default=list)
    training = models.JSONField(_("申請者向け研修"), default=dict)
    application_rules = models.JSONField(_("申請の作成ルール"), default=dict)
    review_rules = models.JSONField(_("審査のルール"), default=dict)
    award_rules = models.JSONField(_("交付のルール"), default=dict)
    reminder_rules = models.JSONField(_("督促のルール"), default=dict)
    reporting_rules = models.JSONField(_("交付後の報告のルール"), default=dict)
    texts = models.JSONField(_("表示用テキスト"), default=dict)
    definition_version = models.ForeignKey(
        ProgrammeDefinitionVersion, on_delete=models.PROTECT, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("公募回")
        verbose_name_plural = _("公募回")
        ordering = ["application_opens", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(application_closes__gte=F("application_opens")),
                name="round_application_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(programme_period_ends__gte=F("programme_period_starts")),
                name="round_programme_period_ordered",
            ),
            models.CheckConstraint(condition=Q(budget_yen__gt=0), name="round_budget_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name_ja} ({self.code})"

    def application_status(self, today: dt.date | None = None) -> ApplicationStatus:
        """Computed from the server clock in Asia/Tokyo; the closing day counts in full."""
        today = today or timezone.localdate()
        if today < self.application_opens:
            return ApplicationStatus.BEFORE
        if today > self.application_closes:
            return ApplicationStatus.CLOSED
        return ApplicationStatus.OPEN

    @cached_property
    def rules(self) -> schema.RoundRules:
        """The round's rules as validated models: `round.rules.application.quote_threshold_yen`."""
        return schema.RoundRules(
            eligibility=self.eligibility,
            rubric=self.rubric,
            amount_rule=self.amount_rule,
            documents=self.documents,
            training=self.training,
            application=self.application_rules,
            review=self.review_rules,
            awards=self.award_rules,
            reminders=self.reminder_rules,
            reporting=self.reporting_rules,
        )

    @property
    def schedule(self) -> list[dict[str, Any]]:
        return list(self.texts.get("schedule", []))


class DeclarationText(models.Model):
    """The wording of one declaration, by version. Wording is never edited in place: a new text
    is a new version, so what an applicant agreed to can always be shown as it was."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="declarations")
    key = models.SlugField(max_length=50)
    version = models.PositiveIntegerField()
    text_ja = models.TextField()
    text_en = models.TextField()

    class Meta:
        verbose_name = _("宣誓・同意の文言")
        verbose_name_plural = _("宣誓・同意の文言")
        ordering = ["round", "key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["round", "key", "version"], name="declaration_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"

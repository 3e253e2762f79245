"""The application (申請): the company's facts, the plan and budget written with the advisor, the
applicant's own declarations and confirmations, documents, and immutable submitted versions.

Values that are compared, filtered or summed are columns (employees, capital, sales, totals,
prefecture, industry, status). Long texts of the business plan are rows of PlanSection, each with
its own revision for optimistic locking.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dxgrant.core.lifecycle import status_constraint
from dxgrant.core.search import Searchable

from . import workflow


class EntityType(models.TextChoices):
    CORPORATION = "corporation", _("法人")
    SOLE_PROPRIETOR = "sole_proprietor", _("個人事業主")


class FeeTiming(models.TextChoices):
    """When the advisor's fee is paid (the disclosure form offers these; labels shown everywhere)."""

    ADVANCE = "advance", _("申請前（前払い）")
    ON_SUBMISSION = "on_submission", _("申請時")
    # Worded as the firms' register words it (advisors.models.FeeTiming): one wording everywhere.
    ON_AWARD = "on_award", _("交付決定後")
    ON_PAYMENT = "on_payment", _("支援金の交付後")
    MONTHLY = "monthly", _("月額（支援期間中）")


class Application(Searchable, models.Model):
    # The staff list finds an application by any of these (dxgrant.core.search).
    SEARCH_FIELDS = ("company_name", "company_name_kana", "corporate_number", "receipt_number")

    round = models.ForeignKey("programs.Round", on_delete=models.PROTECT, related_name="applications")
    engagement = models.OneToOneField(
        "support.Engagement", on_delete=models.PROTECT, related_name="application"
    )
    firm = models.ForeignKey("advisors.AdvisorFirm", on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        _("状態"),
        max_length=40,
        choices=list(workflow.STATES.items()),
        default=workflow.DRAFTING,
        db_index=True,
    )
    # Identifies the company within the round: 法人番号, or "name:<normalised name>" for a sole
    # proprietor. One live application per company per round (constraint below).
    company_key = models.CharField(max_length=220)
    # Company profile (会社概要)
    entity_type = models.CharField(_("事業者の形態"), max_length=20, choices=EntityType.choices, blank=True)
    legal_form = models.CharField(_("法人格"), max_length=30, blank=True)
    corporate_number = models.CharField(_("法人番号"), max_length=13, blank=True)
    company_name = models.CharField(_("会社名・屋号"), max_length=200)
    company_name_kana = models.CharField(_("会社名・屋号（フリガナ）"), max_length=200, blank=True)
    representative_name = models.CharField(_("代表者氏名"), max_length=100, blank=True)
    representative_name_kana = models.CharField(_("代表者氏名（フリガナ）"), max_length=100, blank=True)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    prefecture = models.CharField(_("都道府県"), max_length=10, blank=True, db_index=True)
    city = models.CharField(_("市区町村"), max_length=100, blank=True)
    address_line = models.CharField(_("番地・建物名"), max_length=200, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    industry = models.CharField(
        _("業種（日本標準産業分類・大分類）"), max_length=1, blank=True, db_index=True
    )
    employees = models.PositiveIntegerField(_("常時使用する従業員数"), null=True, blank=True, db_index=True)
    capital_yen = models.PositiveBigIntegerField(_("資本金（円）"), null=True, blank=True)
    founded_on = models.DateField(_("設立・開業日"), null=True, blank=True)
    fiscal_year_end_month = models.PositiveSmallIntegerField(_("決算月"), null=True, blank=True)
    sales_last_yen = models.BigIntegerField(_("売上高（直近期）"), null=True, blank=True)
    sales_previous_yen = models.BigIntegerField(_("売上高（前期）"), null=True, blank=True)
    operating_profit_last_yen = models.BigIntegerField(_("営業利益（直近期）"), null=True, blank=True)
    operating_profit_previous_yen = models.BigIntegerField(_("営業利益（前期）"), null=True, blank=True)
    antisocial_ties = models.BooleanField(_("反社会的勢力との関係がある"), null=True)
    legal_compliance = models.BooleanField(_("法令および公序良俗を遵守している"), null=True)
    profile_revision = models.PositiveIntegerField(default=0)
    # The advisor's fee disclosure for this application; the applicant confirms it.
    fee_amount_yen = models.PositiveBigIntegerField(_("アドバイザー報酬（円・税込）"), null=True, blank=True)
    fee_basis = models.TextField(_("報酬の算定方法"), blank=True, max_length=1000)
    fee_timing = models.CharField(_("支払時期"), max_length=30, blank=True)
    success_fee_percent = models.DecimalField(
        _("成功報酬（支援金額に対する％）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    advisor_sells_budget_items = models.BooleanField(
        _("アドバイザーまたは関係者が経費の品目を販売する"), null=True
    )
    advisor_sales_disclosure = models.TextField(_("販売する品目"), blank=True, max_length=2000)
    disclosure_revision = models.PositiveIntegerField(default=0)
    disclosure_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    disclosure_confirmed_at = models.DateTimeField(null=True, blank=True)
    disclosure_confirmed_revision = models.PositiveIntegerField(null=True, blank=True)
    # Totals of the budget, recomputed from the lines on every change (never typed).
    budget_total_yen = models.PositiveBigIntegerField(_("経費合計（税込）"), default=0)
    eligible_total_yen = models.PositiveBigIntegerField(_("対象経費合計"), default=0)
    # Submission
    receipt_number = models.CharField(_("受付番号"), max_length=30, unique=True, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    # When the applicant's people were emailed that the advisor asks for their final
    # confirmation: the email task's claim (tasks.send_confirmation_request), cleared by each
    # new request (services.submission.mark_ready).
    confirmation_requested_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    returned_until = models.DateField(_("修正期限"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("申請")
        verbose_name_plural = _("申請")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["round", "status", "-id"]),
            models.Index(fields=["firm", "-id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "company_key"],
                condition=~Q(status__in=sorted(workflow.ENDED)),
                name="one_live_application_per_company_round",
            ),
            status_constraint("status", workflow.LIFECYCLE, "application_status_known"),
            models.CheckConstraint(
                condition=Q(entity_type__in=["", *EntityType.values]), name="application_entity_type_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company_name} ({self.round_id})"

    @property
    def is_editable(self) -> bool:
        return self.status in workflow.EDITABLE


class PlanSection(models.Model):
    """One section of the business plan (事業計画書), written by the advisor and the applicant."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="plan_sections")
    code = models.SlugField(max_length=50)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)  # structured parts (measures, KPIs, milestones)
    revision = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "code"], name="plan_section_once")]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.code}"


class BudgetLine(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("経費区分"), max_length=50)
    item = models.CharField(_("品目"), max_length=200)
    vendor = models.CharField(_("発注先"), max_length=200)
    quantity = models.PositiveIntegerField(_("数量"))
    unit_price_yen = models.PositiveBigIntegerField(_("単価（税抜）"))
    tax_rate_percent = models.PositiveSmallIntegerField(_("消費税率（％）"), default=10)
    amount_yen = models.PositiveBigIntegerField(_("金額（税込）"))  # computed
    eligible_amount_yen = models.PositiveBigIntegerField(_("対象経費（税抜）"))  # computed
    # The quotation the line is bought on (相見積: chosen by the advisor), and why when it is not
    # the cheapest. The secretariat reads both on the staff detail, the PDF and the diff.
    chosen_quote = models.ForeignKey(
        "ApplicationDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("採用する見積書"),
    )
    choice_reason = models.TextField(_("最安でない見積書を採用する理由"), blank=True, default="")
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.item


class ApplicationDocument(models.Model):
    """A file attached to the application; private, served only through a permission check.
    Quotations (見積書) are attached to a budget line."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    code = models.SlugField(_("書類"), max_length=50)
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.CASCADE, null=True, blank=True, related_name="quotes"
    )
    file = models.FileField(upload_to="applications/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # A quotation's supplier (見積元) and amount (税抜), as typed when it was attached.
    supplier = models.CharField(_("見積元の業者名"), max_length=200, blank=True, default="")
    quoted_amount_yen = models.PositiveBigIntegerField(_("見積金額（税抜）"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "id"]

    def __str__(self) -> str:
        return self.original_name


class DeclarationAcceptance(models.Model):
    """The applicant ticked one declaration, in the wording of one version. Only the applicant."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="declarations")
    declaration = models.ForeignKey("programs.DeclarationText", on_delete=models.PROTECT, related_name="+")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "declaration"], name="declaration_accepted_once")
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.declaration_id}"


class ApplicationVersion(models.Model):
    """An immutable snapshot of the application as submitted (1 = first submission, 2 = after a
    return, ...). Staff compare versions to see what a correction changed."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # The confirm form's one-time token: a retried or double-clicked submission finds its version.
    submission_token = models.UUIDField(null=True, blank=True, unique=True)
    # When the receipt email went out: the email task's claim (tasks.send_submission_receipt),
    # set by a conditional UPDATE, the one change a version ever sees.
    receipt_emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="application_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} v{self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("a submitted version is never changed")
        super().save(*args, **kwargs)


class ReturnRequest(models.Model):
    """The secretariat returned the application for correction (差戻し), with comments per section."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="returns")
    version = models.ForeignKey(ApplicationVersion, on_delete=models.PROTECT, related_name="+")
    comments = models.JSONField()  # {section code: comment}
    due_on = models.DateField()
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # When the applicant's people and the lead advisor were emailed: the email task's claim
    # (tasks.send_return_notice).
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"return {self.pk} of {self.application_id}"


class RefusedDuplicate(models.Model):
    """An attempt to start a second live application for a company already applying in the
    round (with any firm). Written outside the refused transaction so the secretariat sees it."""

    round = models.ForeignKey("programs.Round", on_delete=models.CASCADE, related_name="+")
    company_key = models.CharField(max_length=220)
    firm = models.ForeignKey("advisors.AdvisorFirm", on_delete=models.CASCADE, related_name="+")
    attempted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attempted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.company_key} @ {self.round_id}"


class DocumentOpening(models.Model):
    """A staff member downloaded one of the application's files: the screening's evidence that
    the secretariat opened each document of the submitted version. Kept by the file's SHA-256
    (as the version's snapshot names it), so the record outlives a file removed in a later
    correction. One row per person and file; `last_opened_at` moves with each download."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="document_openings")
    sha256 = models.CharField(max_length=64)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    first_opened_at = models.DateTimeField()
    last_opened_at = models.DateTimeField()

    class Meta:
        ordering = ["first_opened_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "sha256", "opened_by"], name="document_opening_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sha256[:12]} by {self.opened_by_id}"


class ScreeningCheck(models.Model):
    """One item of the round's screening checklist (round.rules.review.screening) for one
    submitted version: the system's finding with its evidence when the item is automatic, and
    the secretariat's confirmation (met or not, with a note), with who and when."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="screening_checks")
    version = models.ForeignKey(ApplicationVersion, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(max_length=50)
    kind = models.CharField(max_length=30)  # the item's `check` (which automatic check, or manual)
    # {"met": true|false|null, "evidence": [text, ...]} as the system found it when confirmed.
    finding = models.JSONField(default=dict)
    met = models.BooleanField(_("要件を満たす"))
    note = models.TextField(_("メモ"), blank=True, max_length=2000)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="screening_check_once_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} v{self.version_id} {self.code}"


class ScreeningOutcome(models.TextChoices):
    PASSED = "passed", _("形式審査を通過")
    REJECTED = "rejected", _("要件を満たさないため不採択")


class ScreeningDecision(models.Model):
    """The outcome of the formal screening of one version: passed to review, or rejected as
    ineligible with reasons the applicant reads. `findings` are the checklist as decided."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="screening_decisions")
    version = models.ForeignKey(ApplicationVersion, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=ScreeningOutcome.choices)
    reasons = models.TextField(_("不採択の理由"), blank=True, max_length=4000)
    findings = models.JSONField(default=list)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    # When the applicant's people and the lead advisor were emailed a rejection: the email
    # task's claim (tasks.send_screening_rejection).
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["version"], name="screening_decided_once_per_version"),
            status_constraint("outcome", ScreeningOutcome.values, "screening_outcome_known"),
            models.CheckConstraint(
                condition=~Q(outcome="rejected") | ~Q(reasons=""), name="screening_rejection_has_reasons"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.outcome}"

"""The records that follow a decision (notices, acceptance, payee accounts, payments)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dxgrant.core.lifecycle import status_constraint

from .final_models import FinalAmount  # noqa: F401

# --- notices ---


class NoticeKind(models.TextChoices):
    AWARD = "award", _("交付決定通知書")
    REJECTION = "rejection", _("不採択通知書")


class NoticeStatus(models.TextChoices):
    VALID = "valid", _("有効")
    CANCELLED = "cancelled", _("取消し")


# Notice numbers: one series per calendar year of issue, e.g. DXN-2026-000123
# (`NOTICE_PREFIX`-year-six digits), taken with core.models.next_number.
NOTICE_PREFIX = "DXN"
NOTICE_SERIES = "notice-DXN"


def notice_upload_to(instance: Notice, filename: str) -> str:
    return f"notices/{instance.issued_on:%Y}/{instance.number}.pdf"


class Notice(models.Model):
    """The signed notice of one decision (交付決定通知書 or 不採択通知書), as issued.

    The PDF is kept privately (storage, served only through views that check access) with the
    SHA-256 of its exact bytes: anyone may check a copy against it (/verify/notice/<number>).
    What is printed (company name, 法人番号, amount) is kept as printed."""

    number = models.CharField(_("通知書番号"), max_length=30, unique=True)
    kind = models.CharField(_("種類"), max_length=20, choices=NoticeKind.choices)
    decision = models.OneToOneField("decisions.Decision", on_delete=models.PROTECT, related_name="notice")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="notices"
    )
    issued_on = models.DateField(_("通知日"))
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount_yen = models.PositiveBigIntegerField(_("交付決定額"))
    company_name = models.CharField(_("会社名・屋号"), max_length=200)
    corporate_number = models.CharField(_("法人番号"), max_length=13, blank=True)
    pdf = models.FileField(upload_to=notice_upload_to, max_length=200)
    sha256 = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.VALID
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(_("取消しの理由"), max_length=2000, blank=True)
    # Claim column of the email telling the applicant and the advisor (core.notify).
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知書")
        verbose_name_plural = _("通知書")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=NoticeKind.values), name="notice_kind_known"),
            models.CheckConstraint(condition=Q(status__in=NoticeStatus.values), name="notice_status_known"),
            models.CheckConstraint(
                condition=Q(kind=NoticeKind.AWARD) | Q(amount_yen=0), name="notice_amount_only_if_award"
            ),
            models.CheckConstraint(
                condition=(Q(status=NoticeStatus.VALID) & Q(cancelled_at__isnull=True))
                | (Q(status=NoticeStatus.CANCELLED) & Q(cancelled_at__isnull=False) & ~Q(cancel_reason="")),
                name="notice_cancelled_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class NoticeRun(models.Model):
    """One press of "issue the notices" for a round: the background job's record. Progress is
    counted from the notices themselves (issued / the round's decisions)."""

    round = models.ForeignKey("programs.Round", on_delete=models.PROTECT, related_name="notice_runs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    issued = models.PositiveIntegerField(default=0)
    # When the job last showed life (started, or issued a notice): the page tells a job that
    # has not moved for a while from one still working (selectors.IssuingProgress.stalled).
    progressed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知書の発行")
        verbose_name_plural = _("通知書の発行")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"notices of {self.round_id} ({self.pk})"


# --- end notices ---


# --- payments ---


class InstalmentStatus(models.TextChoices):
    PENDING = "pending", _("支払条件の成立待ち")
    DUE = "due", _("支払可能")
    IN_BATCH = "in_batch", _("支払手続中")
    PAID = "paid", _("支払済み")
    # Not to be paid: the award was cancelled, or its final amount left nothing for this
    # instalment (`Instalment.withdrawn_reason` says which).
    WITHDRAWN = "withdrawn", _("支払中止")


class WithdrawalReason(models.TextChoices):
    """Why an instalment was withdrawn; each label is what pages show in place of the status."""

    CANCELLATION = "cancellation", _("交付決定取消により支払中止")
    FINAL_AMOUNT = "final_amount", _("額の確定により支払中止")


class InstalmentTrigger(models.TextChoices):
    ACCEPTANCE = "acceptance", _("交付決定の受諾後")
    RESULTS_REPORT_APPROVED = "results_report_approved", _("実績報告の承認後")


class Instalment(models.Model):
    """One part of an award's payment (round.rules.awards.instalments), created at acceptance.

    pending (its event has not happened) → due → in_batch (a transfer of a live batch) → paid;
    a failed transfer puts it back to due. Paid once: the status moves by conditional updates and
    ``paid_on`` is set exactly when it is paid (a database check)."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="instalments"
    )
    position = models.PositiveSmallIntegerField(_("回"))
    code = models.CharField(_("区分"), max_length=40)
    label_ja = models.CharField(max_length=200)
    label_en = models.CharField(max_length=200)
    amount_yen = models.PositiveBigIntegerField(_("金額（円）"))
    due_after = models.CharField(_("支払条件"), max_length=30, choices=InstalmentTrigger.choices)
    status = models.CharField(
        _("状態"), max_length=20, choices=InstalmentStatus.choices, default=InstalmentStatus.PENDING
    )
    paid_on = models.DateField(_("支払日"), null=True, blank=True)
    # Set exactly when withdrawn (a database check): the cancellation or the final amount.
    withdrawn_reason = models.CharField(
        _("支払中止の理由"), max_length=20, choices=WithdrawalReason.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Claim column of the "paid" email to the applicant (core.notify).
    paid_emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("分割交付")
        verbose_name_plural = _("分割交付")
        ordering = ["application", "position"]
        constraints = [
            models.UniqueConstraint(fields=["application", "code"], name="instalment_code_once"),
            models.UniqueConstraint(fields=["application", "position"], name="instalment_position_once"),
            status_constraint("status", InstalmentStatus.values, "instalment_status_known"),
            models.CheckConstraint(
                condition=Q(due_after__in=InstalmentTrigger.values), name="instalment_trigger_known"
            ),
            models.CheckConstraint(
                condition=Q(status=InstalmentStatus.PAID, paid_on__isnull=False)
                | (~Q(status=InstalmentStatus.PAID) & Q(paid_on__isnull=True)),
                name="instalment_paid_on_iff_paid",
            ),
            models.CheckConstraint(
                condition=Q(status=InstalmentStatus.WITHDRAWN, withdrawn_reason__in=WithdrawalReason.values)
                | (~Q(status=InstalmentStatus.WITHDRAWN) & Q(withdrawn_reason="")),
                name="instalment_withdrawn_reason_iff_withdrawn",
            ),
        ]
        indexes = [models.Index(fields=["status", "application"])]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.code}"

    @property
    def status_label(self) -> str:
        """The status as pages show it: a withdrawal names its reason."""
        if self.status == InstalmentStatus.WITHDRAWN and self.withdrawn_reason:
            return str(WithdrawalReason(self.withdrawn_reason).label)
        return str(self.get_status_display())


class BatchStatus(models.TextChoices):
    PREPARED = "prepared", _("作成済み（承認待ち）")
    APPROVED = "approved", _("承認済み")
    EXPORTED = "exported", _("振込データ出力済み")
    SETTLED = "settled", _("結果登録済み")


class PaymentBatch(models.Model):
    """Transfers finance prepares together, a second finance person approves (four eyes: never
    the preparer, a database check), then exports as one 全銀 総合振込 file."""

    status = models.CharField(
        _("状態"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.PREPARED
    )
    transfer_date = models.DateField(_("振込指定日"))
    transfer_count = models.PositiveIntegerField(_("件数"))
    total_yen = models.PositiveBigIntegerField(_("合計金額（円）"))
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    exported_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("支払バッチ")
        verbose_name_plural = _("支払バッチ")
        ordering = ["-id"]
        constraints = [
            status_constraint("status", BatchStatus.values, "payment_batch_status_known"),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("prepared_by")),
                name="payment_batch_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(status=BatchStatus.PREPARED) | Q(approved_by__isnull=False),
                name="payment_batch_approved_before_use",
            ),
        ]

    def __str__(self) -> str:
        return f"batch {self.pk} ({self.status})"


class TransferResult(models.TextChoices):
    PENDING = "", _("結果未登録")
    OK = "ok", _("振込済み")
    FAILED = "failed", _("振込不能")


class Transfer(models.Model):
    """One instalment in one batch, with the payee account copied when the batch was prepared:
    the file is written from this snapshot, so a later change of account cannot alter an
    approved batch. An instalment is in one live transfer only (a failed one frees it)."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="transfers")
    instalment = models.ForeignKey(Instalment, on_delete=models.PROTECT, related_name="transfers")
    amount_yen = models.PositiveBigIntegerField(_("振込金額（円）"))
    bank_code = models.CharField(_("金融機関コード"), max_length=4)
    bank_name_kana = models.CharField(_("金融機関名（カナ）"), max_length=15, blank=True)
    branch_code = models.CharField(_("支店コード"), max_length=3)
    branch_name_kana = models.CharField(_("支店名（カナ）"), max_length=15, blank=True)
    account_type = models.CharField(_("預金種目"), max_length=1)
    account_number = models.CharField(_("口座番号"), max_length=7)
    holder_kana = models.CharField(_("口座名義（カナ）"), max_length=30)
    result = models.CharField(
        _("振込結果"), max_length=10, choices=TransferResult.choices, blank=True, default=""
    )
    # The bank's code for a failed transfer (振込不能事由).
    result_code = models.CharField(_("不能事由コード"), max_length=10, blank=True)
    result_recorded_at = models.DateTimeField(null=True, blank=True)
    result_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("振込")
        verbose_name_plural = _("振込")
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["instalment"],
                condition=~Q(result=TransferResult.FAILED),
                name="transfer_instalment_in_one_batch",
            ),
            models.CheckConstraint(
                condition=Q(result__in=TransferResult.values), name="transfer_result_known"
            ),
            models.CheckConstraint(condition=Q(amount_yen__gt=0), name="transfer_amount_positive"),
            models.CheckConstraint(
                condition=Q(account_type__in=["1", "2", "4", "9"]), name="transfer_account_type_known"
            ),
        ]

    def __str__(self) -> str:
        return f"transfer {self.pk} of batch {self.batch_id}"


# --- payee ---


class AccountType(models.TextChoices):
    """預金種目, with the Zengin codes a transfer file carries."""

    ORDINARY = "1", _("普通")
    CURRENT = "2", _("当座")
    SAVINGS = "4", _("貯蓄")


class PayeeAccount(models.Model):
    """The account a grant is paid to (振込先口座). One current account per application; a change
    adds a new row and keeps the old one (is_current false). ``holder_kana`` is the Zengin
    half-width form, exactly what goes in a transfer file.

    The holder must be the company itself: ``holder_matches`` records whether the name matched the
    company's registered kana name (``company_kana_checked``) after Zengin normalisation; a
    mismatch is only ever stored when the secretariat overrode it (``override_reason``,
    ``overridden_by``). A change after acceptance must be acknowledged by the secretariat
    (``acknowledged_by`` / ``acknowledged_at``) before any payment.
    """

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="payee_accounts"
    )
    bank_code = models.CharField(_("金融機関コード"), max_length=4)
    branch_code = models.CharField(_("支店コード"), max_length=3)
    # The names as zengin-code had them when the account was registered (for pages and checks).
    bank_name = models.CharField(_("金融機関名"), max_length=100, blank=True)
    branch_name = models.CharField(_("支店名"), max_length=100, blank=True)
    account_type = models.CharField(_("預金種目"), max_length=1, choices=AccountType.choices)
    account_number = models.CharField(_("口座番号"), max_length=7)
    holder_kana = models.CharField(_("口座名義（カナ）"), max_length=30)
    is_current = models.BooleanField(default=True)
    holder_matches = models.BooleanField(_("名義が事業者名と一致"), default=True)
    company_kana_checked = models.CharField(max_length=200, blank=True)
    override_reason = models.TextField(_("名義不一致を認める理由"), max_length=2000, blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A change after acceptance waits for the secretariat's acknowledgement before payment.
    needs_acknowledgement = models.BooleanField(default=False)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("振込先口座")
        verbose_name_plural = _("振込先口座")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(is_current=True), name="payee_one_current_per_application"
            ),
            models.CheckConstraint(
                condition=Q(account_type__in=["1", "2", "4"]), name="payee_account_type_known"
            ),
            models.CheckConstraint(
                condition=Q(bank_code__regex=r"^[0-9]{4}$"), name="payee_bank_code_digits"
            ),
            models.CheckConstraint(
                condition=Q(branch_code__regex=r"^[0-9]{3}$"), name="payee_branch_code_digits"
            ),
            models.CheckConstraint(
                condition=Q(account_number__regex=r"^[0-9]{7}$"), name="payee_account_number_digits"
            ),
            models.CheckConstraint(condition=~Q(holder_kana=""), name="payee_holder_required"),
            # A holder that is not the company is only ever kept with the secretariat's reason.
            models.CheckConstraint(
                condition=Q(holder_matches=True) | (~Q(override_reason="") & Q(overridden_by__isnull=False)),
                name="payee_mismatch_overridden",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(needs_acknowledgement=True),
                name="payee_acknowledged_only_if_needed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank_code}-{self.branch_code} {self.account_number} {self.holder_kana}"

    @property
    def acknowledged(self) -> bool:
        return not self.needs_acknowledgement or self.acknowledged_at is not None


class Acceptance(models.Model):
    """The applicant accepted the conditions of the grant (交付条件の受諾), once, after a code from
    their authenticator app: the conditions as they read them, and the last day they had."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="acceptance"
    )
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField()
    notified_on = models.DateField()
    last_day = models.DateField()
    # The round's conditions (round.rules.awards.conditions) as shown, ja and en.
    conditions = models.JSONField()
    step_up = models.OneToOneField(
        "accounts.StepUpAttempt", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("交付条件の受諾")
        verbose_name_plural = _("交付条件の受諾")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("notified_on")), name="acceptance_period_sane"
            )
        ]

    def __str__(self) -> str:
        return f"acceptance of {self.application_id}"


# --- cancellation ---


class Cancellation(models.Model):
    """The secretariat cancelled the award (交付決定取消), with the reason the applicant reads.
    What was unpaid is withdrawn; what was paid is demanded back (``RepaymentDemand``)."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="cancellation"
    )
    reason = models.TextField(_("取消しの理由"), max_length=2000)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField()
    withdrawn_yen = models.PositiveBigIntegerField(_("支払を中止した額（円）"), default=0)
    # Claim column of the email telling the applicant (core.notify).
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("交付決定取消")
        verbose_name_plural = _("交付決定取消")
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="cancellation_reason_required")]

    def __str__(self) -> str:
        return f"cancellation of {self.application_id}"


class RepaymentDemand(models.Model):
    """What was paid, demanded back: due ``repayment_days`` after the demand, with the late
    charge at the round's rate (both copied from round.rules.awards when demanded), computed by
    awards/repayment_rules.py. Settled once repayments cover the principal and the charge.

    Made for one of two reasons, exactly one set (a database check): the award was cancelled
    (``cancellation``), or its final amount came to less than was paid (``final_amount``, 額の確定;
    the award stays, the application is not cancelled). An award cancelled after its final amount
    made a demand has both: the final amount's (what was paid above it) stays as it was, and the
    cancellation's asks for the rest of what was paid (docs/final-amount.md). At most one of each
    kind per application, since each reason belongs to one application."""

    cancellation = models.OneToOneField(
        Cancellation, on_delete=models.PROTECT, related_name="demand", null=True, blank=True
    )
    final_amount = models.OneToOneField(
        "awards.FinalAmount", on_delete=models.PROTECT, related_name="demand", null=True, blank=True
    )
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="repayment_demands"
    )
    principal_yen = models.PositiveBigIntegerField(_("返還額（円）"))
    demanded_on = models.DateField(_("請求日"))
    due_on = models.DateField(_("納付期限"))
    late_charge_percent_per_year = models.DecimalField(_("延滞金の年率（%）"), max_digits=5, decimal_places=2)
    settled_on = models.DateField(_("完済日"), null=True, blank=True)
    # A cancellation's demand made after the final amount's: it asks for the rest of what was paid.
    follows = models.OneToOneField(
        "self", on_delete=models.PROTECT, related_name="followed_by", null=True, blank=True
    )

    class Meta:
        verbose_name = _("返還請求")
        verbose_name_plural = _("返還請求")
        ordering = ["-demanded_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(principal_yen__gt=0), name="repayment_demand_positive"),
            models.CheckConstraint(
                condition=Q(cancellation__isnull=False, final_amount__isnull=True)
                | Q(cancellation__isnull=True, final_amount__isnull=False),
                name="repayment_demand_one_reason",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("demanded_on")), name="repayment_due_after_demand"
            ),
            models.CheckConstraint(
                condition=Q(follows__isnull=True) | Q(cancellation__isnull=False),
                name="repayment_demand_follows_only_on_cancellation",
            ),
        ]

    def __str__(self) -> str:
        return f"demand of {self.application_id}"

    @property
    def reason_label(self) -> str:
        if self.follows_id is not None:
            return str(_("交付決定取消（額の確定による返還請求を除く残り）"))
        return str(_("交付決定取消") if self.cancellation_id is not None else _("額の確定"))


class Repayment(models.Model):
    """Money the company paid back against a demand, recorded by finance."""

    demand = models.ForeignKey(RepaymentDemand, on_delete=models.PROTECT, related_name="repayments")
    amount_yen = models.PositiveBigIntegerField(_("返還額（円）"))
    paid_on = models.DateField(_("納付日"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("返還の納付")
        verbose_name_plural = _("返還の納付")
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_yen__gt=0), name="repayment_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.amount_yen} on {self.paid_on}"

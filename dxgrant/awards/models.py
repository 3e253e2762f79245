"""The records that follow a decision (notices, acceptance, payee accounts, payments)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dxgrant.core.lifecycle import status_constraint

# --- payments ---


class InstalmentStatus(models.TextChoices):
    PENDING = "pending", _("支払条件の成立待ち")
    DUE = "due", _("支払可能")
    IN_BATCH = "in_batch", _("支払手続中")
    PAID = "paid", _("支払済み")


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
        ]
        indexes = [models.Index(fields=["status", "application"])]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.code}"


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

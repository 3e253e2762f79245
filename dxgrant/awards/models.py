"""The records that follow a decision (notices, acceptance, payee accounts, payments)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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

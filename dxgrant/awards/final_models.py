"""The final amount of an award (額の確定), determined once when the results report is approved
(awards/services/final_amount.py, the rule in awards/final_amount_rules.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class FinalAmount(models.Model):
    """The amount the award comes to, from the eligible actual cost with the round's amount rule,
    never above the decided amount. ``paid_before_yen`` is what had been paid when it was
    determined: above the final amount, the difference is demanded back (``RepaymentDemand``
    with ``final_amount`` set); below it, the unpaid instalments were reduced to the difference."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="final_amount"
    )
    decided_yen = models.PositiveBigIntegerField(_("交付決定額（円）"))
    eligible_actual_yen = models.PositiveBigIntegerField(_("補助対象経費の実績額（円）"))
    final_yen = models.PositiveBigIntegerField(_("確定額（円）"))
    paid_before_yen = models.PositiveBigIntegerField(_("確定時の交付済み額（円）"))
    determined_on = models.DateField(_("確定日"))
    determined_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    determined_at = models.DateTimeField(auto_now_add=True)
    # Every step of the rule with its numbers (final_amount_rules.FinalSheet.as_json).
    sheet = models.JSONField(default=dict)
    # Claim column of the email telling the applicant and the advisor (core.notify).
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("額の確定")
        verbose_name_plural = _("額の確定")
        constraints = [
            models.CheckConstraint(
                condition=Q(final_yen__lte=F("decided_yen")), name="final_amount_not_above_decided"
            ),
        ]

    def __str__(self) -> str:
        return f"final amount of {self.application_id}"

    @property
    def reduced_yen(self) -> int:
        return self.decided_yen - self.final_yen

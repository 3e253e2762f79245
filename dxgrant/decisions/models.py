"""The decision (交付決定): the round's committee meetings, its overrides of the rule's result,
each application's decision with the numbers that led to it, and the round's publication.

The figures are frozen when the round is decided: a Decision row carries the rank, the score,
the eligible cost, the rate, the rule's amount, the decided amount and the whole amount sheet,
so that the published result never changes when anything else does, and anyone can recompute
it from the published rule.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    AWARDED = "awarded", _("採択")
    REJECTED = "rejected", _("不採択")
    DISQUALIFIED = "disqualified", _("失格（基準未達）")


class Meeting(models.Model):
    """A meeting of the review committee (審査会) on the round."""

    round = models.ForeignKey("programs.Round", on_delete=models.PROTECT, related_name="committee_meetings")
    held_on = models.DateField(_("開催日"))
    members = models.TextField(_("出席者"), max_length=2000)
    minutes = models.TextField(_("議事録"), max_length=20000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("審査会")
        verbose_name_plural = _("審査会")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.round_id} {self.held_on}"


class Override(models.Model):
    """The committee changed the rule's result for one application: an outcome forced, or the
    amount reduced (never above the rule's amount), always with a reason. One per application;
    each change is in the audit log with the values before it."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="committee_override"
    )
    # "" = the rule's outcome stands
    forced_outcome = models.CharField(
        _("結果の変更"),
        max_length=20,
        blank=True,
        choices=[("", _("変更しない")), (Outcome.AWARDED, _("採択")), (Outcome.REJECTED, _("不採択"))],
    )
    # None = the rule's amount stands
    decided_yen = models.PositiveBigIntegerField(_("減額後の金額（円）"), null=True, blank=True)
    reason = models.TextField(_("理由"), max_length=2000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("審査会による変更")
        verbose_name_plural = _("審査会による変更")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="decision_override_reason_required"),
            models.CheckConstraint(
                condition=Q(forced_outcome__in=["", Outcome.AWARDED, Outcome.REJECTED]),
                name="decision_override_outcome_known",
            ),
        ]

    def __str__(self) -> str:
        return f"override of {self.application_id}"


class RoundDecision(models.Model):
    """The round decided (once) and, later, published (once)."""

    round = models.OneToOneField("programs.Round", on_delete=models.PROTECT, related_name="decision")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="+")
    budget_yen = models.PositiveBigIntegerField(_("予算額（円）"))
    awarded_total_yen = models.PositiveBigIntegerField(_("採択額の合計（円）"))
    # The round's amount rule as it was applied (what the results publish).
    amount_rule = models.JSONField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("公募回の交付決定")
        verbose_name_plural = _("公募回の交付決定")

    def __str__(self) -> str:
        return f"decision of {self.round_id}"


class Decision(models.Model):
    """One ranked application's decision, with every number that led to it."""

    round_decision = models.ForeignKey(RoundDecision, on_delete=models.PROTECT, related_name="entries")
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="decision"
    )
    rank = models.PositiveIntegerField(_("順位"))
    score = models.DecimalField(_("評点"), max_digits=5, decimal_places=2)
    eligible_cost_yen = models.PositiveBigIntegerField(_("対象経費（税抜）"))
    rate = models.CharField(_("助成率"), max_length=20)
    proposed_yen = models.PositiveBigIntegerField(_("算定額（円）"))
    amount_yen = models.PositiveBigIntegerField(_("交付決定額（円）"))
    outcome = models.CharField(_("結果"), max_length=20, choices=Outcome.choices)
    override_reason = models.TextField(_("変更の理由"), blank=True)
    # The amount sheet: every step of the rule with its numbers.
    sheet = models.JSONField()
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="+")
    # Claim column of the results email (core.notify), sent at publication.
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("交付決定")
        verbose_name_plural = _("交付決定")
        ordering = ["round_decision", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["round_decision", "rank"], name="decision_rank_once"),
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="decision_outcome_known"),
            models.CheckConstraint(
                condition=Q(outcome="awarded") | Q(amount_yen=0), name="decision_amount_only_if_awarded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.outcome}"

"""Inquiries (お問い合わせ) sent from the public site, and the secretariat's notes on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dxgrant.core.lifecycle import status_constraint


class InquiryCategory(models.TextChoices):
    PROGRAMME = "programme", _("制度の内容について")
    ELIGIBILITY = "eligibility", _("申請要件について")
    ADVISOR = "advisor", _("認定アドバイザーについて")
    APPLICATION = "application", _("申請手続きについて")
    OTHER = "other", _("その他")


class InquiryStatus(models.TextChoices):
    NEW = "new", _("新規")
    IN_PROGRESS = "in_progress", _("対応中")
    ANSWERED = "answered", _("回答済み")
    CLOSED = "closed", _("完了")


class Inquiry(models.Model):
    name = models.CharField(_("お名前"), max_length=100)
    organisation = models.CharField(_("会社名・屋号"), max_length=200, blank=True)
    email = models.EmailField(_("メールアドレス"))
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    category = models.CharField(_("お問い合わせの種類"), max_length=20, choices=InquiryCategory.choices)
    message = models.TextField(_("お問い合わせ内容"), max_length=4000)
    language = models.CharField(max_length=8, default="ja")
    status = models.CharField(
        _("状態"), max_length=20, choices=InquiryStatus.choices, default=InquiryStatus.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_inquiries",
        verbose_name=_("担当者"),
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # The form carries a one-time token so a double click or a retried POST stores one inquiry.
    submission_token = models.UUIDField(unique=True)
    # When the acknowledgement email was claimed for sending (core.notify.claim): sent once.
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("お問い合わせ")
        verbose_name_plural = _("お問い合わせ")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "-id"]),
            models.Index(fields=["ip_address", "created_at"]),
        ]
        # The secretariat may move an inquiry between any of its states: no lifecycle table,
        # but the column holds only those.
        constraints = [status_constraint("status", InquiryStatus.values, "inquiry_status_known")]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    @property
    def reference(self) -> str:
        """The number the sender quotes when they call (e.g. Q-000042)."""
        return f"Q-{self.pk:06d}" if self.pk else ""


class InquiryNote(models.Model):
    """Internal notes: never shown or sent to the person who asked."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("メモ"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("対応メモ")
        verbose_name_plural = _("対応メモ")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.inquiry.reference} note {self.pk}"

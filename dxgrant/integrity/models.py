"""The append-only, hash-chained audit log.

Each entry stores the keyed hash of the one before it (chain.py), so changing or deleting any
past entry breaks every later link, and without the key the chain cannot be recomputed;
`dxgrant verify-audit` finds the first broken link and compares the head with the latest
checkpoint written outside the database (checkpoints.py), which reveals a deleted tail.
Database triggers (see the migrations) refuse UPDATE and DELETE on the table as a second line
of defence, and docs/operations.md gives the application a role that cannot drop them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import chain
from .chain import GENESIS_HASH

__all__ = ["GENESIS_HASH", "AuditEntry", "AuditLogIsAppendOnly"]


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogIsAppendOnly

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly


class AuditLogIsAppendOnly(Exception):
    """Raised when code tries to change or remove an audit entry."""


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(_("連番"), unique=True)
    created_at = models.DateTimeField(_("日時"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作者"),
    )
    # Kept beside the foreign key so the entry still reads correctly if the user is renamed.
    actor_label = models.CharField(_("操作者表示"), max_length=254, blank=True)
    action = models.CharField(_("操作"), max_length=100, db_index=True)
    object_type = models.CharField(_("対象種別"), max_length=100, blank=True)
    object_id = models.CharField(_("対象ID"), max_length=64, blank=True)
    changes = models.JSONField(_("変更内容"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IPアドレス"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("監査ログ")
        verbose_name_plural = _("監査ログ")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditLogIsAppendOnly
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly

    def payload(self) -> dict[str, Any]:
        """The fields covered by the hash, in a stable form."""
        return chain.payload_of(self)

    def compute_hash(self, key: bytes | None = None) -> str:
        """The entry's keyed hash (HMAC-SHA-256 with DXGRANT_AUDIT_KEY)."""
        return chain.entry_mac(self.payload(), key)

"""What the API keeps: how many requests each client address made in the current minute, for
the rate limit (limits.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClientRequestCount(models.Model):
    """One row per client address: the minute it is counting and the requests in it. A request
    in a later minute starts the count again (one upsert, limits.py); rows idle for an hour are
    removed when a client starts a new minute."""

    client = models.CharField(_("クライアントのアドレス"), max_length=64, unique=True)
    window_start = models.BigIntegerField(_("計数中の分の開始（UNIX秒）"), db_index=True)
    requests = models.PositiveIntegerField(_("リクエスト数"), default=0)

    class Meta:
        verbose_name = _("APIリクエスト数")
        verbose_name_plural = _("APIリクエスト数")

    def __str__(self) -> str:
        return f"{self.client}: {self.requests} @ {self.window_start}"

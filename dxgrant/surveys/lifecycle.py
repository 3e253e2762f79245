"""A survey's lifecycle: built while a draft, frozen once sent (answers refer to its questions)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dxgrant.core.lifecycle import Lifecycle, transition

DRAFT = "draft"
SENT = "sent"
SECRETARIAT = "secretariat"

SURVEY = Lifecycle.of(
    "survey",
    {DRAFT: _("作成中"), SENT: _("送付済み")},
    [transition("send", [DRAFT], SENT, [SECRETARIAT], _("調査を送付する"))],
)

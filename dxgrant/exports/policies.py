"""Who may export: a list's export is allowed exactly when its page is (the registry holds the
page's own policy). Jobs are the requester's alone (selectors.get_job_for)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dxgrant.accounts.models import Visitor
from dxgrant.core.decisions import Decision

from .models import ExportJob
from .registry import EXPORTS


def can_export_any(user: Visitor) -> Decision:
    """The export pages' door: someone who may open at least one exportable list."""
    if any(export.policy(user) for export in EXPORTS.values()):
        return Decision.allow()
    return Decision.deny(_("一覧の書き出しは、事務局・経理担当者・監査担当者のみが利用できます。"))


def jobs_visible_to(user: Visitor) -> QuerySet[ExportJob]:
    """Only the person who asked for an export sees it (a superuser included: nobody else)."""
    if not user.is_authenticated:
        return ExportJob.objects.none()
    return ExportJob.objects.filter(requested_by_id=user.pk)

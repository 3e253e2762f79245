"""Reads for the export pages."""

from __future__ import annotations

from django.http import Http404

from dxgrant.accounts.models import Visitor

from .models import ExportJob
from .policies import jobs_visible_to


def get_job_for(user: Visitor, pk: int) -> ExportJob:
    """The requester's job; 404 for missing and someone else's alike."""
    job = jobs_visible_to(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def list_params(query: dict[str, str]) -> dict[str, str]:
    """The list page's filters from its query string, without the paging cursors."""
    return {k: v for k, v in query.items() if k not in ("before", "after", "format") and v}

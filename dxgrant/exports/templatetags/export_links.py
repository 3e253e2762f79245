"""{% export_links "applications" %}: the CSV / CSV (Shift_JIS) / xlsx links of a list page,
carrying the page's current filters (not its paging cursor)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from .. import registry
from ..models import ExportFormat
from ..selectors import list_params

register = template.Library()


@register.inclusion_tag("exports/_links.html", takes_context=True)
def export_links(context: dict[str, Any], code: str, **named: Any) -> dict[str, Any]:
    """`named`: what the page takes from its path (`round=round.code`, `batch=batch.pk`)."""
    request = context["request"]
    export = registry.get(code)
    if export is None or not export.policy(request.user):
        return {"links": []}  # a page some may read but not export (finance on the KPI cohort)
    query = urlencode(list_params(request.GET.dict()) | {k: str(v) for k, v in named.items()})
    links = [
        (fmt.label, reverse("exports:export", args=[code, fmt.value]) + (f"?{query}" if query else ""))
        for fmt in ExportFormat
    ]
    return {"links": links}

"""/staff/exports/<code>/<format>/: a list exported with the list page's own filters.

Up to DXGRANT_EXPORT_STREAM_MAX_ROWS rows stream straight back (CSV chunk by chunk; xlsx spooled
to a temporary file first, as a zip must be complete before it is sent). More rows: a page offering
to run the export in the background (POST), which then shows its progress."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dxgrant.accounts.models import User
from dxgrant.core.gates import login_redirect

from .. import output, registry, selectors
from ..models import ExportFormat
from ..services import exports


@require_http_methods(["GET", "POST"])
def export(request: HttpRequest, code: str, fmt: str) -> HttpResponseBase:
    if not request.user.is_authenticated:
        return login_redirect(request)
    user = request.user
    assert isinstance(user, User)
    entry = registry.get(code)
    if entry is None or fmt not in ExportFormat.values:
        raise Http404
    entry.policy(user).require()
    source = request.POST if request.method == "POST" else request.GET
    params = selectors.list_params(source.dict())
    if request.method == "POST":
        job = exports.request_export(actor=user, code=code, fmt=fmt, params=params)
        return redirect("exports:job", job.pk)
    queryset = entry.queryset(user, params)
    rows = queryset.count()
    if rows > settings.DXGRANT_EXPORT_STREAM_MAX_ROWS:
        context = {
            "export": entry,
            "format_label": ExportFormat(fmt).label,
            "rows": rows,
            "params": params,
            "limit": settings.DXGRANT_EXPORT_STREAM_MAX_ROWS,
            "nav": "staff",
        }
        return render(request, "exports/large.html", context)
    exports.record_download(actor=user, code=code, fmt=fmt, params=params, rows=rows)
    name = output.filename(entry, fmt)
    if fmt == ExportFormat.XLSX:
        spool = tempfile.TemporaryFile()
        output.write(entry, fmt, queryset, spool, params=params)
        spool.seek(0)
        return FileResponse(spool, as_attachment=True, filename=name, content_type=output.content_type(fmt))
    response = StreamingHttpResponse(
        output.csv_stream(entry, fmt, queryset, params=params), content_type=output.content_type(fmt)
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

"""/staff/exports/jobs/<pk>/: a background export's progress (htmx polls it while it runs) and
its download, for the person who asked for it only (404 for anyone else)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dxgrant.core.gates import login_redirect, requires

from .. import output, registry, selectors
from ..models import ExportStatus
from ..policies import can_export_any


@require_GET
@requires(can_export_any)
def job(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.get_job_for(request.user, pk)
    context = {"job": found, "export": registry.get(found.list_code), "nav": "staff"}
    return render(request, "exports/job.html", context)


@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    if not request.user.is_authenticated:
        return login_redirect(request)
    can_export_any(request.user).require()
    found = selectors.get_job_for(request.user, pk)
    entry = registry.get(found.list_code)
    if entry is None or found.status != ExportStatus.DONE or not found.file:
        raise Http404
    entry.policy(request.user).require()  # still allowed to see the list
    name = found.file.name.rsplit("/", 1)[-1].split("-", 1)[-1]
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=output.content_type(found.format),
    )

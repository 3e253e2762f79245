"""The documents page: the round's required uploads, private downloads, deletion while editable."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dxgrant.core.i18n import localised

from . import documents as docs
from .models import Application, ApplicationDocument
from .plan_forms import DocumentUploadForm
from .plan_views import _add_errors, application_for, edit_decision


def _render_documents(
    request: HttpRequest, application: Application, form: DocumentUploadForm | None = None, status: int = 200
) -> HttpResponse:
    specs = docs.upload_specs(application.round)
    uploaded = list(application.documents.filter(budget_line__isnull=True).select_related("uploaded_by"))
    rows: list[dict[str, Any]] = [
        {
            "spec": spec,
            "formats": docs.format_names(spec),
            "files": [d for d in uploaded if d.code == spec["code"]],
        }
        for spec in specs
    ]
    editable, reason = edit_decision(request, application)
    context = {
        "application": application,
        "rows": rows,
        "form": form or DocumentUploadForm(round_obj=application.round),
        "problems": [
            _("「%(name)s」が添付されていません。") % {"name": localised(row["spec"], "name")}
            for row in rows
            if not row["files"]
        ],
        "editable": editable,
        "reason": reason,
    }
    return render(request, "applications/documents/documents.html", context, status=status)


@login_required
@require_GET
def documents(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_documents(request, application_for(request, pk))


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request, pk)
    editable, reason = edit_decision(request, application)
    if not editable:
        raise PermissionDenied(reason)
    form = DocumentUploadForm(request.POST, request.FILES, round_obj=application.round)
    if form.is_valid():
        try:
            docs.upload_document(
                actor=request.user,
                application=application,
                code=form.cleaned_data["code"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, _("「%(name)s」を添付しました。") % {"name": form.cleaned_data["file"].name}
            )
            return redirect("applications:documents", pk=application.pk)
    return _render_documents(request, application, form, status=400)


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponseBase:
    """A file of the application, only to those who may see the application (404 otherwise)."""
    application = application_for(request, pk)
    document = get_object_or_404(ApplicationDocument, pk=doc_pk, application=application)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    application = application_for(request, pk)
    document = get_object_or_404(ApplicationDocument, pk=doc_pk, application=application)
    document.application = application
    editable, reason = edit_decision(request, application)
    if not editable:
        raise PermissionDenied(reason)
    docs.delete_document(actor=request.user, document=document)
    messages.success(request, _("「%(name)s」を削除しました。") % {"name": document.original_name})
    if document.budget_line_id:
        return redirect("applications:budget", pk=application.pk)
    return redirect("applications:documents", pk=application.pk)

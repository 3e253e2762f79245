"""The documents page: the round's required uploads, private downloads, deletion while editable."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dxgrant.accounts.policies import is_staff_reader
from dxgrant.core.forms import add_errors
from dxgrant.core.uploads import named_as

from .. import document_rules
from ..forms.plan import DocumentUploadForm
from ..models import Application, ApplicationDocument
from ..policies import can_edit_content
from ..services import documents as docs
from ..services import screening
from .common import content_application, user_of


def _render_documents(
    request: HttpRequest, application: Application, form: DocumentUploadForm | None = None, status: int = 200
) -> HttpResponse:
    uploaded = list(application.documents.filter(budget_line__isnull=True).select_related("uploaded_by"))
    rows: list[dict[str, Any]] = [
        {
            "spec": spec,
            "formats": document_rules.format_names(spec),
            "files": [d for d in uploaded if d.code == spec.code],
        }
        for spec in document_rules.upload_specs(application.round)
    ]
    editable, reason = can_edit_content(request.user, application)
    context = {
        "application": application,
        "rows": rows,
        "form": form or DocumentUploadForm(round_obj=application.round),
        "problems": document_rules.problems(application.round, {d.code for d in uploaded}),
        "editable": editable,
        "reason": reason,
    }
    return render(request, "applications/documents/documents.html", context, status=status)


@login_required
@require_GET
def documents(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_documents(request, content_application(request, pk))


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = content_application(request, pk)
    can_edit_content(request.user, application).require()
    form = DocumentUploadForm(request.POST, request.FILES, round_obj=application.round)
    if form.is_valid():
        try:
            docs.upload_document(
                actor=user_of(request),
                application=application,
                code=form.cleaned_data["code"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
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
    application = content_application(request, pk)
    document = get_object_or_404(ApplicationDocument, pk=doc_pk, application=application)
    if is_staff_reader(request.user):  # the screening shows which files the secretariat opened
        screening.record_document_opening(actor=user_of(request), document=document)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=named_as(document.original_name, document.content_type),
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    application = content_application(request, pk)
    document = get_object_or_404(ApplicationDocument, pk=doc_pk, application=application)
    document.application = application
    can_edit_content(request.user, application).require()
    docs.delete_document(actor=user_of(request), document=document)
    messages.success(request, _("「%(name)s」を削除しました。") % {"name": document.original_name})
    if document.budget_line_id:
        return redirect("applications:budget", pk=application.pk)
    return redirect("applications:documents", pk=application.pk)

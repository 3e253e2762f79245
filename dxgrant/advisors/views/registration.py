"""A firm registers: starting (a new account or a signed-in advisor), the overview and its
checklist, each section (saved as the registrant types), the documents, and submitting.

Only the registrant reaches a registration; everyone else gets 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from allauth.core import ratelimit
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dxgrant.accounts.models import Role
from dxgrant.core.editing import EditConflict, autosave_status, is_autosave, posted_revision
from dxgrant.core.forms import add_errors
from dxgrant.core.gates import login_redirect
from dxgrant.core.uploads import named_as
from dxgrant.integrity.middleware import client_ip
from dxgrant.programs.selectors import get_programme

from .. import lifecycle
from ..forms.registration import SECTION_FORMS, DocumentUploadForm, FirmNameForm, RegistrationStartForm
from ..models import AdvisorFirm, FirmDocument, MembershipRole, RegistrationStatus, ReviewAction
from ..policies import active_membership, firms_visible_to
from ..sections import SECTION_BY_SLUG, SECTIONS, next_section, section_states
from ..selectors import get_firm_for_registrant
from ..services import registration as services
from .shared import acting_user

SESSION_SENT_TO = "advisor_registration_sent_to"


# --- Starting a registration ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def registration_start(request: HttpRequest) -> HttpResponse:
    """Anyone may start: a visitor gets an advisor account with the draft; a signed-in advisor who
    belongs to no firm only names the firm."""
    programme = get_programme(request)
    user = request.user
    if user.is_authenticated:
        if user.role != Role.ADVISOR:
            raise PermissionDenied(
                _(
                    "このアカウントでは事業者の登録はできません。ログアウトして、別のメールアドレスで登録を始めてください。"
                )
            )
        if active_membership(user) is not None:
            return redirect("advisors:my_registration")
        form: RegistrationStartForm | FirmNameForm = FirmNameForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            firm = services.start_registration_for(
                actor=acting_user(request), programme=programme, firm_name=form.cleaned_data["firm_name"]
            )
            messages.success(
                request,
                _("登録を始めました。各項目を入力してください。途中で保存して、あとから続けられます。"),
            )
            return redirect("advisors:registration", pk=firm.pk)
        status = 400 if request.method == "POST" else 200
        return render(
            request, "advisors/registration_start.html", {"form": form, "signed_in": True}, status=status
        )

    form = RegistrationStartForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif not ratelimit.consume(request, action="signup"):
            form.add_error(
                None,
                _(
                    "短時間に多くの登録が行われたため、受け付けを一時的に停止しています。しばらくしてからお試しください。"
                ),
            )
            status = 429
        else:
            data = form.cleaned_data
            try:
                services.start_registration(
                    programme=programme,
                    firm_name=data["firm_name"],
                    display_name=data["display_name"],
                    email=data["email"],
                    password=data["password1"],
                )
            except ValidationError as exc:
                # The password validators' refusal belongs beside the password.
                form.add_error(None if hasattr(exc, "error_dict") else "password1", exc)
                status = 400
            else:
                request.session[SESSION_SENT_TO] = data["email"]
                return redirect("advisors:registration_sent")
    return render(
        request, "advisors/registration_start.html", {"form": form, "signed_in": False}, status=status
    )


@require_GET
def registration_sent(request: HttpRequest) -> HttpResponse:
    email = request.session.get(SESSION_SENT_TO)
    if not email:
        return redirect("advisors:registration_start")
    return render(request, "advisors/registration_sent.html", {"email": email})


@require_GET
def my_registration(request: HttpRequest) -> HttpResponse:
    """Where the confirmation email sends the registrant after signing in."""
    if not request.user.is_authenticated:
        return login_redirect(request)
    membership = active_membership(request.user)
    if membership is None:
        return redirect("advisors:registration_start")
    if membership.role != MembershipRole.ADMIN:
        # The registration is the administrator's; an advisor of the firm has the firm's page.
        return redirect("firm:home")
    return redirect("advisors:registration", pk=membership.firm_id)


# --- Filling in the registration ------------------------------------------------------------


def _with_related(firm: AdvisorFirm) -> AdvisorFirm:
    """The registration with its advisors and documents, each fetched once."""
    prefetch_related_objects([firm], "proposed_advisors", "documents")
    return firm


@require_GET
def registration(request: HttpRequest, pk: int) -> HttpResponse:
    """The registrant's overview: the checklist of sections, what is missing, the decisions so far."""
    if not request.user.is_authenticated:
        return login_redirect(request)
    firm = _with_related(get_firm_for_registrant(request.user, pk))
    return _render_overview(request, firm)


def _render_overview(
    request: HttpRequest, firm: AdvisorFirm, *, status: int = 200, submit_error: bool = False
) -> HttpResponse:
    states = section_states(firm)
    events = list(
        firm.review_events.exclude(action=ReviewAction.SUBMITTED).order_by("-created_at", "-id")[:20]
    )
    context = {
        "firm": firm,
        "states": states,
        "ready": all(s.complete for s in states),
        "missing": [m for s in states for m in s.missing],
        "editable": firm.registration_status in lifecycle.EDITABLE,
        "events": events,
        "public_status": firm.public_status(),
        "submit_error": submit_error,
    }
    return render(request, "advisors/registration.html", context, status=status)


@require_http_methods(["GET", "POST"])
def registration_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return login_redirect(request)
    firm = get_firm_for_registrant(request.user, pk)
    if section not in SECTION_BY_SLUG:
        raise Http404(section)
    if section == "documents":
        return _documents(request, firm)
    editable = firm.registration_status in lifecycle.EDITABLE
    form_class: Any = SECTION_FORMS[section]
    autosave = is_autosave(request)
    revision = firm.revision
    status = 200
    if request.method == "POST" and editable:
        complete = "continue" in request.POST
        form = form_class(request.POST, firm=firm, complete=complete)
        revision = posted_revision(request)
        if form.is_valid():
            try:
                _save_section(request, firm, section, form, revision)
            except EditConflict as exc:
                if autosave:
                    return autosave_status(request, "advisors/_autosave_status.html", conflict=True)
                add_errors(form, exc)
                revision = exc.current_revision if exc.current_revision is not None else revision
                status = 409
            except ValidationError as exc:
                add_errors(form, exc)
                status = 400
            else:
                if autosave:
                    return autosave_status(request, "advisors/_autosave_status.html", revision=revision + 1)
                if complete:
                    following = next_section(section)
                    messages.success(
                        request,
                        _("「%(section)s」を保存しました。") % {"section": SECTION_BY_SLUG[section].title},
                    )
                    if following:
                        return redirect("advisors:registration_section", pk=firm.pk, section=following)
                    return redirect("advisors:registration", pk=firm.pk)
                messages.success(request, _("一時保存しました。あとからいつでも続きを入力できます。"))
                return redirect("advisors:registration_section", pk=firm.pk, section=section)
        else:
            if autosave:
                return autosave_status(request, "advisors/_autosave_status.html", invalid=True)
            status = 400
    elif request.method == "POST":
        messages.error(request, _("提出済みの登録は変更できません。"))
        return redirect("advisors:registration", pk=firm.pk)
    else:
        form = form_class(firm=firm)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
        if section == "advisors":
            for sub in form.formset.forms:
                for field in sub.fields.values():
                    field.disabled = True
    context = {
        "firm": firm,
        "form": form,
        "section": SECTION_BY_SLUG[section],
        "sections": SECTIONS,
        "revision": revision,
        "editable": editable,
        "next_section": next_section(section),
    }
    template = section if section in ("advisors", "declarations") else "section"
    return render(request, f"advisors/registration_{template}.html", context, status=status)


def _save_section(request: HttpRequest, firm: AdvisorFirm, section: str, form: Any, revision: int) -> None:
    actor = acting_user(request)
    if section == "declarations":
        services.set_declarations(
            actor=actor,
            firm=firm,
            ticked=form.ticked(),
            expected_revision=revision,
            ip_address=client_ip(request),
        )
    elif section == "advisors":
        services.save_registration_section(
            actor=actor,
            firm=firm,
            section=section,
            values={},
            expected_revision=revision,
            advisors=form.rows(),
        )
    else:
        services.save_registration_section(
            actor=actor, firm=firm, section=section, values=form.values(), expected_revision=revision
        )


def _documents(request: HttpRequest, firm: AdvisorFirm) -> HttpResponse:
    editable = firm.registration_status in lifecycle.EDITABLE
    specs = firm.programme.certification_rules.documents
    form = DocumentUploadForm(documents=specs)
    status = 200
    if request.method == "POST":
        if not editable:
            messages.error(request, _("提出済みの登録は変更できません。"))
            return redirect("advisors:registration", pk=firm.pk)
        form = DocumentUploadForm(request.POST, request.FILES, documents=specs)
        if form.is_valid():
            try:
                services.upload_firm_document(
                    actor=acting_user(request),
                    firm=firm,
                    code=form.cleaned_data["code"],
                    file=form.cleaned_data["file"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
                status = 400
            else:
                messages.success(
                    request, _("「%(name)s」を添付しました。") % {"name": form.cleaned_data["file"].name}
                )
                return redirect("advisors:registration_section", pk=firm.pk, section="documents")
        else:
            status = 400
    uploaded = list(firm.documents.all())
    rows = [{"spec": spec, "files": [d for d in uploaded if d.kind == spec.code]} for spec in specs]
    context = {
        "firm": firm,
        "form": form,
        "rows": rows,
        "section": SECTION_BY_SLUG["documents"],
        "sections": SECTIONS,
        "editable": editable,
        "next_section": next_section("documents"),
    }
    return render(request, "advisors/registration_documents.html", context, status=status)


@require_POST
def registration_submit(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return login_redirect(request)
    firm = get_firm_for_registrant(request.user, pk)
    try:
        services.submit_registration(
            actor=acting_user(request), firm=firm, expected_revision=posted_revision(request)
        )
    except services.IncompleteRegistration:
        return _render_overview(request, _with_related(firm), status=400, submit_error=True)
    except EditConflict:
        messages.error(
            request,
            _("別の画面で登録内容が更新されました。最新の内容を確かめてから、もう一度提出してください。"),
        )
    except ValidationError:
        if firm.registration_status == RegistrationStatus.SUBMITTED:
            # A second click on the same button: it was submitted once, and that is what counts.
            messages.info(request, _("この登録はすでに提出されています。"))
        else:
            messages.error(request, _("この登録は現在提出できません。"))
    else:
        messages.success(request, _("登録申請を提出しました。事務局の審査結果はメールでお知らせします。"))
    return redirect("advisors:registration", pk=firm.pk)


# --- Files ------------------------------------------------------------------------------------


@require_GET
def document_download(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponseBase:
    """A registration document, to the firm's people and to staff readers only."""
    if not request.user.is_authenticated:
        return login_redirect(request)
    document = get_object_or_404(
        FirmDocument.objects.filter(firm__in=firms_visible_to(request.user)), pk=doc_pk, firm_id=pk
    )
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=named_as(document.original_name, document.content_type),
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def document_delete(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return login_redirect(request)
    firm = get_firm_for_registrant(request.user, pk)
    document = get_object_or_404(FirmDocument, pk=doc_pk, firm=firm)
    document.firm = firm
    try:
        services.delete_firm_document(actor=acting_user(request), document=document)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("「%(name)s」を削除しました。") % {"name": document.original_name})
    return redirect("advisors:registration_section", pk=firm.pk, section="documents")

"""Pages for advisor firms: registration (by the firm), review and certification (by the
secretariat), and the public register where anyone can check a firm."""

from __future__ import annotations

import datetime as dt
from typing import Any

from allauth.core import ratelimit
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dxgrant.accounts.models import Role, User
from dxgrant.integrity.middleware import client_ip
from dxgrant.programs.selectors import get_programme

from . import services
from .forms import (
    SECTION_FORMS,
    DecisionForm,
    DocumentUploadForm,
    FirmNameForm,
    RegisterSearchForm,
    RegistrationStartForm,
    ReviewFilterForm,
)
from .models import AdvisorFirm, FirmDocument, FirmReviewEvent, MembershipRole, RegistrationStatus
from .policies import active_membership, firms_visible_to
from .selectors import (
    SECTION_BY_SLUG,
    SECTIONS,
    advance_fee_yen,
    can_read_registrations,
    can_review_registrations,
    fee_flags,
    get_firm_for_registrant,
    get_firm_for_review,
    get_public_firm,
    public_register,
    registration_missing,
    review_queue,
    section_states,
)
from .services import EDITABLE_STATUSES

SESSION_SENT_TO = "advisor_registration_sent_to"


def _login_redirect(request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse('account_login')}?next={request.get_full_path()}")


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


# --- The public register ----------------------------------------------------------------------


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """The public register: every certified firm, with its status, validity, fees and independence."""
    programme = get_programme(request)
    prefix = programme.advisor_certification.get("number_prefix", "")
    today = timezone.localdate()
    form = RegisterSearchForm(request.GET or None, number_example=f"{prefix}-{today.year}-00001")
    criteria: dict[str, str] = {}
    if form.is_bound and form.is_valid():
        criteria = {k: form.cleaned_data[k] or "" for k in ("q", "prefecture", "status")}
    page = public_register(
        query=criteria.get("q", ""),
        prefecture=criteria.get("prefecture", ""),
        status=criteria.get("status", ""),
        after=request.GET.get("after", ""),
        today=today,
    )
    for firm in page.items:
        firm.status = firm.public_status(today)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "form": form,
        "firms": page.items,
        "next_after": page.next_after,
        "query_string": query.urlencode(),
        "searched": bool(criteria and any(criteria.values())),
        "paged": bool(request.GET.get("after")),
        "programme": programme,
        "nav": "register",
    }
    return render(request, "advisors/register.html", context)


@require_GET
def register_detail(request: HttpRequest, certification_number: str) -> HttpResponse:
    firm = get_public_firm(certification_number)
    if firm.certification_number != certification_number:
        return redirect("advisors:register_detail", certification_number=firm.certification_number)
    today = timezone.localdate()
    context = {
        "firm": firm,
        "status": firm.public_status(today),
        "advance_fee_yen": advance_fee_yen(firm),
        "nav": "register",
    }
    return render(request, "advisors/register_detail.html", context)


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
                actor=_user(request), programme=programme, firm_name=form.cleaned_data["firm_name"]
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
        return _login_redirect(request)
    membership = active_membership(request.user)
    if membership is None:
        return redirect("advisors:registration_start")
    if membership.role != MembershipRole.ADMIN:
        # The registration is the administrator's; an advisor of the firm has the firm's page.
        return redirect("firm:home")
    return redirect("advisors:registration", pk=membership.firm_id)


# --- Filling in the registration ------------------------------------------------------------


def _registrant_firm(request: HttpRequest, pk: int) -> AdvisorFirm:
    return get_firm_for_registrant(request.user, pk)


def _with_related(firm: AdvisorFirm) -> AdvisorFirm:
    """The registration with its advisors and documents, each fetched once."""
    prefetch_related_objects([firm], "proposed_advisors", "documents")
    return firm


@require_GET
def registration(request: HttpRequest, pk: int) -> HttpResponse:
    """The registrant's overview: the checklist of sections, what is missing, the decisions so far."""
    if not request.user.is_authenticated:
        return _login_redirect(request)
    firm = _with_related(_registrant_firm(request, pk))
    return _render_overview(request, firm)


def _render_overview(
    request: HttpRequest, firm: AdvisorFirm, *, status: int = 200, submit_error: bool = False
) -> HttpResponse:
    states = section_states(firm)
    events = list(firm.review_events.exclude(action="submitted").order_by("-created_at", "-id")[:20])
    context = {
        "firm": firm,
        "states": states,
        "ready": all(s.complete for s in states),
        "missing": [m for s in states for m in s.missing],
        "editable": firm.registration_status in EDITABLE_STATUSES,
        "events": events,
        "public_status": firm.public_status(),
        "submit_error": submit_error,
    }
    return render(request, "advisors/registration.html", context, status=status)


def _next_section(slug: str) -> str | None:
    slugs = [s.slug for s in SECTIONS]
    index = slugs.index(slug)
    return slugs[index + 1] if index + 1 < len(slugs) else None


@require_http_methods(["GET", "POST"])
def registration_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login_redirect(request)
    firm = _registrant_firm(request, pk)
    if section not in SECTION_BY_SLUG:
        raise Http404(section)
    if section == "documents":
        return _documents(request, firm)
    editable = firm.registration_status in EDITABLE_STATUSES
    form_class: Any = SECTION_FORMS[section]
    autosave = bool(request.headers.get("HX-Request")) and request.POST.get("autosave") == "1"
    revision = firm.revision
    status = 200
    if request.method == "POST" and editable:
        complete = "continue" in request.POST
        form = form_class(request.POST, firm=firm, complete=complete)
        try:
            posted_revision = int(request.POST.get("revision", ""))
        except ValueError:
            posted_revision = -1
        revision = posted_revision
        if form.is_valid():
            try:
                _save_section(request, firm, section, form, posted_revision)
            except services.RegistrationConflict as exc:
                if autosave:
                    return _autosave_status(request, conflict=True)
                form.add_error(None, str(exc))
                revision = exc.current_revision
                status = 409
            except ValidationError as exc:
                form.add_error(None, exc)
                status = 400
            else:
                if autosave:
                    return _autosave_status(request, revision=posted_revision + 1)
                if complete:
                    following = _next_section(section)
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
                return _autosave_status(request, invalid=True)
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
        "next_section": _next_section(section),
    }
    template = section if section in ("advisors", "declarations") else "section"
    return render(request, f"advisors/registration_{template}.html", context, status=status)


def _save_section(request: HttpRequest, firm: AdvisorFirm, section: str, form: Any, revision: int) -> None:
    actor = _user(request)
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


def _autosave_status(
    request: HttpRequest, *, revision: int | None = None, conflict: bool = False, invalid: bool = False
) -> HttpResponse:
    context = {
        "revision": revision,
        "conflict": conflict,
        "invalid": invalid,
        "saved_at": timezone.localtime(),
    }
    return render(request, "advisors/_autosave_status.html", context)


def _documents(request: HttpRequest, firm: AdvisorFirm) -> HttpResponse:
    editable = firm.registration_status in EDITABLE_STATUSES
    specs = firm.programme.advisor_certification.get("documents", [])
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
                    actor=_user(request),
                    firm=firm,
                    code=form.cleaned_data["code"],
                    file=form.cleaned_data["file"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
                status = 400
            else:
                messages.success(
                    request, _("「%(name)s」を添付しました。") % {"name": form.cleaned_data["file"].name}
                )
                return redirect("advisors:registration_section", pk=firm.pk, section="documents")
        else:
            status = 400
    uploaded = list(firm.documents.all())
    rows = [{"spec": spec, "files": [d for d in uploaded if d.kind == spec["code"]]} for spec in specs]
    context = {
        "firm": firm,
        "form": form,
        "rows": rows,
        "section": SECTION_BY_SLUG["documents"],
        "sections": SECTIONS,
        "editable": editable,
        "next_section": _next_section("documents"),
    }
    return render(request, "advisors/registration_documents.html", context, status=status)


@require_POST
def registration_submit(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login_redirect(request)
    firm = _registrant_firm(request, pk)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = -1
    try:
        services.submit_registration(actor=_user(request), firm=firm, expected_revision=revision)
    except services.IncompleteRegistration:
        return _render_overview(request, _with_related(firm), status=400, submit_error=True)
    except services.RegistrationConflict:
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
        return _login_redirect(request)
    document = get_object_or_404(
        FirmDocument.objects.filter(firm__in=firms_visible_to(request.user)), pk=doc_pk, firm_id=pk
    )
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def document_delete(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login_redirect(request)
    firm = _registrant_firm(request, pk)
    document = get_object_or_404(FirmDocument, pk=doc_pk, firm=firm)
    document.firm = firm
    try:
        services.delete_firm_document(actor=_user(request), document=document)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("「%(name)s」を削除しました。") % {"name": document.original_name})
    return redirect("advisors:registration_section", pk=firm.pk, section="documents")


# --- The secretariat --------------------------------------------------------------------------


def _require_reader(request: HttpRequest) -> None:
    allowed, reason = can_read_registrations(request.user)
    if not allowed:
        raise PermissionDenied(reason)


@require_GET
def review_queue_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login_redirect(request)
    _require_reader(request)
    rules = get_programme(request).advisor_certification
    form = ReviewFilterForm(request.GET or None)
    status, q = RegistrationStatus.SUBMITTED.value, ""
    if form.is_bound and form.is_valid():
        status = form.cleaned_data["status"] or status
        q = form.cleaned_data["q"].strip()
    page = review_queue(request.user, status=status, query=q, after=request.GET.get("after", ""))
    for firm in page.items:
        firm.flags = fee_flags(firm, rules)  # type: ignore[attr-defined]
    counts = dict(
        firms_visible_to(request.user)
        .values_list("registration_status")
        .annotate(n=Count("id"))
        .values_list("registration_status", "n")
    )
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "firms": page.items,
        "next_after": page.next_after,
        "status": status,
        "q": q,
        "tabs": [(value, label, counts.get(value, 0)) for value, label in RegistrationStatus.choices],
        "query_string": query.urlencode(),
        "nav": "staff",
    }
    return render(request, "advisors/review_queue.html", context)


def _actions(firm: AdvisorFirm) -> list[dict[str, Any]]:
    """The decisions the secretariat can take now, in the order they are offered."""
    if firm.registration_status == RegistrationStatus.SUBMITTED:
        return [
            {"action": "certify", "label": _("認定する"), "reason_label": _("メモ（任意）"), "primary": True},
            {
                "action": "request_changes",
                "label": _("修正を依頼する"),
                "reason_label": _("修正してほしい点"),
            },
            {"action": "reject", "label": _("認定しない（不認定）"), "reason_label": _("不認定の理由")},
        ]
    if firm.registration_status != RegistrationStatus.CERTIFIED or firm.certification_state == "revoked":
        return []
    actions: list[dict[str, Any]] = [
        {"action": "renew", "label": _("認定を更新する"), "reason_label": _("更新の理由")}
    ]
    if firm.certification_state == "active":
        actions.append({"action": "suspend", "label": _("認定を停止する"), "reason_label": _("停止の理由")})
    if firm.certification_state == "suspended":
        actions.append({"action": "reinstate", "label": _("停止を解除する"), "reason_label": _("解除の理由")})
    actions.append(
        {"action": "revoke", "label": _("認定を取り消す"), "reason_label": _("取消しの理由"), "danger": True}
    )
    return actions


@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login_redirect(request)
    _require_reader(request)
    firm = get_firm_for_review(request.user, pk)
    return _render_review(request, firm)


def _render_review(
    request: HttpRequest, firm: AdvisorFirm, *, failed: DecisionForm | None = None, status: int = 200
) -> HttpResponse:
    prefetch_related_objects(
        [firm],
        "proposed_advisors",
        "documents",
        Prefetch("review_events", queryset=FirmReviewEvent.objects.select_related("actor")),
    )
    rules = firm.programme.advisor_certification
    declarations = []
    for spec in rules.get("declarations", []):
        record = firm.declarations.get(spec["key"]) or {}
        current = record.get("version") == spec["version"]
        declarations.append(
            {
                "spec": spec,
                "record": record if current else None,
                "at": dt.datetime.fromisoformat(record["at"]) if current and record.get("at") else None,
            }
        )
    engagements = list(firm.engagements.select_related("round").order_by("-id")[:50])
    may_decide, _reason = can_review_registrations(request.user)
    actions = _actions(firm) if may_decide else []
    for action in actions:
        bound = failed if failed is not None and failed.data.get("action") == action["action"] else None
        action["form"] = bound or DecisionForm(
            initial={"action": action["action"]}, auto_id=f"id_{action['action']}_%s"
        )
    docs = list(firm.documents.all())
    context = {
        "firm": firm,
        "flags": fee_flags(firm, rules),
        "advance_fee_yen": advance_fee_yen(firm),
        "missing": registration_missing(firm),
        "declarations": declarations,
        "documents": [
            {"spec": spec, "files": [d for d in docs if d.kind == spec["code"]]}
            for spec in rules.get("documents", [])
        ],
        "events": firm.review_events.all(),
        "engagements": engagements,
        "actions": actions,
        "failed": failed,
        "public_status": firm.public_status(),
        "nav": "staff",
    }
    return render(request, "advisors/review_detail.html", context, status=status)


DECISIONS: dict[str, tuple[Any, Any]] = {
    "request_changes": (
        services.request_registration_changes,
        gettext_lazy("修正を依頼しました。事業者にメールで知らせます。"),
    ),
    "reject": (services.reject_registration, gettext_lazy("不認定としました。事業者にメールで知らせます。")),
    "renew": (services.renew_certification, gettext_lazy("認定を更新しました。事業者にメールで知らせます。")),
    "suspend": (
        services.suspend_certification,
        gettext_lazy("認定を停止しました。事業者と、支援先の申請者にメールで知らせます。"),
    ),
    "reinstate": (
        services.reinstate_certification,
        gettext_lazy("停止を解除しました。事業者と、支援先の申請者にメールで知らせます。"),
    ),
    "revoke": (
        services.revoke_certification,
        gettext_lazy("認定を取り消しました。事業者と、支援先の申請者にメールで知らせます。"),
    ),
}


@require_POST
def review_decision(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login_redirect(request)
    firm = get_firm_for_review(request.user, pk)
    allowed, reason = can_review_registrations(request.user)
    if not allowed:
        raise PermissionDenied(reason)
    form = DecisionForm(request.POST, auto_id=f"id_{request.POST.get('action', 'x')}_%s")
    if not form.is_valid():
        return _render_review(request, firm, failed=form, status=400)
    action, text = form.cleaned_data["action"], form.cleaned_data["reason"]
    actor = _user(request)
    try:
        if action == "certify":
            event = services.certify_firm(actor=actor, firm=firm, note=text)
            messages.success(
                request,
                _("認定しました。認定番号は %(number)s です。事業者にメールで知らせます。")
                % {"number": event.firm.certification_number},
            )
        else:
            service, done = DECISIONS[action]
            service(actor=actor, firm=firm, reason=text)
            messages.success(request, str(done))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("advisors:review_detail", pk=firm.pk)

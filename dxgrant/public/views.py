"""The public site: the programme as data, the self-check, the guidelines PDF and inquiries."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dxgrant.accounts.models import Role, User
from dxgrant.core.pdf import JapaneseFontMissing, render_pdf
from dxgrant.integrity.middleware import client_ip
from dxgrant.programs.eligibility import evaluate
from dxgrant.programs.models import Programme
from dxgrant.programs.selectors import get_programme, get_round, public_rounds

from . import services
from .forms import InquiryForm, InquiryNoteForm, InquiryUpdateForm, SelfCheckForm
from .models import Inquiry, InquiryStatus
from .policies import can_handle_inquiries, can_view_inquiries, visible_inquiries

logger = logging.getLogger(__name__)


def _programme_context(programme: Programme, **extra: Any) -> dict[str, Any]:
    rounds = public_rounds(programme)
    today = timezone.localdate()
    for round_obj in rounds:
        round_obj.status = round_obj.application_status(today)  # type: ignore[attr-defined]
    # The round people are most likely asking about: an open one, else the latest real one.
    featured = next((r for r in rounds if r.status == "open" and not r.is_demo), None)  # type: ignore[attr-defined]
    featured = featured or next((r for r in reversed(rounds) if not r.is_demo), None)
    demo_rounds = [r for r in rounds if r.is_demo]
    return {
        "programme": programme,
        "content": programme.content,
        "rounds": rounds,
        "featured_round": featured,
        "demo_rounds": demo_rounds,
        "today": today,
        **extra,
    }


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html", _programme_context(get_programme(request), nav="home"))


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "public/about.html", _programme_context(get_programme(request), nav="about"))


def eligibility(request: HttpRequest) -> HttpResponse:
    return render(
        request, "public/eligibility.html", _programme_context(get_programme(request), nav="eligibility")
    )


def schedule(request: HttpRequest) -> HttpResponse:
    return render(request, "public/schedule.html", _programme_context(get_programme(request), nav="schedule"))


def documents(request: HttpRequest) -> HttpResponse:
    return render(
        request, "public/documents.html", _programme_context(get_programme(request), nav="documents")
    )


def faq(request: HttpRequest) -> HttpResponse:
    return render(request, "public/faq.html", _programme_context(get_programme(request), nav="faq"))


def operator(request: HttpRequest) -> HttpResponse:
    return render(request, "public/operator.html", _programme_context(get_programme(request), nav="operator"))


def self_check_start(request: HttpRequest) -> HttpResponse:
    context = _programme_context(get_programme(request))
    target = context["featured_round"] or (context["rounds"][-1] if context["rounds"] else None)
    if target is None:
        return redirect("public:eligibility")
    return redirect("public:self_check", code=target.code)


@require_http_methods(["GET", "POST"])
def self_check(request: HttpRequest, code: str) -> HttpResponse:
    round_obj = get_round(code)
    form = SelfCheckForm(request.POST or None, eligibility=round_obj.eligibility)
    result = None
    if request.method == "POST" and form.is_valid():
        result = evaluate(round_obj.eligibility, form.facts())
    context = {
        "round": round_obj,
        "round_status": round_obj.application_status(),
        "form": form,
        "result": result,
        "nav": "eligibility",
    }
    if request.headers.get("HX-Request"):
        return render(request, "public/_self_check_body.html", context)
    return render(request, "public/self_check.html", context)


def guidelines_pdf(request: HttpRequest, code: str) -> HttpResponse:
    round_obj = get_round(code)
    programme = round_obj.programme
    today = timezone.localdate()
    # Rendering takes about a second; a visitor's download should not, and a public endpoint
    # must not let anyone make the server do that work on every request.
    cache_key = f"guidelines-pdf:{round_obj.pk}:{round_obj.updated_at.isoformat()}:{programme.updated_at.isoformat()}:{today}"
    pdf = cache.get(cache_key)
    if pdf is not None:
        return _pdf_response(pdf, round_obj.code)
    context = {
        "programme": programme,
        "content": programme.content,
        "round": round_obj,
        "round_status": round_obj.application_status(),
        "generated_on": today,
        "language": get_language(),
    }
    try:
        pdf = render_pdf("public/guidelines_pdf.html", context)
    except JapaneseFontMissing as exc:
        logger.error("guidelines PDF for %s not generated: %s", code, exc)
        return render(request, "public/pdf_unavailable.html", {"message": str(exc)}, status=503)
    cache.set(cache_key, pdf, timeout=60 * 60 * 24)
    return _pdf_response(pdf, round_obj.code)


def _pdf_response(pdf: bytes, code: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="guidelines-{code}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    programme = get_programme(request)
    form = InquiryForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inquiry, _created = services.submit_inquiry(
                name=data["name"],
                email=data["email"],
                category=data["category"],
                message=data["message"],
                organisation=data["organisation"],
                phone=data["phone"],
                submission_token=data["submission_token"],
                language=(get_language() or "ja")[:2],
                ip_address=client_ip(request),
            )
        except services.TooManyInquiries:
            form.add_error(
                None,
                _(
                    "短時間に多くのお問い合わせが送信されたため、受け付けを一時的に停止しています。"
                    "しばらくしてから再度お試しいただくか、お電話でお問い合わせください。"
                ),
            )
            status = 429
        else:
            request.session["last_inquiry"] = inquiry.pk
            return redirect("public:contact_thanks")
    elif request.method == "POST":
        status = 400
    context = _programme_context(programme, form=form, nav="contact")
    return render(request, "public/contact.html", context, status=status)


def contact_thanks(request: HttpRequest) -> HttpResponse:
    inquiry_id = request.session.get("last_inquiry")
    inquiry = Inquiry.objects.filter(pk=inquiry_id).only("id", "email").first() if inquiry_id else None
    if inquiry is None:
        return redirect("public:contact")
    context = _programme_context(get_programme(request), inquiry=inquiry, nav="contact")
    return render(request, "public/contact_thanks.html", context)


# --- Secretariat inbox -------------------------------------------------------------------------

INBOX_PAGE_SIZE = 50


def _require(allowed_reason: tuple[bool, str], request: HttpRequest) -> None:
    allowed, reason = allowed_reason
    if not request.user.is_authenticated:
        raise PermissionDenied(reason)
    if not allowed:
        raise PermissionDenied(reason)


def inquiry_inbox(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.get_full_path()}")
    _require(can_view_inquiries(request.user), request)
    status = request.GET.get("status", "")
    inquiries = visible_inquiries(request.user).select_related("assignee").order_by("-id")
    if status in InquiryStatus.values:
        inquiries = inquiries.filter(status=status)
    if request.GET.get("mine") == "1":
        inquiries = inquiries.filter(assignee=request.user)
    # Keyset pagination: page 300 costs what page 1 does.
    before = request.GET.get("before", "")
    if before.isdigit():
        inquiries = inquiries.filter(id__lt=int(before))
    page = list(inquiries[: INBOX_PAGE_SIZE + 1])
    has_more = len(page) > INBOX_PAGE_SIZE
    page = page[:INBOX_PAGE_SIZE]
    context = {
        "inquiries": page,
        "next_before": page[-1].pk if has_more else None,
        "status": status,
        "mine": request.GET.get("mine") == "1",
        "statuses": InquiryStatus.choices,
        "nav": "staff",
    }
    return render(request, "public/staff/inquiry_inbox.html", context)


@require_http_methods(["GET", "POST"])
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.get_full_path()}")
    _require(can_view_inquiries(request.user), request)
    # Missing and forbidden look the same.
    inquiry = get_object_or_404(visible_inquiries(request.user).select_related("assignee"), pk=pk)
    may_handle, _reason = can_handle_inquiries(request.user)
    assignees = User.objects.filter(role=Role.SECRETARIAT, is_active=True).order_by("email")
    update_form = InquiryUpdateForm(
        initial={"status": inquiry.status, "assignee": inquiry.assignee_id}, assignees=assignees
    )
    note_form = InquiryNoteForm()
    if request.method == "POST":
        if not may_handle:
            raise PermissionDenied(_reason)
        user = request.user
        assert isinstance(user, User)
        if "add_note" in request.POST:
            note_form = InquiryNoteForm(request.POST)
            if note_form.is_valid():
                services.add_inquiry_note(inquiry, actor=user, body=note_form.cleaned_data["body"])
                messages.success(request, _("メモを追加しました。"))
                return redirect("staff:inquiry_detail", pk=inquiry.pk)
        else:
            update_form = InquiryUpdateForm(request.POST, assignees=assignees)
            if update_form.is_valid():
                services.update_inquiry(
                    inquiry,
                    actor=user,
                    status=update_form.cleaned_data["status"],
                    assignee=update_form.cleaned_data["assignee"],
                )
                messages.success(request, _("お問い合わせを更新しました。"))
                return redirect("staff:inquiry_detail", pk=inquiry.pk)
    context = {
        "inquiry": inquiry,
        "notes": inquiry.notes.select_related("author"),
        "update_form": update_form,
        "note_form": note_form,
        "may_handle": may_handle,
        "nav": "staff",
    }
    return render(request, "public/staff/inquiry_detail.html", context)

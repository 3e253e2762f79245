"""The secretariat's inquiry inbox: the secretariat handles inquiries, auditors read them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dxgrant.accounts.models import User
from dxgrant.core.gates import requires

from .. import selectors
from ..forms import InquiryNoteForm, InquiryUpdateForm
from ..models import InquiryStatus
from ..policies import can_handle_inquiries, can_view_inquiries
from ..services import inbox


@requires(can_view_inquiries)
def inquiry_inbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    mine = request.GET.get("mine") == "1"
    page = selectors.inbox_page(request.user, status=status, mine=mine, before=request.GET.get("before"))
    context = {
        "inquiries": page.items,
        "next_before": page.next_cursor,
        "status": status,
        "mine": mine,
        "statuses": InquiryStatus.choices,
        "nav": "staff",
    }
    return render(request, "public/staff/inquiry_inbox.html", context)


@require_http_methods(["GET", "POST"])
@requires(can_view_inquiries)
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Missing and forbidden look the same.
    inquiry = selectors.get_inquiry_for(request.user, pk)
    may_handle = can_handle_inquiries(request.user)
    assignees = selectors.inquiry_assignees()
    update_form = InquiryUpdateForm(
        initial={"status": inquiry.status, "assignee": inquiry.assignee_id}, assignees=assignees
    )
    note_form = InquiryNoteForm()
    if request.method == "POST":
        may_handle.require()
        user = request.user
        assert isinstance(user, User)
        if "add_note" in request.POST:
            note_form = InquiryNoteForm(request.POST)
            if note_form.is_valid():
                inbox.add_inquiry_note(actor=user, inquiry=inquiry, body=note_form.cleaned_data["body"])
                messages.success(request, _("メモを追加しました。"))
                return redirect("staff:inquiry_detail", pk=inquiry.pk)
        else:
            update_form = InquiryUpdateForm(request.POST, assignees=assignees)
            if update_form.is_valid():
                inbox.update_inquiry(
                    actor=user,
                    inquiry=inquiry,
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
        "may_handle": may_handle.allowed,
        "nav": "staff",
    }
    return render(request, "public/staff/inquiry_detail.html", context)

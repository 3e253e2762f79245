"""Inquiries in the Django admin: read only. The secretariat handles them on its own pages
(`/staff/inquiries/`, services/inbox.py), where each change is audited."""

from django.contrib import admin

from dxgrant.accounts.admin_site import ReadOnlyInline, ReadOnlyModelAdmin

from .models import Inquiry, InquiryNote


class InquiryNoteInline(ReadOnlyInline):
    model = InquiryNote


@admin.register(Inquiry)
class InquiryAdmin(ReadOnlyModelAdmin):
    list_display = ["id", "name", "email", "category", "status", "assignee", "created_at"]
    list_filter = ["status", "category"]
    inlines = [InquiryNoteInline]

from django.contrib import admin

from .models import Inquiry, InquiryNote


class InquiryNoteInline(admin.TabularInline):
    model = InquiryNote
    extra = 0


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "email", "category", "status", "assignee", "created_at"]
    list_filter = ["status", "category"]
    inlines = [InquiryNoteInline]

"""Read-only admin views: every change to a firm goes through services.py (and the audit log),
so the Django admin only shows."""

from django.contrib import admin

from .models import AdvisorFirm, FirmDocument, FirmMembership, FirmReviewEvent, ProposedAdvisor


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class ProposedAdvisorInline(ReadOnlyInline):
    model = ProposedAdvisor


class FirmDocumentInline(ReadOnlyInline):
    model = FirmDocument
    exclude = ["file"]


class FirmMembershipInline(ReadOnlyInline):
    model = FirmMembership


class FirmReviewEventInline(ReadOnlyInline):
    model = FirmReviewEvent


@admin.register(AdvisorFirm)
class AdvisorFirmAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "name",
        "registration_status",
        "certification_number",
        "certification_state",
        "valid_until",
        "prefecture",
    ]
    list_filter = ["registration_status", "certification_state", "prefecture"]
    search_fields = ["name", "name_kana", "certification_number", "corporate_number"]
    inlines = [ProposedAdvisorInline, FirmDocumentInline, FirmMembershipInline, FirmReviewEventInline]

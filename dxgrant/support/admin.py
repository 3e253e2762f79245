"""Support records in the Django admin: read only. Attendance and quiz answers in particular
can never be added or changed there — only the attendee's own check-in records them."""

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Attendance,
    CheckInAttempt,
    ClientInvitation,
    Engagement,
    EngagementMember,
    HearingRecord,
    TrainingQuizAttempt,
    TrainingSession,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Engagement)
class EngagementAdmin(ReadOnlyAdmin):
    list_display = ["id", "company_name", "corporate_number", "firm", "round", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["company_name", "corporate_number"]


@admin.register(EngagementMember)
class EngagementMemberAdmin(ReadOnlyAdmin):
    list_display = ["id", "engagement", "user", "role", "joined_at"]


@admin.register(ClientInvitation)
class ClientInvitationAdmin(ReadOnlyAdmin):
    list_display = ["id", "engagement", "email", "role", "expires_at", "accepted_at", "revoked_at"]
    exclude = ["token_hash", "token_nonce"]


@admin.register(HearingRecord)
class HearingRecordAdmin(ReadOnlyAdmin):
    list_display = ["id", "engagement", "held_on", "response", "revision"]
    list_filter = ["response"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(ReadOnlyAdmin):
    list_display = ["id", "engagement", "curriculum_code", "starts_at", "ends_at", "cancelled_at"]
    exclude = ["checkin_secret"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["id", "session", "user", "checked_in_at", "ip_address"]


@admin.register(CheckInAttempt)
class CheckInAttemptAdmin(ReadOnlyAdmin):
    list_display = ["id", "session", "user", "at", "outcome", "ip_address"]
    list_filter = ["outcome"]


@admin.register(TrainingQuizAttempt)
class TrainingQuizAttemptAdmin(ReadOnlyAdmin):
    list_display = ["id", "engagement", "user", "score_percent", "passed", "created_at"]

"""People in the Django admin: staff accounts are created and their roles changed here, each
change in the audit log (admin_site.AuditedModelAdmin). Authenticators can only be removed (a
lost phone), never read or edited: their secrets are not shown."""

from allauth.mfa.admin import AuthenticatorAdmin as AllauthAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from .admin_site import AuditedModelAdmin, ReadOnlyModelAdmin
from .models import StepUpAttempt, User


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "display_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("display_name", "role", "preferred_language")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "role", "password1", "password2")}),)


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(AuditedModelAdmin, AllauthAuthenticatorAdmin):
    exclude = ["data"]
    readonly_fields = ["user", "type", "created_at", "last_used_at"]

    def audit_details(self, obj: Authenticator) -> dict[str, object]:
        return {"object": str(obj), "user": obj.user.email, "type": obj.type}

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(StepUpAttempt)
class StepUpAttemptAdmin(ReadOnlyModelAdmin):
    list_display = ["id", "user", "purpose", "at", "outcome", "ip_address"]
    list_filter = ["purpose", "outcome"]

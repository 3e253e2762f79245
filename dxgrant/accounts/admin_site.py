"""The Django admin, made to keep the site's rules:

- its login is the site's own sign-in (allauth: password, then the code from the authenticator);
  the admin's password form never signs anyone in, and RequireMFAMiddleware asks every admin
  page for a session that passed the second factor;
- every change made in it (added, changed, deleted, in any app's admin, allauth's and axes's
  included) is written to the audit log in the transaction of the change, with the fields
  changed from and to (never a password or a secret);
- models whose changes belong to services are shown read-only (`ReadOnlyModelAdmin`).

Installed as the default admin site by `admin_config.AuditedAdminConfig`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from dxgrant.integrity.services import audit_record

from .models import User

# Never copied into the audit log, whatever the admin shows.
_SECRET_FIELDS = frozenset({"password", "data", "token_hash", "token_nonce", "checkin_secret"})


def _plain(value: object) -> object:
    """A value as the audit log's JSON keeps it."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, Iterable):
        return [_plain(item) for item in value]
    return str(value)


def _model_field_names(obj: models.Model) -> set[str]:
    return {field.name for field in obj._meta.concrete_fields} | {
        field.name for field in obj._meta.many_to_many
    }


class AuditedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Writes each change the admin logs to the audit log too. Every ModelAdmin registered on
    the site gets this (AuditedAdminSite.register)."""

    def audit_details(self, obj: models.Model) -> dict[str, object]:
        """What the audit entry says about the object besides its type and id."""
        return {"object": str(obj)}

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        fields = _model_field_names(obj)
        before = {name: form.initial.get(name) for name in form.changed_data if name in fields}
        super().save_model(request, obj, form, change)
        obj._admin_audit_fields = {
            name: {"from": _plain(value), "to": _plain(obj._meta.get_field(name).value_from_object(obj))}
            for name, value in before.items()
            if name not in _SECRET_FIELDS
        }

    def _audit(self, request: HttpRequest, action: str, obj: models.Model, message: object) -> None:
        changes: dict[str, object] = {**self.audit_details(obj), "message": _plain(message)}
        fields = getattr(obj, "_admin_audit_fields", None)
        if fields:
            changes["fields"] = fields
        actor = request.user if isinstance(request.user, User) else None
        audit_record(actor=actor, action=action, obj=obj, changes=changes)

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)
        self._audit(request, "admin.added", obj, message)
        return entry

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_change(request, obj, message)
        self._audit(request, "admin.changed", obj, message)
        return entry

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        # Called before the rows are deleted, inside the same transaction.
        for obj in queryset:
            self._audit(request, "admin.deleted", obj, "deleted")
        return super().log_deletions(request, queryset)


class ReadOnlyModelAdmin(AuditedModelAdmin):
    """Shown, never changed here: the model's changes go through its services (and their audit
    entries and rules)."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class AuditedAdminSite(admin.AdminSite):
    site_header = "dxgrant"
    site_title = "dxgrant"

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedModelAdmin):
            admin_class = type(
                admin_class.__name__, (AuditedModelAdmin, admin_class), {"__module__": admin_class.__module__}
            )
        super().register(model_or_iterable, admin_class, **options)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """Never the admin's own password form: a visitor is sent to the site's sign-in and
        back; a signed-in person who may use the admin goes on; anyone else is refused (403)."""
        target = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            return redirect_to_login(target, settings.LOGIN_URL)
        if not self.has_permission(request):
            raise PermissionDenied(_("このアカウントでは管理画面を利用できません。"))
        return HttpResponseRedirect(target)

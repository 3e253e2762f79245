"""Who may see and handle inquiries. Each answer is (allowed, reason) so a page can explain."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dxgrant.accounts.models import Role

from .models import Inquiry


def can_view_inquiries(user: Any) -> tuple[bool, str]:
    if not user.is_authenticated:
        return False, _("ログインしてください。")
    if user.role in (Role.SECRETARIAT, Role.AUDITOR):
        return True, ""
    return False, _("お問い合わせを閲覧する権限がありません。")


def can_handle_inquiries(user: Any) -> tuple[bool, str]:
    if user.is_authenticated and user.role == Role.SECRETARIAT:
        return True, ""
    return False, _("お問い合わせに対応する権限がありません。")


def visible_inquiries(user: Any) -> QuerySet[Inquiry]:
    allowed, _reason = can_view_inquiries(user)
    return Inquiry.objects.all() if allowed else Inquiry.objects.none()

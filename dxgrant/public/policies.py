"""Who may see and handle inquiries. Each answer is a Decision, so a page can explain a refusal."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dxgrant.accounts.models import Visitor
from dxgrant.accounts.policies import is_secretariat, is_staff_reader
from dxgrant.core.decisions import Decision

from .models import Inquiry


def can_view_inquiries(user: Visitor) -> Decision:
    """The secretariat and auditors read inquiries."""
    if not user.is_authenticated:
        return Decision.deny(_("ログインしてください。"))
    if is_staff_reader(user):
        return Decision.allow()
    return Decision.deny(_("お問い合わせを閲覧する権限がありません。"))


def can_handle_inquiries(user: Visitor) -> Decision:
    """Only the secretariat changes an inquiry or writes notes on it."""
    if is_secretariat(user):
        return Decision.allow()
    return Decision.deny(_("お問い合わせに対応する権限がありません。"))


def inquiries_visible_to(user: Visitor) -> QuerySet[Inquiry]:
    """The inquiries every inbox and detail page starts from."""
    return Inquiry.objects.all() if can_view_inquiries(user) else Inquiry.objects.none()

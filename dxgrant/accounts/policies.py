"""Who may use the association's back-office pages, by role alone. Each app's policies decide
about its own objects; these decide about kinds of pages."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dxgrant.core.decisions import Decision

from .models import Visitor
from .roles import STAFF_READERS, STAFF_ROLES, Role


def is_staff_reader(user: Visitor) -> bool:
    """The secretariat or an auditor (who read everything; only the secretariat acts)."""
    return bool(user.is_authenticated and getattr(user, "role", None) in STAFF_READERS)


def is_secretariat(user: Visitor) -> bool:
    return bool(user.is_authenticated and getattr(user, "role", None) == Role.SECRETARIAT)


def can_read_as_staff(user: Visitor) -> Decision:
    if is_staff_reader(user):
        return Decision.allow()
    return Decision.deny(_("この画面は、事務局と監査担当者のみが利用できます。"))


def can_act_as_secretariat(user: Visitor) -> Decision:
    if is_secretariat(user):
        return Decision.allow()
    return Decision.deny(_("この操作は事務局のみが行えます（監査担当者は閲覧のみです）。"))


def can_read_programme_figures(user: Visitor) -> Decision:
    """The programme's figures in aggregate (the dashboard): the association's staff, finance
    included (they pay what it sums); no company's details are on it."""
    if user.is_authenticated and getattr(user, "role", None) in STAFF_ROLES:
        return Decision.allow()
    return Decision.deny(_("この画面は、事務局・経理担当・監査担当のみが利用できます。"))

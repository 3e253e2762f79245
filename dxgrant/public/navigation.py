"""The back-office navigation of each staff role: where that role's work is, in that role's words.

The public menu is for visitors and applicants; people who work inside the association (and the
reviewers it appoints) also get a bar of their own, shown on every page. Reviewers and finance
officers have no pages of their own yet (reviews and payments come later): their bar leads to
their home, which says that nothing is assigned yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dxgrant.accounts.models import Visitor
from dxgrant.accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any


@dataclass(frozen=True)
class RoleNav:
    title: Any
    items: list[tuple[str, Any, bool]]  # (url, label, is the current page)


# In the order of the work: applications, their screening, the review, the committee (the
# secretariat's only), what follows the grant, then the firms, the supported companies and the
# inquiries.
_APPLICATION_ITEMS = [
    NavItem("staff_applications:list", _("申請")),
    NavItem("staff_applications:screening_queue", _("形式審査")),
    NavItem("staff_review:rounds", _("交付審査")),
]
_OTHER_ITEMS = [
    NavItem("advisors:review_queue", _("認定事業者の審査")),
    NavItem("support:staff_engagements", _("支援先")),
    NavItem("staff:inquiry_inbox", _("お問い合わせ")),
]

# The programme's figures (reporting/dashboard.py), for all the association's staff.
_DASHBOARD = NavItem("dashboard:dashboard", _("ダッシュボード"))
# The KPI cohort is figures too (kpi_policies.can_read_cohort: all the association's staff).
_KPI = NavItem("kpi:cohort", _("効果検証"))
# After the grant, in the order of the work: the staff readers' pages (can_read_as_staff).
_FOLLOW_UP_ITEMS = [
    NavItem("support_reports:staff_list", _("月次支援報告")),
    NavItem("plans:staff_list", _("計画変更")),
    NavItem("results_report:staff_list", _("実績報告")),
    _KPI,
    NavItem("surveys_staff:list", _("調査")),
    NavItem("reminders:list", _("督促")),
]

MENUS: dict[str, tuple[Any, list[NavItem]]] = {
    Role.SECRETARIAT: (
        _("事務局の業務"),
        [
            *_APPLICATION_ITEMS,
            NavItem("decisions:rounds", _("審査会・交付決定")),
            *_FOLLOW_UP_ITEMS,
            *_OTHER_ITEMS,
            _DASHBOARD,
        ],
    ),
    Role.AUDITOR: (
        _("監査（閲覧のみ）"),
        [*_APPLICATION_ITEMS, *_FOLLOW_UP_ITEMS, *_OTHER_ITEMS, _DASHBOARD],
    ),
    Role.REVIEWER: (_("審査員の業務"), [NavItem("review:queue", _("担当する審査"))]),
    Role.FINANCE: (_("経理の業務"), [NavItem("accounts:home", _("支払")), _KPI, _DASHBOARD]),
}


def role_nav(user: Visitor, path: str) -> RoleNav | None:
    """The bar for this person's role, with the current page marked; None for other roles."""
    if not user.is_authenticated:
        return None
    menu = MENUS.get(getattr(user, "role", ""))
    if menu is None:
        return None
    title, items = menu
    shown = []
    for item in items:
        url = reverse(item.url_name)
        shown.append((url, item.label, path == url or (url != "/me/" and path.startswith(url))))
    return RoleNav(title=title, items=shown)

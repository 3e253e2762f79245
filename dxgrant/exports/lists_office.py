"""The secretariat's office lists: the reminders sent (/staff/reminders/, its "送信した督促") and
the advisor firms' registrations under review (/advisors/review/)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _lazy

from dxgrant.accounts.models import Visitor
from dxgrant.accounts.policies import can_read_as_staff
from dxgrant.advisors.fees import fee_flags
from dxgrant.advisors.models import AdvisorFirm, RegistrationStatus
from dxgrant.advisors.policies import can_read_registrations, firms_visible_to
from dxgrant.advisors.selectors import named
from dxgrant.programs.selectors import current_programme
from dxgrant.reporting import reminder_selectors
from dxgrant.reporting.models import Reminder, ReminderAudience, ReminderSource

from .columns import Column, ListExport, Params, in_chunks

LIST_SEPARATOR = ", "

# --- reminders sent (/staff/reminders/?kind=…&audience=…) ---


def _sent(user: Visitor, params: Params) -> QuerySet[Any]:
    """As the page: its `kind` and `audience` filters (a value it does not offer is ignored, as
    the page shows every reminder then), newest first."""
    if not can_read_as_staff(user):
        return Reminder.objects.none()
    kind = params.get("kind", "")
    audience = params.get("audience", "")
    return reminder_selectors.sent_reminders(
        kind if kind in ReminderSource.values else "",
        audience if audience in ReminderAudience.values else "",
    ).order_by("-id")


SENT_REMINDERS = ListExport(
    code="reminders",
    title=_lazy("送信した督促"),
    list_url="reminders:list",
    policy=can_read_as_staff,
    queryset=_sent,
    present=in_chunks(reminder_selectors.sent_rows),
    columns=(
        Column(_lazy("送信日時"), lambda r: r.reminder.sent_at),
        Column(_lazy("種類"), lambda r: r.reminder.get_source_display()),
        Column(_lazy("受付番号"), lambda r: (r.application.receipt_number or "") if r.application else ""),
        Column(_lazy("会社名・屋号"), lambda r: r.application.company_name if r.application else ""),
        Column(_lazy("期限"), lambda r: r.reminder.due_on),
        Column(_lazy("段階"), lambda r: r.reminder.step),
        Column(_lazy("宛先"), lambda r: r.reminder.get_audience_display()),
        Column(_lazy("送信先"), lambda r: LIST_SEPARATOR.join(str(x) for x in r.reminder.recipients)),
    ),
)


# --- advisor firms' registrations (/advisors/review/?status=…&q=…) ---


def _registrations(user: Visitor, params: Params) -> QuerySet[Any]:
    """As the queue: one status (submitted by default), `q` the name or number, oldest first."""
    if not can_read_registrations(user):
        return AdvisorFirm.objects.none()
    status = params.get("status", "")
    status = status if status in RegistrationStatus.values else RegistrationStatus.SUBMITTED
    firms = named(
        firms_visible_to(user).filter(registration_status=status), params.get("q", "")[:100].strip()
    )
    return firms.select_related("created_by").order_by("pk")


def _with_flags(firms: list[AdvisorFirm]) -> Iterable[tuple[AdvisorFirm, list[str]]]:
    programme = current_programme()
    if programme is None:
        return [(firm, []) for firm in firms]
    rules = programme.certification_rules
    return [(firm, fee_flags(firm, rules)) for firm in firms]


REGISTRATIONS = ListExport(
    code="registrations",
    title=_lazy("認定事業者の審査"),
    list_url="advisors:review_queue",
    policy=can_read_registrations,
    queryset=_registrations,
    present=in_chunks(_with_flags),
    columns=(
        Column(_lazy("受付番号"), lambda f: f"R-{f[0].pk:06d}"),
        Column(_lazy("認定番号"), lambda f: f[0].certification_number or ""),
        Column(_lazy("事業者名"), lambda f: f[0].name),
        Column(_lazy("状態"), lambda f: f[0].get_registration_status_display()),
        Column(_lazy("所在地"), lambda f: f[0].prefecture),
        Column(_lazy("提出日時"), lambda f: f[0].submitted_at),
        Column(_lazy("登録者"), lambda f: f[0].created_by.email if f[0].created_by_id else ""),
        Column(_lazy("確認が必要な点"), lambda f: LIST_SEPARATOR.join(str(x) for x in f[1])),
    ),
)

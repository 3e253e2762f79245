"""What a return for correction (差戻し) can comment on and when the correction is due. Plain
reads of the application and its round: the staff pages, the return service, the email task
and the applicant's pages all ask here."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.core.i18n import localised

from .models import Application

COMMENT_MAX_CHARS = 2000


def return_sections(application: Application) -> list[tuple[str, str]]:
    """(code, title) of the parts of the application a return can comment on: the profile, each
    plan section (by its code), the budget, documents, disclosure and declarations."""
    plan = [
        (spec.code, _("事業計画：%(title)s") % {"title": localised(spec, "title")})
        for spec in application.round.rules.application.plan_sections
    ]
    return [
        ("profile", _("会社概要")),
        *plan,
        ("budget", _("経費明細")),
        ("documents", _("添付書類")),
        ("disclosure", _("アドバイザー報酬等の開示")),
        ("declarations", _("宣誓・同意")),
    ]


def return_due_on(application: Application, today: dt.date | None = None) -> dt.date:
    """Today (Asia/Tokyo) plus the round's return period."""
    days = application.round.rules.application.return_period_days
    return (today or timezone.localdate()) + dt.timedelta(days=days)

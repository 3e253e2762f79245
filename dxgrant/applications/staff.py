"""The secretariat's acts on a submitted application: beginning the formal screening (形式審査)
and returning it for correction (差戻し). Only the secretariat may call these (services.transition
checks the actor's side and the state); auditors and everyone else are refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.integrity.services import audit_record

from .models import Application, ApplicationVersion, ReturnRequest
from .services import transition

DEFAULT_RETURN_PERIOD_DAYS = 14
COMMENT_MAX_CHARS = 2000


def return_sections(application: Application) -> list[tuple[str, str]]:
    """(code, title) of the parts of the application a return can comment on: the profile, each
    plan section (by its code), the budget, documents, disclosure and declarations."""
    from dxgrant.core.i18n import localised

    plan = [
        (spec["code"], _("事業計画：%(title)s") % {"title": localised(spec, "title")})
        for spec in application.round.application_rules.get("plan_sections", [])
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
    days = int(application.round.application_rules.get("return_period_days", DEFAULT_RETURN_PERIOD_DAYS))
    return (today or timezone.localdate()) + dt.timedelta(days=days)


@transaction.atomic
def begin_screening(application: Application, *, actor: Any) -> Application:
    """Start the formal screening of a submitted application. Secretariat only; refused with
    PermissionDenied for anyone else or from any state but submitted."""
    return transition(application, name="begin_screening", actor=actor)


@transaction.atomic
def return_for_correction(
    application: Application, *, actor: Any, comments: Mapping[str, str]
) -> ReturnRequest:
    """Return a submitted or screening application to the applicant and advisor for correction.

    `comments` maps section codes (return_sections) to what must be corrected; at least one is
    required and unknown sections are refused (ValidationError). The due date is today plus the
    round's return period. Refused with PermissionDenied for anyone but the secretariat or from
    another state. The applicant's people and the lead advisor are emailed once, on commit.
    """
    known = {code for code, _title in return_sections(application)}
    cleaned = {code: str(text).strip() for code, text in comments.items() if str(text or "").strip()}
    unknown = sorted(set(cleaned) - known)
    if unknown:
        raise ValidationError(
            _("不明な項目へのコメントは受け付けられません：%(codes)s") % {"codes": "、".join(unknown)},
            code="unknown_section",
        )
    if not cleaned:
        raise ValidationError(
            _("修正してほしい項目に、少なくとも一つコメントを書いてください。"), code="no_comments"
        )
    too_long = [code for code, text in cleaned.items() if len(text) > COMMENT_MAX_CHARS]
    if too_long:
        raise ValidationError(
            _("コメントは%(n)s文字以内で書いてください。") % {"n": COMMENT_MAX_CHARS}, code="too_long"
        )
    locked = transition(application, name="return", actor=actor)
    version = ApplicationVersion.objects.filter(application=locked).order_by("-number").first()
    if version is None:
        raise ValidationError(_("提出された版がないため差し戻せません。"), code="no_version")
    due_on = return_due_on(locked)
    locked.returned_until = due_on
    locked.save(update_fields=["returned_until", "updated_at"])
    application.returned_until = due_on
    request = ReturnRequest.objects.create(
        application=locked, version=version, comments=cleaned, due_on=due_on, returned_by=actor
    )
    audit_record(
        actor=actor,
        action="application.return_requested",
        obj=locked,
        changes={"version": version.number, "due_on": due_on.isoformat(), "comments": cleaned},
    )
    _enqueue_on_commit(request.pk)
    return request


def _enqueue_on_commit(return_request_id: int) -> None:
    from . import staff_tasks

    transaction.on_commit(lambda: staff_tasks.send_return_notice.enqueue(return_request_id))

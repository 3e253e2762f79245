"""The secretariat's acts on a submitted application: beginning the formal screening (形式審査)
and returning it for correction (差戻し). Only the secretariat may call these (the transition
checks the actor's side and the state); auditors and everyone else are refused."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dxgrant.accounts.models import User
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.integrity.services import audit_record

from .. import guards, tasks
from ..models import Application, ReturnRequest
from ..returns import COMMENT_MAX_CHARS, return_due_on, return_sections
from .transitions import transition


@transaction.atomic
def begin_screening(application: Application, *, actor: User) -> Application:
    """Start the formal screening of a submitted application. Secretariat only; refused with
    PermissionDenied for anyone else or from any state but submitted."""
    return transition(application, name="begin_screening", actor=actor)


@transaction.atomic
def return_for_correction(
    application: Application, *, actor: User, comments: Mapping[str, str]
) -> ReturnRequest:
    """Return a submitted or screening application to the applicant and advisor for correction.

    `comments` maps section codes (returns.return_sections) to what must be corrected; at least
    one is required and unknown sections are refused (ValidationError). The due date is today
    plus the round's return period. Refused with PermissionDenied for anyone but the secretariat
    or from another state, and with ValidationError when no version was filed (guard
    has_filed_version). The applicant's people and the lead advisor are emailed once, on commit.
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
    facts = guards.Facts(application)
    locked = transition(application, name="return", actor=actor, facts=facts)
    version = facts.latest_version
    assert version is not None  # the guard has_filed_version held
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
    enqueue_on_commit(tasks.send_return_notice, request.pk)
    return request

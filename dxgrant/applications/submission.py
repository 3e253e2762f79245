"""Getting the application to the secretariat: the advisor marks it ready, the applicant
confirms and submits it (inside the round's window), or withdraws it.

Submission freezes an immutable snapshot (ApplicationVersion), gives the receipt number once
(kept on resubmission after a return) and emails the applicant's people and the lead advisor
on commit.
"""

from __future__ import annotations

import uuid
from typing import Any

from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.core.models import next_number
from dxgrant.core.pdf import render_pdf
from dxgrant.integrity.services import audit_record
from dxgrant.programs.models import ApplicationStatus

from . import services, workflow
from .completeness import readiness_problems
from .models import Application, ApplicationVersion, ReturnRequest
from .policies import can_act_as_applicant, can_fire
from .snapshot import build_snapshot, digest


class NotReady(ValidationError):
    pass


def _refuse_unless_ready(application: Application) -> None:
    problems = readiness_problems(application)
    if problems:
        raise NotReady(problems, code="not_ready")


@transaction.atomic
def mark_ready(*, application: Application, actor: Any) -> Application:
    """The advisor hands the application to the applicant for confirmation.

    Callers: an advisor of the firm in good standing (workflow transition mark_ready). Refused:
    any incomplete section or a failed eligibility rule (NotReady, with each reason).
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    allowed, reason = can_fire(actor, locked, "mark_ready")
    if not allowed:
        raise PermissionDenied(reason)
    _refuse_unless_ready(locked)
    locked = services.transition(locked, name="mark_ready", actor=actor)
    locked.ready_at = timezone.now()
    locked.save(update_fields=["ready_at", "updated_at"])
    application.status = locked.status
    return locked


def verify_totp(*, user: Any, code: str) -> tuple[bool, str]:
    """The applicant's step-up for submission: a current code from their authenticator."""
    from allauth.mfa.totp.internal.auth import TOTP

    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return False, _("提出には二段階認証（認証アプリ）の設定が必要です。")
    if not code or not TOTP(authenticator).validate_code(code.strip()):
        return False, _(
            "認証コードが正しくないか、有効期限が切れています。認証アプリに表示されている6桁の数字を入力してください。"
        )
    return True, ""


@transaction.atomic
def submit_application(
    *,
    application: Application,
    actor: Any,
    submission_token: uuid.UUID,
    ip_address: str | None = None,
    seen_digest: str | None = None,
) -> ApplicationVersion:
    """The applicant submits the application as confirmed.

    Callers: the applicant's people only (never the advisor or staff), after the page has checked
    their second factor. Refused: outside the round's application window (Asia/Tokyo, the closing
    day counts in full), an incomplete or ineligible application, a state other than awaiting
    confirmation. The same `submission_token` again returns the version it created (a double
    click or a retried request submits once). `seen_digest` is the fingerprint of the content
    the applicant reviewed (snapshot.digest); if the application changed since, it is refused.
    """
    locked = Application.objects.select_for_update().select_related("round", "firm").get(pk=application.pk)
    existing = ApplicationVersion.objects.filter(
        application=locked, submission_token=submission_token
    ).first()
    if existing is not None:
        return existing
    allowed, reason = can_act_as_applicant(actor, locked)
    if not allowed:
        raise PermissionDenied(reason)
    if locked.returned_until is not None:
        # A correction after a return (差戻し) is due by the date the secretariat set, which may
        # fall after the application window has closed; the closing day counts in full.
        if timezone.localdate() > locked.returned_until:
            raise ValidationError(_("修正の期限を過ぎたため提出できません。"), code="return_overdue")
    elif locked.round.application_status() != ApplicationStatus.OPEN:
        raise ValidationError(_("申請の受付期間外のため提出できません。"), code="window_closed")
    if locked.status != workflow.AWAITING_CONFIRMATION:
        if locked.receipt_number and locked.status not in (*workflow.EDITABLE, workflow.INVITED):
            # Typically a second tab, after the first one submitted.
            raise ValidationError(
                _("この申請はすでに提出されています（受付番号 %(number)s）。")
                % {"number": locked.receipt_number},
                code="already_submitted",
            )
        raise ValidationError(_("アドバイザーが確認を依頼した申請だけを提出できます。"), code="not_awaiting")
    _refuse_unless_ready(locked)
    snapshot = build_snapshot(locked)
    if seen_digest is not None and seen_digest != digest(snapshot):
        raise ValidationError(
            _(
                "確認画面を開いた後に申請の内容が変わりました。下の最新の内容を確認し、新しい確認コードを入力して提出してください。"
            ),
            code="changed_since_seen",
        )
    locked = services.transition(locked, name="submit", actor=actor)
    now = timezone.now()
    if not locked.receipt_number:
        year = timezone.localdate(now).year
        prefix = locked.round.application_rules.get("receipt_prefix", "DX")
        number = next_number(f"receipt-{locked.round.code}", year)
        locked.receipt_number = f"{prefix}-{year}-{number:06d}"
    locked.submitted_at = now
    locked.returned_until = None
    locked.save(update_fields=["receipt_number", "submitted_at", "returned_until", "updated_at"])
    version = ApplicationVersion.objects.create(
        application=locked,
        number=locked.versions.count() + 1,
        snapshot=snapshot,
        submitted_by=actor,
        submitted_at=now,
        ip_address=ip_address,
        submission_token=submission_token,
    )
    # The correction answers the open return(s).
    ReturnRequest.objects.filter(application=locked, resolved_at__isnull=True).update(resolved_at=now)
    audit_record(
        actor=actor,
        action="application.version_frozen",
        obj=locked,
        changes={"receipt_number": locked.receipt_number, "version": version.number},
    )
    from . import tasks

    transaction.on_commit(lambda: tasks.send_submission_receipt.enqueue(locked.pk, version.pk))
    application.status = locked.status
    application.receipt_number = locked.receipt_number
    return version


@transaction.atomic
def reopen(*, application: Application, actor: Any) -> Application:
    """Take an application awaiting the applicant's confirmation back to editing (修正に戻す):
    the advisor (to change something) or the applicant (who found something to change). A
    correction after a return goes back to being a correction. The advisor marks it ready again."""
    name = "reopen_correction" if application.returned_until is not None else "reopen"
    locked = services.transition(application, name=name, actor=actor)
    locked.ready_at = None
    locked.save(update_fields=["ready_at", "updated_at"])
    return locked


@transaction.atomic
def withdraw_application(*, application: Application, actor: Any, reason: str = "") -> Application:
    """The applicant withdraws the application (取下げ). Callers: the applicant's people only."""
    allowed, why = can_act_as_applicant(actor, application)
    if not allowed:
        raise PermissionDenied(why)
    return services.transition(application, name="withdraw", actor=actor, note=reason.strip()[:500])


def receipt_pdf(version: ApplicationVersion) -> bytes:
    """The receipt (受付票) of one submitted version, from the frozen snapshot."""
    application = version.application
    return render_pdf(
        "applications/receipt_pdf.html",
        {"application": application, "version": version, "snapshot": version.snapshot},
    )

"""Every write about an advisor firm's registration and certification (認定事業者の登録・認定).

The registrant fills the registration in sections and submits it; the secretariat requests
changes, rejects or certifies; a certified firm is renewed, suspended, reinstated or revoked.
Each function checks who is acting, refuses an invalid state with a clear exception, and writes
the audit entry in the same transaction. Emails go out from tasks enqueued on commit.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import Role, User
from dxgrant.core.models import next_number
from dxgrant.core.uploads import save_upload, sha256_of
from dxgrant.integrity.services import audit_record
from dxgrant.programs.models import Programme

from .models import (
    AdvisorFirm,
    CertificationState,
    FirmDocument,
    FirmMembership,
    FirmReviewEvent,
    MembershipRole,
    ProposedAdvisor,
    RegistrationStatus,
    ReviewAction,
)
from .policies import active_membership, is_firm_admin
from .selectors import SECTION_FIELDS, can_review_registrations, registration_missing

EDITABLE_STATUSES = (RegistrationStatus.DRAFT, RegistrationStatus.CHANGES_REQUESTED)
MAX_PROPOSED_ADVISORS = 20


class RegistrationConflict(Exception):
    """The registration was saved elsewhere (another tab) since this copy was loaded."""

    def __init__(self, current_revision: int) -> None:
        super().__init__(
            _(
                "別の画面（タブ）で、この登録内容が先に保存されています。"
                "入力内容はこの画面に残っています。内容を確かめてからもう一度保存すると、この画面の内容で上書きします。"
            )
        )
        self.current_revision = current_revision


class IncompleteRegistration(ValidationError):
    """Submission refused: the listed items are missing."""

    def __init__(self, missing: Sequence[Any]) -> None:
        super().__init__(_("未入力の項目があるため提出できません。"))
        self.missing = list(missing)


# --- Dates ----------------------------------------------------------------------------------


def validity_end(start: dt.date, months: int) -> dt.date:
    """Last day of a period of `months` months beginning on `start` (民法第143条).

    The period ends the day before the day with the same number `months` months later; when
    that month is too short to have such a day, it ends on the month's last day.
    2026-04-01 + 24 months → 2028-03-31; 2026-01-31 + 1 month → 2026-02-28.
    """
    if months < 1:
        raise ValueError("months must be at least 1")
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    if start.day > last_day:
        return dt.date(year, month, last_day)
    return dt.date(year, month, start.day) - dt.timedelta(days=1)


# --- Starting a registration ------------------------------------------------------------------


def _create_draft(*, programme: Programme, user: User, firm_name: str) -> AdvisorFirm:
    firm = AdvisorFirm(programme=programme, name=firm_name.strip(), created_by=user)
    # The yes/no questions stay unanswered until the registrant answers them.
    firm.full_clean(exclude=["charges_before_decision", "sells_it_products"], validate_constraints=False)
    firm.save()
    FirmMembership.objects.create(firm=firm, user=user, role=MembershipRole.ADMIN)
    audit_record(
        actor=user, action="advisor_firm.registration_started", obj=firm, changes={"name": firm.name}
    )
    return firm


@transaction.atomic
def start_registration(
    *, programme: Programme, firm_name: str, display_name: str, email: str, password: str
) -> AdvisorFirm | None:
    """A visitor starts registering a firm: creates their advisor account (email not yet
    confirmed), the draft registration and their administrator membership, and emails the
    confirmation link. Anyone may call it.

    An address that already has an account creates nothing and returns None; its owner is told
    by email (the page says the same in both cases, so nobody learns which addresses exist).
    Refuses a password the validators reject (ValidationError).
    """
    email = email.strip().lower()
    user = User(email=email, display_name=display_name.strip(), role=Role.ADVISOR)
    validate_password(password, user)
    if (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    ):
        _account_exists(email)
        return None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Two requests with the same address raced; the other one created the account.
        _account_exists(email)
        return None
    address = EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    firm = _create_draft(programme=programme, user=user, firm_name=firm_name)
    audit_record(actor=user, action="account.created_for_registration", obj=user, changes={"email": email})
    from .tasks import send_registration_confirmation

    transaction.on_commit(lambda: send_registration_confirmation.enqueue(address.pk, firm.pk))
    return firm


def _account_exists(email: str) -> None:
    """A registrant who has not confirmed the address yet gets the confirmation link again (the
    first email was lost, or the button was pressed twice); anyone else is told the account exists."""
    from .tasks import send_registration_account_exists, send_registration_confirmation

    address = (
        EmailAddress.objects.filter(email__iexact=email, verified=False, user__role=Role.ADVISOR)
        .select_related("user")
        .first()
    )
    membership = (
        FirmMembership.objects.filter(user=address.user, is_active=True, role=MembershipRole.ADMIN).first()
        if address is not None
        else None
    )
    if address is not None and membership is not None:
        address_id, firm_id = address.pk, membership.firm_id
        transaction.on_commit(lambda: send_registration_confirmation.enqueue(address_id, firm_id))
    else:
        transaction.on_commit(lambda: send_registration_account_exists.enqueue(email))


@transaction.atomic
def start_registration_for(*, actor: User, programme: Programme, firm_name: str) -> AdvisorFirm:
    """A signed-in advisor who belongs to no firm starts registering one, as its administrator.
    Refuses other roles and people who already act for a firm."""
    if actor.role != Role.ADVISOR:
        raise PermissionDenied(
            _("このアカウントでは事業者の登録はできません。別のメールアドレスで登録を始めてください。")
        )
    if active_membership(actor) is not None:
        raise ValidationError(_("すでにいずれかの事業者に所属しています。"))
    return _create_draft(programme=programme, user=actor, firm_name=firm_name)


# --- Filling in the registration ------------------------------------------------------------


def _lock_for_edit(*, actor: Any, firm: AdvisorFirm, expected_revision: int | None) -> AdvisorFirm:
    if not is_firm_admin(actor, firm):
        raise PermissionDenied(_("登録者（事業者の管理者）のみが行えます。"))
    locked = AdvisorFirm.objects.select_for_update(of=("self",)).select_related("programme").get(pk=firm.pk)
    if locked.registration_status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("提出済みの登録は変更できません。事務局から修正の依頼があれば、再び編集できます。")
        )
    if expected_revision is not None and locked.revision != expected_revision:
        raise RegistrationConflict(locked.revision)
    return locked


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


@transaction.atomic
def save_registration_section(
    *,
    actor: Any,
    firm: AdvisorFirm,
    section: str,
    values: Mapping[str, Any],
    expected_revision: int,
    advisors: Sequence[Mapping[str, str]] | None = None,
) -> AdvisorFirm:
    """Save one section of a draft (or returned) registration. The registrant only.

    `values` holds the section's fields (others are ignored); `advisors` replaces the list of
    proposed advisors. Refuses a registration that was saved since `expected_revision` was read
    (RegistrationConflict), and one that is submitted or decided. Completeness is not required
    here: a draft may be saved half-filled and is checked at submission.
    """
    if section not in SECTION_FIELDS:
        raise ValueError(f"unknown section {section!r}")
    locked = _lock_for_edit(actor=actor, firm=firm, expected_revision=expected_revision)
    fields = [f for f in SECTION_FIELDS[section] if f in values]
    changes: dict[str, Any] = {}
    for name in fields:
        before, after = getattr(locked, name), values[name]
        if before != after:
            changes[name] = [_jsonable(before), _jsonable(after)]
        setattr(locked, name, after)
    if section == "advisors" and advisors is not None:
        rows = [a for a in advisors if any((a.get(k) or "").strip() for k in ("name", "email"))]
        if len(rows) > MAX_PROPOSED_ADVISORS:
            raise ValidationError(
                _("アドバイザー候補者は%(n)s人まで登録できます。") % {"n": MAX_PROPOSED_ADVISORS}
            )
        existing = list(locked.proposed_advisors.values_list("name", "email", "qualifications"))
        wanted = [
            (r["name"].strip(), r["email"].strip().lower(), (r.get("qualifications") or "").strip())
            for r in rows
        ]
        if existing != wanted:
            locked.proposed_advisors.all().delete()
            for name, email, qualifications in wanted:
                advisor = ProposedAdvisor(firm=locked, name=name, email=email, qualifications=qualifications)
                advisor.full_clean()
                advisor.save()
            changes["proposed_advisors"] = [len(existing), len(wanted)]
    # Validate what this section sets; an unanswered yes/no question is allowed in a draft.
    unanswered = [f for f in fields if values[f] is None]
    locked.clean_fields(
        exclude=[f.name for f in AdvisorFirm._meta.fields if f.name not in fields or f.name in unanswered]
    )
    locked.revision += 1
    locked.save(update_fields=[*fields, "revision", "updated_at"])
    audit_record(
        actor=actor,
        action="advisor_firm.registration_saved",
        obj=locked,
        changes={"section": section, "fields": changes},
    )
    return locked


@transaction.atomic
def set_declarations(
    *, actor: Any, firm: AdvisorFirm, ticked: Iterable[str], expected_revision: int, ip_address: str | None
) -> AdvisorFirm:
    """Record which of the programme's declarations the registrant ticks, with who, when and
    from which address. The registrant only (never staff, never pre-ticked); unticking removes
    the record. A declaration ticked earlier keeps its original time."""
    locked = _lock_for_edit(actor=actor, firm=firm, expected_revision=expected_revision)
    versions = {
        d["key"]: d["version"] for d in locked.programme.advisor_certification.get("declarations", [])
    }
    wanted = {key for key in ticked if key in versions}
    now = timezone.now().isoformat()
    records: dict[str, Any] = {}
    for key in wanted:
        previous = locked.declarations.get(key)
        if previous and previous.get("version") == versions[key]:
            records[key] = previous
        else:
            records[key] = {"version": versions[key], "at": now, "ip": ip_address or "", "by": actor.pk}
    added = sorted(set(records) - set(locked.declarations))
    removed = sorted(set(locked.declarations) - set(records))
    locked.declarations = records
    locked.revision += 1
    locked.save(update_fields=["declarations", "revision", "updated_at"])
    audit_record(
        actor=actor,
        action="advisor_firm.declarations_saved",
        obj=locked,
        changes={"ticked": added, "unticked": removed, "ip": ip_address or ""},
    )
    return locked


@transaction.atomic
def upload_firm_document(*, actor: Any, firm: AdvisorFirm, code: str, file: UploadedFile) -> FirmDocument:
    """Attach a file to the registration under one of the programme's document codes. The
    registrant only, while the registration can be edited. The caller (the form) has checked the
    file's type by its content and its size. Does not change the revision: an upload in one tab
    must not make another tab's unsaved section conflict."""
    _lock_for_edit(actor=actor, firm=firm, expected_revision=None)
    codes = {d["code"] for d in firm.programme.advisor_certification.get("documents", [])}
    if code not in codes:
        raise ValidationError(_("書類の種類が正しくありません。"))
    document = FirmDocument(
        firm=firm,
        kind=code,
        original_name=(file.name or "file")[-255:],
        content_type=file.content_type or "application/octet-stream",
        size=file.size or 0,
        sha256=sha256_of(file),
        uploaded_by=actor,
    )
    # No record, no file: a failure must not leave an orphan upload behind.
    save_upload(
        document,
        file,
        record=lambda: audit_record(
            actor=actor,
            action="advisor_firm.document_uploaded",
            obj=firm,
            changes={"document": document.pk, "kind": code, "sha256": document.sha256, "size": document.size},
        ),
    )
    return document


@transaction.atomic
def delete_firm_document(*, actor: Any, document: FirmDocument) -> None:
    """Remove a file from the registration. The registrant only, while it can be edited."""
    _lock_for_edit(actor=actor, firm=document.firm, expected_revision=None)
    name, pk = document.file.name, document.pk
    audit_record(
        actor=actor,
        action="advisor_firm.document_deleted",
        obj=document.firm,
        changes={"document": pk, "kind": document.kind, "sha256": document.sha256},
    )
    document.delete()
    storage = document.file.storage
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def submit_registration(*, actor: Any, firm: AdvisorFirm, expected_revision: int) -> FirmReviewEvent:
    """Send the registration to the secretariat. The registrant only; refuses an incomplete one
    (IncompleteRegistration lists what is missing), one saved since it was read, and one that is
    already submitted or decided."""
    locked = _lock_for_edit(actor=actor, firm=firm, expected_revision=expected_revision)
    missing = registration_missing(locked)
    if missing:
        raise IncompleteRegistration(missing)
    locked.registration_status = RegistrationStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.revision += 1
    locked.save(update_fields=["registration_status", "submitted_at", "revision", "updated_at"])
    event = _event(locked, ReviewAction.SUBMITTED, actor, "")
    audit_record(actor=actor, action="advisor_firm.submitted", obj=locked, changes={"event": event.pk})
    _notify_firm(event)
    return event


# --- The secretariat's decisions --------------------------------------------------------------


def _require_reviewer(actor: Any) -> None:
    allowed, reason = can_review_registrations(actor)
    if not allowed:
        raise PermissionDenied(reason)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("理由を入力してください。"))
    return reason


def _lock_for_decision(firm: AdvisorFirm) -> AdvisorFirm:
    return AdvisorFirm.objects.select_for_update(of=("self",)).select_related("programme").get(pk=firm.pk)


def _event(firm: AdvisorFirm, action: ReviewAction, actor: Any, reason: str) -> FirmReviewEvent:
    return FirmReviewEvent.objects.create(firm=firm, action=action, reason=reason, actor=actor)


def _notify_firm(event: FirmReviewEvent) -> None:
    from .tasks import send_firm_decision

    transaction.on_commit(lambda: send_firm_decision.enqueue(event.pk))


def _notify_applicants(event: FirmReviewEvent) -> None:
    from .tasks import notify_affected_applicants

    transaction.on_commit(lambda: notify_affected_applicants.enqueue(event.pk))


def _require_submitted(firm: AdvisorFirm) -> None:
    if firm.registration_status != RegistrationStatus.SUBMITTED:
        raise ValidationError(_("審査中の登録ではありません（すでに判断済みか、まだ提出されていません）。"))


def _decide_registration(
    *, actor: Any, firm: AdvisorFirm, status: RegistrationStatus, action: ReviewAction, reason: str
) -> FirmReviewEvent:
    _require_reviewer(actor)
    reason = _require_reason(reason)
    locked = _lock_for_decision(firm)
    _require_submitted(locked)
    locked.registration_status = status
    locked.decided_at = timezone.now()
    locked.save(update_fields=["registration_status", "decided_at", "updated_at"])
    event = _event(locked, action, actor, reason)
    audit_record(actor=actor, action=f"advisor_firm.{action}", obj=locked, changes={"reason": reason})
    _notify_firm(event)
    return event


@transaction.atomic
def request_registration_changes(*, actor: Any, firm: AdvisorFirm, reason: str) -> FirmReviewEvent:
    """Return a submitted registration to the registrant for correction (修正依頼). Secretariat
    only; needs a reason, which the registrant sees; refuses anything not awaiting review."""
    return _decide_registration(
        actor=actor,
        firm=firm,
        status=RegistrationStatus.CHANGES_REQUESTED,
        action=ReviewAction.CHANGES_REQUESTED,
        reason=reason,
    )


@transaction.atomic
def reject_registration(*, actor: Any, firm: AdvisorFirm, reason: str) -> FirmReviewEvent:
    """Refuse a submitted registration (不認定); final. Secretariat only; needs a reason."""
    return _decide_registration(
        actor=actor,
        firm=firm,
        status=RegistrationStatus.REJECTED,
        action=ReviewAction.REJECTED,
        reason=reason,
    )


@transaction.atomic
def certify_firm(
    *, actor: Any, firm: AdvisorFirm, note: str = "", today: dt.date | None = None
) -> FirmReviewEvent:
    """Certify a submitted registration: issues the certification number (e.g. DXA-2026-00042,
    numbered per year without gaps) and the validity period from today for the programme's
    validity_months. Secretariat only; refuses anything not awaiting review and an incomplete
    registration."""
    _require_reviewer(actor)
    locked = _lock_for_decision(firm)
    _require_submitted(locked)
    missing = registration_missing(locked)
    if missing:
        raise IncompleteRegistration(missing)
    rules = locked.programme.advisor_certification
    prefix, months = rules["number_prefix"], int(rules["validity_months"])
    today = today or timezone.localdate()
    number = next_number(f"advisor-cert-{prefix}", today.year)
    locked.certification_number = f"{prefix}-{today.year}-{number:05d}"
    locked.registration_status = RegistrationStatus.CERTIFIED
    locked.certification_state = CertificationState.ACTIVE
    locked.valid_from = today
    locked.valid_until = validity_end(today, months)
    locked.decided_at = timezone.now()
    locked.state_changed_at = locked.decided_at
    locked.save(
        update_fields=[
            "certification_number",
            "registration_status",
            "certification_state",
            "valid_from",
            "valid_until",
            "decided_at",
            "state_changed_at",
            "updated_at",
        ]
    )
    event = _event(locked, ReviewAction.CERTIFIED, actor, note.strip())
    audit_record(
        actor=actor,
        action="advisor_firm.certified",
        obj=locked,
        changes={
            "certification_number": locked.certification_number,
            "valid_from": today.isoformat(),
            "valid_until": locked.valid_until.isoformat(),
            "note": note.strip(),
        },
    )
    _notify_firm(event)
    return event


def _lock_certified(actor: Any, firm: AdvisorFirm, reason: str) -> tuple[AdvisorFirm, str]:
    _require_reviewer(actor)
    reason = _require_reason(reason)
    locked = _lock_for_decision(firm)
    if locked.registration_status != RegistrationStatus.CERTIFIED:
        raise ValidationError(_("認定されていない事業者です。"))
    if locked.certification_state == CertificationState.REVOKED:
        raise ValidationError(_("認定は取り消されています。取消しは元に戻せません。"))
    return locked, reason


@transaction.atomic
def renew_certification(
    *, actor: Any, firm: AdvisorFirm, reason: str, today: dt.date | None = None
) -> FirmReviewEvent:
    """Extend the validity by the programme's validity_months, counted from the day after the
    current end, or from today if the certification has already expired. A suspended firm stays
    suspended. Secretariat only; needs a reason; refuses a revoked firm."""
    locked, reason = _lock_certified(actor, firm, reason)
    months = int(locked.programme.advisor_certification["validity_months"])
    today = today or timezone.localdate()
    before = {"valid_from": _jsonable(locked.valid_from), "valid_until": _jsonable(locked.valid_until)}
    assert locked.valid_until is not None
    if locked.valid_until < today:
        locked.valid_from = today
        locked.valid_until = validity_end(today, months)
    else:
        locked.valid_until = validity_end(locked.valid_until + dt.timedelta(days=1), months)
    locked.save(update_fields=["valid_from", "valid_until", "updated_at"])
    assert locked.valid_from is not None
    event = _event(locked, ReviewAction.RENEWED, actor, reason)
    after = {"valid_from": locked.valid_from.isoformat(), "valid_until": locked.valid_until.isoformat()}
    audit_record(
        actor=actor,
        action="advisor_firm.renewed",
        obj=locked,
        changes={"reason": reason, "before": before, "after": after},
    )
    _notify_firm(event)
    return event


def _change_state(
    *,
    actor: Any,
    firm: AdvisorFirm,
    reason: str,
    allowed_from: Sequence[str],
    to: CertificationState,
    action: ReviewAction,
) -> FirmReviewEvent:
    locked, reason = _lock_certified(actor, firm, reason)
    if locked.certification_state not in allowed_from:
        raise ValidationError(
            _("現在の状態（%(state)s）からはこの操作はできません。")
            % {"state": locked.get_certification_state_display()}
        )
    before = locked.certification_state
    locked.certification_state = to
    locked.state_reason = reason
    locked.state_changed_at = timezone.now()
    locked.save(update_fields=["certification_state", "state_reason", "state_changed_at", "updated_at"])
    event = _event(locked, action, actor, reason)
    audit_record(
        actor=actor,
        action=f"advisor_firm.{action}",
        obj=locked,
        changes={"reason": reason, "state": [before, str(to)]},
    )
    _notify_firm(event)
    _notify_applicants(event)
    return event


@transaction.atomic
def suspend_certification(*, actor: Any, firm: AdvisorFirm, reason: str) -> FirmReviewEvent:
    """Suspend a certified firm: its advisors can no longer invite applicants or edit
    applications (see policies.can_act_as_advisor); their work so far is kept. The firm and
    every applicant it supports are told. Secretariat only; needs a reason; refuses a firm that
    is not active."""
    return _change_state(
        actor=actor,
        firm=firm,
        reason=reason,
        allowed_from=[CertificationState.ACTIVE],
        to=CertificationState.SUSPENDED,
        action=ReviewAction.SUSPENDED,
    )


@transaction.atomic
def reinstate_certification(*, actor: Any, firm: AdvisorFirm, reason: str) -> FirmReviewEvent:
    """Lift a suspension. The firm and its applicants are told. Secretariat only; needs a
    reason; refuses a firm that is not suspended."""
    return _change_state(
        actor=actor,
        firm=firm,
        reason=reason,
        allowed_from=[CertificationState.SUSPENDED],
        to=CertificationState.ACTIVE,
        action=ReviewAction.REINSTATED,
    )


@transaction.atomic
def revoke_certification(*, actor: Any, firm: AdvisorFirm, reason: str) -> FirmReviewEvent:
    """Revoke a certification (取消); final. The firm stays on the public register as revoked,
    its work so far is kept, and the firm and its applicants are told. Secretariat only; needs a
    reason."""
    return _change_state(
        actor=actor,
        firm=firm,
        reason=reason,
        allowed_from=[CertificationState.ACTIVE, CertificationState.SUSPENDED],
        to=CertificationState.REVOKED,
        action=ReviewAction.REVOKED,
    )


# --- Claims for the email tasks ---------------------------------------------------------------


def claim_firm_notification(event_id: int) -> FirmReviewEvent | None:
    """Mark the firm's email for this event as sent; None if it already was (tasks run twice)."""
    claimed = FirmReviewEvent.objects.filter(pk=event_id, firm_notified_at__isnull=True).update(
        firm_notified_at=timezone.now()
    )
    if not claimed:
        return None
    return FirmReviewEvent.objects.select_related("firm", "firm__programme").get(pk=event_id)


def claim_applicant_notification(event_id: int) -> FirmReviewEvent | None:
    """Mark the applicants' emails for this event as sent; None if they already were."""
    claimed = FirmReviewEvent.objects.filter(pk=event_id, applicants_notified_at__isnull=True).update(
        applicants_notified_at=timezone.now()
    )
    if not claimed:
        return None
    return FirmReviewEvent.objects.select_related("firm", "firm__programme").get(pk=event_id)

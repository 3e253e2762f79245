"""A firm registers (認定事業者の登録申請): a visitor or an advisor without a firm starts a draft,
the registrant fills it in section by section (saved as they type), ticks the declarations,
attaches the documents and submits it to the secretariat.

Only the registrant (the firm's administrator) writes, and only while the registration is a
draft or returned for changes (`lifecycle.EDITABLE`). Every save carries the revision the form
was opened at: a save from an older one is refused with `EditConflict` (two tabs never silently
overwrite each other).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import Role, User
from dxgrant.core.editing import expect_revision
from dxgrant.core.notify import enqueue_on_commit
from dxgrant.core.uploads import save_upload, sha256_of
from dxgrant.integrity.services import audit_record
from dxgrant.programs.models import Programme

from .. import lifecycle, policies, tasks
from ..models import (
    AdvisorFirm,
    FirmDocument,
    FirmMembership,
    FirmReviewEvent,
    MembershipRole,
    ProposedAdvisor,
    RegistrationEmail,
    RegistrationEmailKind,
    ReviewAction,
)
from ..sections import SECTION_FIELDS, Missing, registration_missing

MAX_PROPOSED_ADVISORS = 20


def conflict_message() -> str:
    return _(
        "別の画面（タブ）で、この登録内容が先に保存されています。"
        "入力内容はこの画面に残っています。内容を確かめてからもう一度保存すると、この画面の内容で上書きします。"
    )


class IncompleteRegistration(ValidationError):
    """Submission (or certification) refused: the listed items are missing."""

    def __init__(self, missing: Sequence[Missing]) -> None:
        super().__init__(_("未入力の項目があるため提出できません。"))
        self.missing = list(missing)


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


def _send_confirmation(address: EmailAddress, firm_id: int) -> None:
    email = RegistrationEmail.objects.create(
        kind=RegistrationEmailKind.CONFIRMATION, to=address.email, email_address=address, firm_id=firm_id
    )
    enqueue_on_commit(tasks.send_registration_confirmation, email.pk)


@transaction.atomic
def start_registration(
    *, programme: Programme, firm_name: str, display_name: str, email: str, password: str
) -> AdvisorFirm | None:
    """A visitor starts registering a firm: creates their advisor account (email not yet
    confirmed), the draft registration and their administrator membership, and emails the
    confirmation link. Anyone may call it.

    An address that already has an account creates nothing and returns None; its owner is told
    by email (the page says the same in both cases, so nobody learns which addresses exist).
    Both cases do the same costly work, one password hash and one email task, so the time the
    answer takes does not tell either. Refuses a password the validators reject (ValidationError).
    """
    email = email.strip().lower()
    user = User(email=email, display_name=display_name.strip(), role=Role.ADVISOR)
    validate_password(password, user)
    # Hashed before knowing whether the account exists: the slow step is taken in both cases.
    user.set_password(password)
    if (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    ):
        _account_exists(email)
        return None
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
    _send_confirmation(address, firm.pk)
    return firm


def _account_exists(email: str) -> None:
    """A registrant who has not confirmed the address yet gets the confirmation link again (the
    first email was lost, or the button was pressed twice); anyone else is told the account exists."""
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
        _send_confirmation(address, membership.firm_id)
    else:
        notice = RegistrationEmail.objects.create(kind=RegistrationEmailKind.ACCOUNT_EXISTS, to=email)
        enqueue_on_commit(tasks.send_registration_account_exists, notice.pk)


@transaction.atomic
def start_registration_for(*, actor: User, programme: Programme, firm_name: str) -> AdvisorFirm:
    """A signed-in advisor who belongs to no firm starts registering one, as its administrator.
    Refuses other roles and people who already act for a firm."""
    policies.can_start_registration(actor).require()
    if policies.active_membership(actor) is not None:
        raise ValidationError(_("すでにいずれかの事業者に所属しています。"))
    return _create_draft(programme=programme, user=actor, firm_name=firm_name)


# --- Filling in the registration ------------------------------------------------------------


def _lock_for_edit(*, actor: User, firm: AdvisorFirm, expected_revision: int | None) -> AdvisorFirm:
    policies.can_edit_registration(actor, firm).require()
    locked = AdvisorFirm.objects.select_for_update(of=("self",)).select_related("programme").get(pk=firm.pk)
    if locked.registration_status not in lifecycle.EDITABLE:
        raise ValidationError(
            _("提出済みの登録は変更できません。事務局から修正の依頼があれば、再び編集できます。")
        )
    if expected_revision is not None:
        expect_revision(locked.revision, expected_revision, message=conflict_message())
    return locked


def jsonable(value: Any) -> Any:
    """A value as the audit log stores it."""
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


@transaction.atomic
def save_registration_section(
    *,
    actor: User,
    firm: AdvisorFirm,
    section: str,
    values: Mapping[str, Any],
    expected_revision: int,
    advisors: Sequence[Mapping[str, str]] | None = None,
) -> AdvisorFirm:
    """Save one section of a draft (or returned) registration. The registrant only.

    `values` holds the section's fields (others are ignored); `advisors` replaces the list of
    proposed advisors. Refuses a registration that was saved since `expected_revision` was read
    (EditConflict), and one that is submitted or decided. Completeness is not required here: a
    draft may be saved half-filled and is checked at submission.
    """
    if section not in SECTION_FIELDS:
        raise ValueError(f"unknown section {section!r}")
    locked = _lock_for_edit(actor=actor, firm=firm, expected_revision=expected_revision)
    fields = [f for f in SECTION_FIELDS[section] if f in values]
    changes: dict[str, Any] = {}
    for name in fields:
        before, after = getattr(locked, name), values[name]
        if before != after:
            changes[name] = [jsonable(before), jsonable(after)]
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
    *, actor: User, firm: AdvisorFirm, ticked: Iterable[str], expected_revision: int, ip_address: str | None
) -> AdvisorFirm:
    """Record which of the programme's declarations the registrant ticks, with who, when and
    from which address. The registrant only (never staff, never pre-ticked); unticking removes
    the record. A declaration ticked earlier keeps its original time."""
    locked = _lock_for_edit(actor=actor, firm=firm, expected_revision=expected_revision)
    versions = {d.key: d.version for d in locked.programme.certification_rules.declarations}
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
def upload_firm_document(*, actor: User, firm: AdvisorFirm, code: str, file: UploadedFile) -> FirmDocument:
    """Attach a file to the registration under one of the programme's document codes. The
    registrant only, while the registration can be edited. The caller (the form) has checked the
    file's type by its content and its size. Does not change the revision: an upload in one tab
    must not make another tab's unsaved section conflict."""
    _lock_for_edit(actor=actor, firm=firm, expected_revision=None)
    codes = {d.code for d in firm.programme.certification_rules.documents}
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
def delete_firm_document(*, actor: User, document: FirmDocument) -> None:
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
def submit_registration(*, actor: User, firm: AdvisorFirm, expected_revision: int) -> FirmReviewEvent:
    """Send the registration to the secretariat (lifecycle: `submit`). The registrant only;
    refuses an incomplete one (IncompleteRegistration lists what is missing), one saved since it
    was read (EditConflict), and one that is already submitted or decided."""
    locked = _lock_for_edit(actor=actor, firm=firm, expected_revision=expected_revision)
    missing = registration_missing(locked)
    if missing:
        raise IncompleteRegistration(missing)
    locked.registration_status = lifecycle.REGISTRATION["submit"].target
    locked.submitted_at = timezone.now()
    locked.revision += 1
    locked.save(update_fields=["registration_status", "submitted_at", "revision", "updated_at"])
    event = FirmReviewEvent.objects.create(firm=locked, action=ReviewAction.SUBMITTED, reason="", actor=actor)
    audit_record(actor=actor, action="advisor_firm.submitted", obj=locked, changes={"event": event.pk})
    enqueue_on_commit(tasks.send_firm_decision, event.pk)
    return event

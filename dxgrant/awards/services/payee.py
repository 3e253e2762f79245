"""The account the grant is paid to (振込先口座): registered and changed by the applicant, the
holder always the company itself; a holder that is not the company only by the secretariat, with
a reason; a change after acceptance with the applicant's code, shown to the secretariat, who
acknowledges it before any payment."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxgrant.accounts.models import StepUpAttempt, StepUpPurpose, User
from dxgrant.accounts.services import step_up as step_up_codes
from dxgrant.applications.models import Application
from dxgrant.integrity.services import audit_record
from dxgrant.japan import banks

from .. import payee_rules, policies
from ..models import AccountType, PayeeAccount


@dataclass(frozen=True)
class AccountDetails:
    """The account as entered: codes resolved by the form, number and holder as typed (the
    service normalises and checks them again)."""

    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    holder: str


@dataclass(frozen=True)
class _Checked:
    bank: banks.BankInfo
    branch: banks.BranchInfo
    account_type: str
    account_number: str
    holder_kana: str


def _check(details: AccountDetails) -> _Checked:
    """Every field, each refusal beside its field; nothing is saved if any is refused."""
    errors: dict[str, str] = {}
    bank = branch = None
    try:
        bank = banks.get_bank(details.bank_code)
    except ValueError:
        pass
    if bank is None:
        errors["bank"] = _("金融機関が見つかりません。金融機関コード（4桁）または名前で選んでください。")
    else:
        try:
            branch = banks.get_branch(bank.code, details.branch_code)
        except ValueError:
            pass
        if branch is None:
            errors["branch"] = _(
                "%(bank)sに該当する支店が見つかりません。支店コード（3桁）または支店名で選んでください。"
            ) % {"bank": bank.name}
    if details.account_type not in AccountType.values:
        errors["account_type"] = _("預金種目を選んでください。")
    number = holder = ""
    try:
        number = payee_rules.account_number(details.account_number)
    except ValueError as exc:
        errors["account_number"] = str(exc)
    try:
        holder = payee_rules.holder_kana(details.holder)
    except ValueError as exc:
        errors["holder"] = str(exc)
    if errors or bank is None or branch is None:
        raise ValidationError(errors)
    return _Checked(bank, branch, details.account_type, number, holder)


def holder_matches(application: Application, holder_kana: str) -> bool:
    return payee_rules.holder_is_company(
        holder_kana,
        company_kana=application.company_name_kana,
        company_name=application.company_name,
        legal_form=application.legal_form,
    )


def _mismatch_message() -> str:
    return _(
        "口座名義「%(holder)s」が事業者の名前（フリガナ: %(kana)s）と一致しません。交付金は事業者ご自身の名義の口座にのみ"
        "振り込みます。通帳のとおり、法人格（株式会社なら「ｶ)」など）を含めて入力してください。事業者名義の口座を用意できない"
        "事情がある場合は、事務局にご相談ください。"
    )


def _same(current: PayeeAccount | None, checked: _Checked) -> bool:
    return current is not None and (
        current.bank_code,
        current.branch_code,
        current.account_type,
        current.account_number,
        current.holder_kana,
    ) == (
        checked.bank.code,
        checked.branch.code,
        checked.account_type,
        checked.account_number,
        checked.holder_kana,
    )


def _save(
    locked: Application,
    checked: _Checked,
    *,
    actor: User,
    matches: bool,
    override_reason: str = "",
    action: str,
) -> PayeeAccount:
    current = PayeeAccount.objects.select_for_update().filter(application=locked, is_current=True).first()
    if _same(current, checked):
        raise ValidationError(
            _("登録済みの口座と同じです。変更する場合は、新しい口座の内容を入力してください。")
        )
    change_after_acceptance = current is not None and locked.status in policies.AFTER_ACCEPTANCE
    now = timezone.now()
    if current is not None:
        current.is_current = False
        current.replaced_at = now
        current.save(update_fields=["is_current", "replaced_at"])
    account = PayeeAccount.objects.create(
        application=locked,
        bank_code=checked.bank.code,
        branch_code=checked.branch.code,
        bank_name=checked.bank.name,
        branch_name=checked.branch.name,
        account_type=checked.account_type,
        account_number=checked.account_number,
        holder_kana=checked.holder_kana,
        holder_matches=matches,
        company_kana_checked=locked.company_name_kana,
        override_reason=override_reason,
        overridden_by=None if matches else actor,
        needs_acknowledgement=change_after_acceptance,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=action,
        obj=account,
        changes={
            "application": locked.pk,
            "bank": account.bank_code,
            "branch": account.branch_code,
            "type": account.account_type,
            "number": account.account_number,
            "holder": account.holder_kana,
            "replaces": current.pk if current else None,
            "after_acceptance": change_after_acceptance,
            **({"override_reason": override_reason} if override_reason else {}),
        },
    )
    return account


def needs_code(application: Application, current: PayeeAccount | None) -> bool:
    """A change of an account after acceptance needs the applicant's code."""
    return current is not None and application.status in policies.AFTER_ACCEPTANCE


@transaction.atomic
def register_payee(
    *, application: Application, actor: User, details: AccountDetails, step_up: StepUpAttempt | None = None
) -> PayeeAccount:
    """The applicant registers the account, or changes it (the old one is kept, no longer current).

    Callers: the applicant's people only (PermissionDenied for the advisor, staff, anyone else),
    from notified on. Refused (ValidationError, by field): an unknown bank or branch, an account
    type not 普通/当座/貯蓄, a number that is not 7 digits, a holder with characters that have no
    Zengin form or longer than 30; a holder that is not the company (its kana name with its legal
    form, see payee_rules); the same account as the current one; a change after acceptance
    without a fresh code of theirs (`step_up`). A change after acceptance waits for the
    secretariat's acknowledgement before any payment.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    policies.can_register_payee(actor, locked).require()
    policies.refuse_unless(policies.payee_state(locked))
    checked = _check(details)
    if not holder_matches(locked, checked.holder_kana):
        message = _mismatch_message() % {
            "holder": checked.holder_kana,
            "kana": locked.company_name_kana or "-",
        }
        raise ValidationError({"holder": message})
    current = PayeeAccount.objects.filter(application=locked, is_current=True).first()
    if needs_code(locked, current):
        step_up_codes.require_fresh(step_up, actor=actor, purpose=StepUpPurpose.PAYEE_CHANGE)
    action = "awards.payee_changed" if current else "awards.payee_registered"
    return _save(locked, checked, actor=actor, matches=True, action=action)


@transaction.atomic
def register_with_override(
    *, application: Application, actor: User, details: AccountDetails, reason: str
) -> PayeeAccount:
    """The secretariat registers an account whose holder is not the company, with the reason.

    Callers: the secretariat only (PermissionDenied otherwise). Refused (ValidationError): no
    reason; the same checks of the fields as the applicant's; a holder that does match (the
    applicant registers that one themselves); a state before notification.
    """
    policies.can_manage_payees(actor).require()
    locked = Application.objects.select_for_update().get(pk=application.pk)
    policies.refuse_unless(policies.payee_state(locked))
    if not reason.strip():
        raise ValidationError({"reason": _("名義が一致しない口座を認める理由を入力してください。")})
    checked = _check(details)
    if holder_matches(locked, checked.holder_kana):
        raise ValidationError(
            {
                "holder": _(
                    "この名義は事業者の名前と一致しています。申請者が振込先口座のページで登録できます。"
                )
            }
        )
    return _save(
        locked,
        checked,
        actor=actor,
        matches=False,
        override_reason=reason.strip(),
        action="awards.payee_overridden",
    )


@transaction.atomic
def acknowledge_change(*, account: PayeeAccount, actor: User) -> PayeeAccount:
    """The secretariat has seen a change of account made after acceptance: payments may use it.

    Callers: the secretariat only. Refused (ValidationError): an account that is no longer
    current, needs no acknowledgement, or was acknowledged already (a second click)."""
    policies.can_manage_payees(actor).require()
    locked = PayeeAccount.objects.select_for_update().get(pk=account.pk)
    if not locked.is_current:
        raise ValidationError(_("この口座はその後さらに変更されています。最新の口座を確認してください。"))
    if not locked.needs_acknowledgement or locked.acknowledged_at is not None:
        raise ValidationError(_("この口座の変更は確認済みです。"))
    locked.acknowledged_by = actor
    locked.acknowledged_at = timezone.now()
    locked.save(update_fields=["acknowledged_by", "acknowledged_at"])
    audit_record(
        actor=actor,
        action="awards.payee_change_acknowledged",
        obj=locked,
        changes={"application": locked.application_id},
    )
    return locked

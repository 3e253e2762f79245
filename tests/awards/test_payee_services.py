"""The payee account (振込先口座): the applicant registers and changes it, the holder is the
company itself, the secretariat alone overrides a mismatch with a reason and acknowledges a
change made after acceptance."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dxgrant.accounts.models import Role, StepUpAttempt, StepUpOutcome, StepUpPurpose
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards import selectors
from dxgrant.awards.models import PayeeAccount
from dxgrant.awards.services import payee
from dxgrant.integrity.models import AuditEntry

pytestmark = pytest.mark.django_db

MIZUHO = payee.AccountDetails("0001", "001", "1", "１２３４５６７", "カ）ヤマダセイサクショ")


def _details(**changes) -> payee.AccountDetails:
    return payee.AccountDetails(**(vars(MIZUHO) | changes))


def _code(user, purpose=StepUpPurpose.PAYEE_CHANGE, minutes_ago=0):
    at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    return StepUpAttempt.objects.create(user=user, purpose=purpose, at=at, outcome=StepUpOutcome.ACCEPTED)


def test_the_applicant_registers_the_companys_account(awarded):
    account = payee.register_payee(application=awarded.application, actor=awarded.applicant, details=MIZUHO)
    assert (account.bank_code, account.branch_code, account.account_type) == ("0001", "001", "1")
    assert account.account_number == "1234567"
    assert account.holder_kana == "ｶ)ﾔﾏﾀﾞｾｲｻｸｼﾖ"
    assert (account.bank_name, account.branch_name) == ("みずほ", "東京営業部")
    assert account.holder_matches and account.is_current and not account.needs_acknowledgement
    assert selectors.current_payee(awarded.application) == account
    assert selectors.payee_ready_for_payment(account)
    entry = AuditEntry.objects.get(action="awards.payee_registered")
    assert entry.changes["number"] == "1234567" and entry.changes["replaces"] is None


@pytest.mark.parametrize("who", ["advisor", "secretariat"])
def test_anyone_else_is_refused(awarded, who):
    with pytest.raises(PermissionDenied, match="申請者ご本人"):
        payee.register_payee(application=awarded.application, actor=getattr(awarded, who), details=MIZUHO)
    assert not PayeeAccount.objects.exists()


def test_an_applicant_of_another_company_is_refused(awarded, make_user):
    with pytest.raises(PermissionDenied):
        payee.register_payee(application=awarded.application, actor=make_user(Role.APPLICANT), details=MIZUHO)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"bank_code": "9999"}, "bank"),
        ({"bank_code": "みずほ"}, "bank"),
        ({"branch_code": "998"}, "branch"),
        ({"account_type": "3"}, "account_type"),
        ({"account_number": "123456"}, "account_number"),
        ({"holder": "カ）山田製作所"}, "holder"),
        ({"holder": "ヤマダ　タロウ"}, "holder"),
        ({"holder": "ﾔﾏﾀﾞｾｲｻｸｼﾖ(ｶ"}, "holder"),
    ],
)
def test_bad_input_is_refused_by_field_and_changes_nothing(awarded, changes, field):
    with pytest.raises(ValidationError) as exc:
        payee.register_payee(
            application=awarded.application, actor=awarded.applicant, details=_details(**changes)
        )
    assert field in exc.value.message_dict
    assert not PayeeAccount.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="awards.payee").exists()


def test_the_mismatch_message_names_the_holder_and_the_company(awarded):
    with pytest.raises(ValidationError) as exc:
        payee.register_payee(
            application=awarded.application, actor=awarded.applicant, details=_details(holder="ﾔﾏﾀﾞ ﾀﾛｳ")
        )
    message = exc.value.message_dict["holder"][0]
    assert "ﾔﾏﾀﾞ ﾀﾛｳ" in message and "ヤマダセイサクショ" in message and "事務局" in message


def test_before_notification_it_is_refused(awarded):
    Application.objects.filter(pk=awarded.application.pk).update(status=workflow.AWARDED)
    with pytest.raises(ValidationError, match="交付決定の通知を受けた後"):
        payee.register_payee(application=awarded.application, actor=awarded.applicant, details=MIZUHO)


def test_a_change_before_acceptance_replaces_the_account(awarded):
    app, applicant = awarded.application, awarded.applicant
    first = payee.register_payee(application=app, actor=applicant, details=MIZUHO)
    with pytest.raises(ValidationError, match="登録済みの口座と同じ"):
        payee.register_payee(application=app, actor=applicant, details=MIZUHO)
    second = payee.register_payee(
        application=app, actor=applicant, details=_details(account_number="7654321")
    )
    first.refresh_from_db()
    assert not first.is_current and first.replaced_at is not None
    assert second.is_current and not second.needs_acknowledgement
    assert selectors.payee_ready_for_payment(second)


def _accepted(awarded):
    Application.objects.filter(pk=awarded.application.pk).update(status=workflow.ACCEPTED)
    awarded.application.refresh_from_db()


def test_a_change_after_acceptance_needs_a_code_and_the_secretariats_acknowledgement(awarded):
    app, applicant, staff = awarded.application, awarded.applicant, awarded.secretariat
    first = payee.register_payee(application=app, actor=applicant, details=MIZUHO)
    _accepted(awarded)
    change = _details(bank_code="0005", branch_code="001", account_number="7654321")
    for code in (None, _code(applicant, minutes_ago=6), _code(applicant, purpose=StepUpPurpose.ACCEPTANCE)):
        with pytest.raises(ValidationError) as exc:
            payee.register_payee(application=app, actor=applicant, details=change, step_up=code)
        assert "code" in exc.value.message_dict
    assert selectors.current_payee(app) == first
    second = payee.register_payee(application=app, actor=applicant, details=change, step_up=_code(applicant))
    first.refresh_from_db()
    assert not first.is_current and second.is_current and second.needs_acknowledgement
    assert not selectors.payee_ready_for_payment(second)
    assert list(selectors.changes_awaiting_acknowledgement()) == [second]
    assert selectors.previous_payee(second) == first
    with pytest.raises(PermissionDenied):
        payee.acknowledge_change(account=second, actor=awarded.advisor)
    payee.acknowledge_change(account=second, actor=staff)
    second.refresh_from_db()
    assert second.acknowledged_by == staff and selectors.payee_ready_for_payment(second)
    assert not selectors.changes_awaiting_acknowledgement().exists()
    with pytest.raises(ValidationError, match="確認済み"):
        payee.acknowledge_change(account=second, actor=staff)
    assert AuditEntry.objects.filter(action="awards.payee_change_acknowledged").count() == 1


def test_a_first_account_after_acceptance_needs_no_code(awarded):
    _accepted(awarded)
    account = payee.register_payee(application=awarded.application, actor=awarded.applicant, details=MIZUHO)
    assert not account.needs_acknowledgement


def test_only_the_secretariat_overrides_a_mismatch_with_a_reason(awarded, make_user):
    app, staff = awarded.application, awarded.secretariat
    other = _details(holder="ﾔﾏﾀﾞ ﾀﾛｳ")
    for who in (awarded.applicant, awarded.advisor, make_user(Role.AUDITOR)):
        with pytest.raises(PermissionDenied):
            payee.register_with_override(application=app, actor=who, details=other, reason="理由")
    with pytest.raises(ValidationError) as exc:
        payee.register_with_override(application=app, actor=staff, details=other, reason="  ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        payee.register_with_override(application=app, actor=staff, details=MIZUHO, reason="理由")
    assert "holder" in exc.value.message_dict
    assert not PayeeAccount.objects.exists()
    account = payee.register_with_override(
        application=app, actor=staff, details=other, reason="個人事業から法人成りの途中で、法人口座の開設待ち"
    )
    assert not account.holder_matches and account.overridden_by == staff
    assert selectors.payee_ready_for_payment(account)
    entry = AuditEntry.objects.get(action="awards.payee_overridden")
    assert entry.changes["override_reason"].startswith("個人事業") and entry.actor == staff

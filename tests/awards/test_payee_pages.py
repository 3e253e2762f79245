"""The payee account pages: the applicant registers and changes the account; the advisor reads
it and a forged POST of theirs is refused; the secretariat's override and acknowledgement."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dxgrant.accounts.models import StepUpAttempt, StepUpOutcome
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.awards import selectors
from dxgrant.awards.models import PayeeAccount
from tests.factories.accounts import signed_in, totp_now
from tests.pages.awards_payee import make_objects

pytestmark = pytest.mark.django_db

FORM = {
    "bank": "みずほ",
    "branch": "東京営業部",
    "account_type": "1",
    "account_number": "１２３４５６７",
    "holder": "か）やまだせいさくしょ",
}


def _url(awarded, name="account"):
    return f"/applications/{awarded.application.pk}/payee/" if name == "account" else name


def test_the_applicant_registers_by_name_without_javascript(awarded):
    client = signed_in(awarded.applicant)
    page = client.get(_url(awarded))
    assert page.status_code == 200 and "口座を登録する" in page.text
    response = client.post(_url(awarded), FORM)
    assert response.status_code == 302
    account = selectors.current_payee(awarded.application)
    assert (account.bank_code, account.branch_code, account.account_number) == ("0001", "001", "1234567")
    assert account.holder_kana == "ｶ)ﾔﾏﾀﾞｾｲｻｸｼﾖ"
    shown = client.get(_url(awarded)).text
    assert "ｶ)ﾔﾏﾀﾞｾｲｻｸｼﾖ" in shown and "東京営業部" in shown and "口座を変更する" in shown


def test_codes_as_the_suggestion_list_fills_them_in(awarded):
    client = signed_in(awarded.applicant)
    response = client.post(_url(awarded), FORM | {"bank": "0005 三菱ＵＦＪ", "branch": "001 本店"})
    assert response.status_code == 302
    assert selectors.current_payee(awarded.application).bank_name == "三菱ＵＦＪ"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"bank": "三菱"}, "複数あります（0005 三菱ＵＦＪ"),
        ({"bank": "存在しない銀行"}, "見つかりません"),
        ({"bank": "9999"}, "金融機関コード 9999 の金融機関はありません"),
        ({"branch": "998"}, "支店コード 998 の支店はありません"),
        ({"account_number": "12345"}, "口座番号は数字7桁"),
        ({"holder": "ヤマダタロウ"}, "事業者の名前（フリガナ: ヤマダセイサクショ）と一致しません"),
        ({"holder": "カ）山田製作所"}, "使えない文字「山」"),
    ],
)
def test_bad_input_is_shown_beside_its_field_and_changes_nothing(awarded, changes, message):
    client = signed_in(awarded.applicant)
    response = client.post(_url(awarded), FORM | changes)
    assert response.status_code == 400
    assert message in response.text
    assert not PayeeAccount.objects.exists()


def test_the_advisor_reads_and_a_forged_post_is_refused(awarded):
    client = signed_in(awarded.advisor)
    page = client.get(_url(awarded))
    assert page.status_code == 200
    assert "申請者ご本人のみ" in page.text and '<form method="post" novalidate>' not in page.text
    forged = client.post(_url(awarded), FORM)
    assert forged.status_code == 403
    assert not PayeeAccount.objects.exists()


def test_staff_read_and_cannot_post(awarded, client_for):
    assert signed_in(awarded.secretariat).get(_url(awarded)).status_code == 200
    assert signed_in(awarded.secretariat).post(_url(awarded), FORM).status_code == 403
    assert not PayeeAccount.objects.exists()


def test_a_change_after_acceptance_asks_for_the_code_and_waits_for_the_secretariat(awarded):
    client = signed_in(awarded.applicant)
    client.post(_url(awarded), FORM)
    Application.objects.filter(pk=awarded.application.pk).update(status=workflow.ACCEPTED)
    page = client.get(_url(awarded))
    assert "認証アプリの確認コードが必要です" in page.text and 'name="code"' in page.text
    change = FORM | {"account_number": "7654321"}
    wrong = client.post(_url(awarded), change | {"code": "000000"})
    assert wrong.status_code == 400 and "認証コードが正しくない" in wrong.text
    assert StepUpAttempt.objects.filter(user=awarded.applicant, outcome=StepUpOutcome.WRONG_CODE).count() == 1
    assert selectors.current_payee(awarded.application).account_number == "1234567"
    done = client.post(_url(awarded), change | {"code": totp_now(awarded.applicant)})
    assert done.status_code == 302
    account = selectors.current_payee(awarded.application)
    assert account.account_number == "7654321" and account.needs_acknowledgement
    assert "事務局が確認するまで" in client.get(_url(awarded)).text

    staff = signed_in(awarded.secretariat)
    listed = staff.get("/staff/awards/payee/changes/")
    assert listed.status_code == 200 and "7654321" in listed.text and "株式会社ヤマダ製作所" in listed.text
    assert (
        signed_in(awarded.advisor).post(f"/staff/awards/payee/{account.pk}/acknowledge/").status_code == 403
    )
    assert staff.post(f"/staff/awards/payee/{account.pk}/acknowledge/").status_code == 302
    account.refresh_from_db()
    assert account.acknowledged_by == awarded.secretariat and selectors.payee_ready_for_payment(account)
    assert "確認待ちの口座の変更はありません" in staff.get("/staff/awards/payee/changes/").text


def test_the_secretariat_overrides_a_mismatch_on_its_page(awarded):
    staff = signed_in(awarded.secretariat)
    url = f"/staff/awards/payee/applications/{awarded.application.pk}/override/"
    form = FORM | {"holder": "ﾔﾏﾀﾞ ﾀﾛｳ"}
    assert staff.get(url).status_code == 200
    refused = staff.post(url, form)
    assert refused.status_code == 400 and "理由を入力してください" in refused.text
    assert (
        staff.post(url, form | {"reason": "法人口座の開設待ち（登記簿と通帳の写しを確認）"}).status_code
        == 302
    )
    account = selectors.current_payee(awarded.application)
    assert account.holder_kana == "ﾔﾏﾀﾞ ﾀﾛｳ" and not account.holder_matches
    assert signed_in(awarded.applicant).get(url).status_code == 403


def test_suggestions(awarded):
    client = signed_in(awarded.applicant)
    banks = client.get(
        f"/applications/{awarded.application.pk}/payee/suggest/", {"for": "bank", "bank": "みずほ"}
    )
    assert '<option value="0001 みずほ">' in banks.text
    branches = client.get(
        f"/applications/{awarded.application.pk}/payee/suggest/",
        {"for": "branch", "bank": "0001 みずほ", "branch": "とうきょう"},
    )
    assert '<option value="001 東京営業部">' in branches.text


def test_the_application_page_links_to_the_steps(awarded):
    page = signed_in(awarded.applicant).get(f"/applications/{awarded.application.pk}/")
    assert f"/applications/{awarded.application.pk}/payee/" in page.text
    assert "交付条件を確認して受諾する" in page.text


def test_the_list_of_changes_stays_flat(awarded, programme):
    """One query for the rows however many changes wait (application, round and author joined)."""
    staff = signed_in(awarded.secretariat)
    staff.get("/staff/awards/payee/changes/")
    make_objects()
    with CaptureQueriesContext(connection) as one:
        assert staff.get("/staff/awards/payee/changes/").text.count("7654321") == 1
    make_objects()
    make_objects()
    with CaptureQueriesContext(connection) as three:
        assert staff.get("/staff/awards/payee/changes/").text.count("7654321") == 3
    assert len(one.captured_queries) == len(three.captured_queries)

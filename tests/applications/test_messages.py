"""Messages of the application that must help (issue 9, item 11, the application's part): the fee
disclosure form and the submission box name the field and what to do (never Django's "このフィー
ルドは必須です。"), the declarations page does not head the unticked boxes as already declared, and
the fee is worded one way everywhere (an empty success fee is "なし"; the timing is 交付決定後)."""

from __future__ import annotations

import uuid

import pytest
from django.utils import translation

from dxgrant.applications.forms.application import FEE_TIMINGS, DisclosureForm, SubmitForm
from dxgrant.applications.models import Application, FeeTiming
from dxgrant.applications.presentation import full_application
from dxgrant.applications.services.disclosure import update_disclosure
from dxgrant.applications.services.submission import mark_ready
from tests.factories import UserFactory
from tests.factories.accounts import enrol_totp, signed_in
from tests.factories.applications import complete, drafting

pytestmark = pytest.mark.django_db

DJANGO_DEFAULTS = ("このフィールドは必須です。", "この値は", "This field is required", "Ensure this value")


def assert_no_django_default(text: str) -> None:
    for default in DJANGO_DEFAULTS:
        assert default not in text, default


def test_the_disclosure_form_names_each_missing_field(programme):
    s = drafting(programme)
    response = signed_in(s.advisor).post(f"/applications/{s.application.pk}/disclosure/", {"revision": 0})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "アドバイザー報酬（円・税込）を入力してください" in errors["fee_amount_yen"][0]
    assert "報酬の算定方法を入力してください" in errors["fee_basis"][0]
    assert "報酬の支払時期を選んでください" in errors["fee_timing"][0]
    assert "「はい」か「いいえ」を選んでください" in errors["advisor_sells_budget_items"][0]
    assert_no_django_default(response.content.decode())


@pytest.mark.parametrize("percent", ["150", "-1", "abc"])
def test_a_success_fee_out_of_range_names_the_field_and_the_range(programme, percent):
    s = drafting(programme)
    form = DisclosureForm(
        data={
            "revision": 0,
            "fee_amount_yen": "330000",
            "fee_basis": "定額",
            "fee_timing": "on_payment",
            "success_fee_percent": percent,
            "advisor_sells_budget_items": "false",
        },
        instance=s.application,
    )
    assert not form.is_valid()
    message = form.errors["success_fee_percent"][0]
    assert message.startswith("成功報酬は")
    assert_no_django_default(message)


def test_the_submission_box_names_what_to_tick_and_what_to_type():
    form = SubmitForm(data={"submission_token": str(uuid.uuid4()), "content_digest": "0" * 64})
    assert not form.is_valid()
    assert (
        "「上記の内容で申請することを確認しました。」にチェックを入れてください" in form.errors["confirm"][0]
    )
    assert "認証コード（6桁）を入力してください" in form.errors["code"][0]
    assert_no_django_default(str(form.errors))


def test_the_submission_box_unticked_on_the_confirm_page(programme):
    s = drafting(programme)
    complete(s.application)
    mark_ready(application=s.application, actor=s.advisor)
    enrol_totp(s.applicant)
    response = signed_in(s.applicant).post(
        f"/applications/{s.application.pk}/confirm/",
        {"code": "123456", "submission_token": str(uuid.uuid4()), "content_digest": "0" * 64},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "にチェックを入れてください" in page
    assert_no_django_default(page)


def test_the_declarations_page_does_not_head_unticked_boxes_as_declared(programme):
    s = drafting(programme)
    complete_profile = complete(s.application)
    complete_profile.declarations.all().delete()
    page = signed_in(s.applicant).get(f"/applications/{s.application.pk}/declarations/").content.decode()
    assert "宣誓・同意済みの項目" not in page
    assert "宣誓・同意が必要な項目" in page
    before_form = page.split('<form method="post" novalidate')[0]
    assert before_form.rfind("宣誓・同意が必要な項目") > before_form.rfind("<h1")


def test_an_empty_success_fee_reads_none_on_every_page(programme):
    s = drafting(programme)
    complete(s.application)
    application = Application.objects.get(pk=s.application.pk)
    assert application.success_fee_percent is None
    pk = application.pk
    rows = {row["field"]: row["value"] for row in full_application(application)["disclosure"]}
    assert rows["success_fee_percent"] == "なし"
    secretariat = UserFactory(role="secretariat")
    pages = {
        "check": signed_in(s.applicant).get(f"/applications/{pk}/check/"),
        "disclosure": signed_in(s.applicant).get(f"/applications/{pk}/disclosure/"),
        "staff": signed_in(secretariat).get(f"/staff/applications/{pk}/"),
    }
    for name, response in pages.items():
        page = response.content.decode()
        start = page.index("成功報酬（支援金額に対する％）", page.index("<main"))
        row = page[start : start + 400]
        assert "なし" in row and "未入力" not in row, (name, row)


def test_the_fee_timing_after_the_decision_is_worded_as_the_firms_register_words_it(programme):
    assert FeeTiming.ON_AWARD.label == "交付決定後"
    assert dict(FEE_TIMINGS)["on_award"] == "交付決定後"
    s = drafting(programme)
    update_disclosure(
        application=s.application,
        actor=s.advisor,
        data={
            "fee_amount_yen": 330_000,
            "fee_basis": "定額",
            "fee_timing": "on_award",
            "success_fee_percent": None,
            "advisor_sells_budget_items": False,
            "advisor_sales_disclosure": "",
        },
        revision=0,
    )
    page = signed_in(s.applicant).get(f"/applications/{s.application.pk}/disclosure/").content.decode()
    assert "交付決定後" in page and "採択後" not in page
    with translation.override("en"):
        assert str(FeeTiming.ON_AWARD.label) == "After the grant decision"

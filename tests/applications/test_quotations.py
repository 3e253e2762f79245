"""The two-quote rule (相見積) cannot be met with one file twice (issue 9, item 1): each quotation
records its supplier and amount, a second file with the same SHA-256 on a line is refused, two
quotations must come from two different suppliers, and the secretariat sees which one was chosen
and why when it is not the cheapest. And the difference between versions shows quotation and
document files added, removed and replaced, by name and hash (item 7)."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dxgrant.accounts.models import Role
from dxgrant.applications import budget_rules, completeness
from dxgrant.applications.diff import compare_snapshots
from dxgrant.applications.models import ApplicationDocument, BudgetLine
from dxgrant.applications.presentation import present_snapshot
from dxgrant.applications.services import budget
from dxgrant.applications.snapshot import build_snapshot
from tests.factories.accounts import UserFactory, signed_in
from tests.factories.applications import (
    add_document,
    drafting,
    fill_application,
    make_application,
    make_version,
)
from tests.factories.files import pdf_bytes

pytestmark = pytest.mark.django_db


def pdf(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else pdf_bytes(name), "application/pdf")


def big_line(s):  # type: ignore[no-untyped-def]
    """A 1,200,000-yen line (tax excluded): at the threshold, it needs 相見積."""
    return budget.add_budget_line(
        actor=s.advisor,
        application=s.application,
        values=budget_rules.LineValues("software", "生産管理システム", "株式会社A", 1, 1_200_000, 10),
    )


def problems(s) -> str:  # type: ignore[no-untyped-def]
    return " ".join(completeness.budget_problems(s.application))


def test_the_same_file_twice_is_refused_and_the_line_stays_incomplete(programme):
    s = drafting(programme)
    line = big_line(s)
    same = pdf_bytes("one quotation")
    budget.upload_quote(
        actor=s.advisor, line=line, file=pdf("A社.pdf", same), supplier="株式会社A", amount_yen=1_200_000
    )
    with pytest.raises(ValidationError) as refused:
        budget.upload_quote(
            actor=s.advisor, line=line, file=pdf("B社.pdf", same), supplier="株式会社B", amount_yen=1_150_000
        )
    message = " ".join(refused.value.messages)
    assert "すでに添付されている見積書「A社.pdf」と同じ内容です" in message
    assert hashlib.sha256(same).hexdigest()[:16] in message
    assert line.quotes.count() == 1
    assert "2者以上の見積書（相見積）が必要です（現在1件）" in problems(s)


def test_the_page_refuses_the_same_file_beside_the_file_field(programme):
    s = drafting(programme)
    line = big_line(s)
    client = signed_in(s.advisor)
    url = f"/applications/{s.application.pk}/budget/lines/{line.pk}/quotes/"
    same = pdf_bytes("one quotation")
    first = client.post(url, {"supplier": "株式会社A", "amount_yen": "1,200,000", "file": pdf("a.pdf", same)})
    assert first.status_code == 302
    again = client.post(url, {"supplier": "株式会社B", "amount_yen": "1,100,000", "file": pdf("b.pdf", same)})
    assert again.status_code == 400
    assert "同じ内容です" in str(again.context["upload_form"].errors["file"])
    assert ApplicationDocument.objects.filter(budget_line=line).count() == 1


def test_supplier_and_amount_are_asked_and_named_when_missing(programme):
    s = drafting(programme)
    line = big_line(s)
    response = signed_in(s.advisor).post(
        f"/applications/{s.application.pk}/budget/lines/{line.pk}/quotes/", {"file": pdf("a.pdf")}
    )
    assert response.status_code == 400
    errors = response.context["upload_form"].errors
    assert "見積元の業者名を入力してください" in str(errors["supplier"])
    assert "見積金額（税抜・円）" in str(errors["amount_yen"])
    assert not ApplicationDocument.objects.exists()
    page = response.content.decode()
    assert "見積元の業者名" in page and "見積金額（税抜・円）" in page
    with pytest.raises(ValidationError) as refused:
        budget.upload_quote(actor=s.advisor, line=line, file=pdf("a.pdf"), supplier=" ", amount_yen=None)
    assert set(refused.value.message_dict) == {"supplier", "amount_yen"}


def test_two_files_from_one_supplier_are_not_two_quotations(programme):
    s = drafting(programme)
    line = big_line(s)
    budget.upload_quote(
        actor=s.advisor, line=line, file=pdf("1.pdf"), supplier="株式会社ＡＢＣ", amount_yen=1
    )
    budget.upload_quote(actor=s.advisor, line=line, file=pdf("2.pdf"), supplier="株式会社ABC", amount_yen=2)
    assert "「生産管理システム」の見積書は1者分です" in problems(s)
    assert completeness.budget_status(s.application) == budget_rules.IN_PROGRESS


def test_the_chosen_quotation_and_the_reason_when_it_is_not_the_cheapest(programme):
    s = drafting(programme)
    line = big_line(s)
    dear = budget.upload_quote(
        actor=s.advisor, line=line, file=pdf("A.pdf"), supplier="株式会社A", amount_yen=1_200_000
    )
    cheap = budget.upload_quote(
        actor=s.advisor, line=line, file=pdf("B.pdf"), supplier="株式会社B", amount_yen=1_100_000
    )
    assert "採用する見積書を選んでください" in problems(s)
    with pytest.raises(ValidationError) as refused:
        budget.choose_quote(actor=s.advisor, line=line, quote_id=dear.pk, reason="")
    assert "最安でない見積書を採用する理由" in " ".join(refused.value.message_dict["reason"])
    budget.choose_quote(actor=s.advisor, line=line, quote_id=cheap.pk, reason="")
    assert problems(s) == ""
    budget.choose_quote(actor=s.advisor, line=line, quote_id=dear.pk, reason="保守が含まれるため")
    assert problems(s) == ""
    line.refresh_from_db()
    assert line.chosen_quote == dear and line.choice_reason == "保守が含まれるため"
    # A quotation of another line cannot be chosen.
    other = budget.add_budget_line(
        actor=s.advisor,
        application=s.application,
        values=budget_rules.LineValues("software", "別の品目", "株式会社C", 1, 10_000, 10),
    )
    with pytest.raises(ValidationError):
        budget.choose_quote(actor=s.advisor, line=other, quote_id=dear.pk, reason="")


def test_the_choice_form_on_the_budget_page(programme):
    s = drafting(programme)
    line = big_line(s)
    dear = budget.upload_quote(
        actor=s.advisor, line=line, file=pdf("A.pdf"), supplier="株式会社A", amount_yen=1_200_000
    )
    budget.upload_quote(
        actor=s.advisor, line=line, file=pdf("B.pdf"), supplier="株式会社B", amount_yen=1_100_000
    )
    client = signed_in(s.advisor)
    url = f"/applications/{s.application.pk}/budget/lines/{line.pk}/choice/"
    refused = client.post(url, {f"line{line.pk}-quote": dear.pk, f"line{line.pk}-reason": ""})
    assert refused.status_code == 400
    assert "最安でない見積書を採用する理由" in refused.content.decode()
    saved = client.post(url, {f"line{line.pk}-quote": dear.pk, f"line{line.pk}-reason": "納期が早いため"})
    assert saved.status_code == 302
    page = client.get(f"/applications/{s.application.pk}/budget/").content.decode()
    assert "株式会社A" in page and "1,200,000円" in page and "納期が早いため" in page


def test_the_secretariat_sees_which_was_chosen_and_why(programme):
    application = fill_application(make_application(programme, company_name="相見積株式会社"))
    line = BudgetLine.objects.get(application=application, item="クラウド受発注システム")
    dear = line.quotes.get(supplier="株式会社受発注ラボ")
    line.chosen_quote = dear
    line.choice_reason = "在庫連携が標準で含まれるため"
    line.save()
    full = present_snapshot(build_snapshot(application), application.round)
    [shown] = [x for x in full["budget"]["lines"] if x["item"] == "クラウド受発注システム"]
    assert [(q["supplier"], q["amount_yen"], q["chosen"]) for q in shown["quotes"]] == [
        ("株式会社クラウド", 3_000_000, False),
        ("株式会社受発注ラボ", 3_200_000, True),
    ]
    make_version(application)
    secretariat = signed_in(UserFactory(role=Role.SECRETARIAT))
    page = secretariat.get(f"/staff/applications/{application.pk}/").content.decode()
    assert "株式会社受発注ラボ 3,200,000円" in page
    assert "在庫連携が標準で含まれるため" in page
    assert "採用" in page and '株式会社クラウド 3,000,000円 <span class="tag">最安</span>' in page


# --- Item 7: the difference between versions names the files ------------------------------------


def test_a_replaced_quotation_and_document_show_by_name_and_hash(programme):
    application = fill_application(make_application(programme, company_name="差し替え株式会社"))
    v1 = make_version(application)
    line = BudgetLine.objects.get(application=application, item="クラウド受発注システム")
    old_quote = line.quotes.get(supplier="株式会社受発注ラボ")
    old_doc = ApplicationDocument.objects.get(application=application, code="tax_certificate")
    old_quote.delete()
    old_doc.delete()
    new_quote = add_document(
        application,
        code="quotes",
        name="見積書_受発注ラボ_改訂.pdf",
        budget_line=line,
        supplier="株式会社受発注ラボ",
        quoted_amount_yen=3_100_000,
    )
    new_doc = add_document(application, code="tax_certificate", name="納税証明書_再発行.pdf")
    extra = add_document(
        application,
        code="quotes",
        name="見積書_第三社.pdf",
        budget_line=line,
        supplier="第三株式会社",
        quoted_amount_yen=3_500_000,
    )
    v2 = make_version(application)
    result = compare_snapshots(v1.snapshot, v2.snapshot, application.round)
    [changed] = result["budget"]["changed"]
    quotes = changed["quotes"]
    [replaced] = quotes["replaced"]
    assert (
        replaced["old"]["name"] == "見積書_受発注ラボ.pdf" and replaced["old"]["sha256"] == old_quote.sha256
    )
    assert (
        replaced["new"]["name"] == new_quote.original_name and replaced["new"]["sha256"] == new_quote.sha256
    )
    assert [q["name"] for q in quotes["added"]] == [extra.original_name]
    assert quotes["removed"] == []
    [doc] = result["documents"]["replaced"]
    assert (doc["old"]["name"], doc["new"]["name"]) == (old_doc.original_name, new_doc.original_name)
    assert result["changed"] is True

    auditor = signed_in(UserFactory(role=Role.AUDITOR))
    html = auditor.get(f"/staff/applications/{application.pk}/diff/").content.decode()
    for name, digest in (
        (old_quote.original_name, old_quote.sha256),
        (new_quote.original_name, new_quote.sha256),
        (extra.original_name, extra.sha256),
        (old_doc.original_name, old_doc.sha256),
        (new_doc.original_name, new_doc.sha256),
    ):
        assert name in html and digest in html, name
    assert "差し替え" in html
    assert "見積書2件" not in html


def test_a_version_frozen_before_suppliers_still_compares(programme):
    application = fill_application(make_application(programme))
    v1 = make_version(application)
    old = dict(v1.snapshot)
    old["budget"] = {
        **old["budget"],
        "lines": [
            {**line, "quotes": [q["sha256"] for q in line["quotes"]]} for line in old["budget"]["lines"]
        ],
    }
    v2 = make_version(application)
    result = compare_snapshots(old, v2.snapshot, application.round)
    assert result["budget"]["changed"] and all(
        not c["quotes"]["replaced"] for c in result["budget"]["changed"]
    )
    present_snapshot(old, application.round)  # the full application still renders

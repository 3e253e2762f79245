"""Finance's payment pages, as finance uses them: prepare, approve (never the preparer, even by
a forged POST), download the file, enter the results, settle."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.awards import zengin
from dxgrant.awards.models import BatchStatus, Instalment, InstalmentStatus, PaymentBatch
from tests.factories.accounts import signed_in

from .payments_builders import accepted_with_instalments, next_business_day, payee, payees

__all__ = ["payees"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def preparer(make_user):
    return make_user(Role.FINANCE, email="preparer@example.jp")


@pytest.fixture
def approver(make_user):
    return make_user(Role.FINANCE, email="approver@example.jp")


@pytest.fixture
def due(programme, preparer, payees) -> list[Instalment]:
    made = []
    for amount in (1_200_000, 800_000):
        (instalment,) = accepted_with_instalments(programme, amount_yen=amount, by=preparer)
        payees[instalment.application_id] = payee()
        made.append(instalment)
    return made


def _text(response) -> str:
    return response.content.decode()


def test_the_journey_from_due_instalments_to_paid(
    due, preparer, approver, django_capture_on_commit_callbacks
):
    prepare = signed_in(preparer)
    page = prepare.get("/staff/awards/payments/prepare/")
    assert page.status_code == 200
    assert "2件（2,000,000円）" in _text(page)

    response = prepare.post(
        "/staff/awards/payments/prepare/", {"transfer_date": next_business_day().isoformat()}
    )
    batch = PaymentBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/awards/payments/{batch.pk}/"
    detail = _text(prepare.get(response["Location"]))
    assert "支払バッチを作成した本人は承認できません" in detail
    assert f'action="/staff/awards/payments/{batch.pk}/approve/"' not in detail

    # A forged POST by the preparer is refused too.
    forged = prepare.post(f"/staff/awards/payments/{batch.pk}/approve/")
    assert forged.status_code == 403
    assert "作成した本人は承認できません" in _text(forged)
    assert PaymentBatch.objects.get().status == BatchStatus.PREPARED
    # And no file before approval.
    assert prepare.post(f"/staff/awards/payments/{batch.pk}/download/").status_code == 403

    second = signed_in(approver)
    assert f'action="/staff/awards/payments/{batch.pk}/approve/"' in _text(
        second.get(f"/staff/awards/payments/{batch.pk}/")
    )
    assert second.post(f"/staff/awards/payments/{batch.pk}/approve/").status_code == 302

    download = prepare.post(f"/staff/awards/payments/{batch.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="zengin-batch-{batch.pk}.txt"'
    assert "no-store" in download["Cache-Control"]
    parsed = zengin.read(download.content)
    assert parsed.trailer == zengin.Trailer(count=2, total=2_000_000)
    assert [d.amount for d in parsed.data] == [1_200_000, 800_000]

    ok, failed = batch.transfers.order_by("pk")
    results = f"/staff/awards/payments/{batch.pk}/results/"
    refused = prepare.post(results, {f"t{failed.pk}-result": "failed"})
    assert refused.status_code == 400
    assert "不能事由コードを入力してください" in _text(refused)
    saved = prepare.post(
        results, {f"t{ok.pk}-result": "ok", f"t{failed.pk}-result": "failed", f"t{failed.pk}-code": "03"}
    )
    assert saved.status_code == 302
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        settled = prepare.post(f"/staff/awards/payments/{batch.pk}/settle/")
    assert settled.status_code == 302
    assert PaymentBatch.objects.get().status == BatchStatus.SETTLED
    paid = Instalment.objects.get(pk=ok.instalment_id)
    assert paid.status == InstalmentStatus.PAID and paid.application.status == workflow.PAID
    assert Instalment.objects.get(pk=failed.instalment_id).status == InstalmentStatus.DUE
    assert mail.outbox and all("お振込みしました" in m.subject for m in mail.outbox)
    listing = _text(prepare.get("/staff/awards/payments/"))
    assert "結果登録済み" in listing and "2,000,000円" in listing
    # Settling again pays nothing twice.
    assert prepare.post(f"/staff/awards/payments/{batch.pk}/settle/").status_code == 403


@pytest.mark.parametrize(
    ("value", "words"),
    [("", "振込指定日を入力してください"), ("2020-01-06", "明日以降"), ("2099-13-01", "日付の形式")],
)
def test_a_bad_transfer_date_is_refused_beside_the_field(due, preparer, value, words):
    response = signed_in(preparer).post("/staff/awards/payments/prepare/", {"transfer_date": value})
    assert response.status_code == 400
    assert words in _text(response)
    assert not PaymentBatch.objects.exists()


def test_a_saturday_is_refused(due, preparer):
    today = dt.date.today()
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)
    response = signed_in(preparer).post(
        "/staff/awards/payments/prepare/", {"transfer_date": saturday.isoformat()}
    )
    assert response.status_code == 400
    assert "銀行の営業日" in _text(response)


def test_in_english_when_chosen(due, preparer):
    client = signed_in(preparer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = _text(client.get("/staff/awards/payments/prepare/"))
    assert "Prepare a payment batch" in page
    response = client.post("/staff/awards/payments/prepare/", {"transfer_date": "2020-01-06"})
    assert "The transfer date must be tomorrow or later." in _text(response)


def test_a_missing_batch_and_anothers_role_answer_alike(due, preparer, client_for):
    assert signed_in(preparer).get("/staff/awards/payments/999999/").status_code == 404
    assert client_for(Role.SECRETARIAT).get("/staff/awards/payments/").status_code == 403

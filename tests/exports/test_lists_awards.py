"""A round's notices and a batch's transfers: lists named by their page's path, which the
export link carries as a parameter."""

from __future__ import annotations

import csv
import io

import pytest

from dxgrant.accounts.models import Role
from dxgrant.awards.models import Transfer
from tests.pages import awards_notices, awards_payments

pytestmark = pytest.mark.django_db


def _rows(response):
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body, newline="")))


def test_a_rounds_notices(client_for, programme):
    objects = awards_notices.make_objects()
    client = client_for(Role.AUDITOR)
    page = client.get(f"/staff/awards/{objects['notices_round']}/notices/").content.decode()
    link = f"/staff/exports/notices/xlsx/?round={objects['notices_round']}"
    assert link in page
    rows = _rows(client.get("/staff/exports/notices/csv/", {"round": objects["notices_round"]}))
    assert rows[0][:3] == ["順位", "通知書番号", "種類"]
    assert len(rows) == 2 and rows[1][1] == objects["notice_number"] and rows[1][6] == "4000000"
    assert _rows(client.get("/staff/exports/notices/csv/", {"round": "another"}))[1:] == []
    assert client_for(Role.APPLICANT).get("/staff/exports/notices/csv/", {"round": "x"}).status_code == 403


def test_a_batchs_transfers_for_finance_only(client_for, programme):
    objects = awards_payments.make_objects()
    batch = objects["payments_approved"]
    client = client_for(Role.FINANCE)
    assert (
        f"/staff/exports/transfers/csv/?batch={batch}"
        in client.get(f"/staff/awards/payments/{batch}/").content.decode()
    )
    rows = _rows(client.get("/staff/exports/transfers/csv/", {"batch": str(batch)}))
    transfer = Transfer.objects.select_related("instalment__application").get(batch_id=batch)
    assert rows[0][:4] == ["番号", "受付番号", "会社名・屋号", "金融機関コード"]
    assert rows[1:] == [
        [
            str(transfer.pk),
            transfer.instalment.application.receipt_number or "",
            transfer.instalment.application.company_name,
            "0005", "001", "1", "1234567", "ｶ)ﾃｽﾄｾｲｻｸｼﾖ", str(transfer.amount_yen),
            transfer.get_result_display(), "",
        ]
    ]  # fmt: skip
    for role in (Role.SECRETARIAT, Role.AUDITOR):
        assert client_for(role).get("/staff/exports/transfers/csv/", {"batch": str(batch)}).status_code == 403

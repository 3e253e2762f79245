"""The bank's result file: the reader (result code in byte 114 of each data record), the import
service (matching each record to its transfer, refusing the whole file on any mismatch) and the
upload on the batch page."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from dxgrant.accounts.models import Role
from dxgrant.awards import zengin, zengin_results
from dxgrant.awards.models import BatchStatus, PaymentBatch, Transfer, TransferResult
from dxgrant.awards.services import batches, settlement
from dxgrant.integrity.models import AuditEntry
from tests.factories.accounts import signed_in

from .payments_builders import accepted_with_instalments, next_business_day, payee, payees

__all__ = ["payees"]

HEADER = zengin.Header(
    requester_code="1234567890",
    requester_name="ｻﾞｲ)ﾃﾞｼﾞﾀﾙｼﾝｺｳ",
    transfer_mmdd="0401",
    bank_code="0001",
    bank_name="ﾐｽﾞﾎ",
    branch_code="001",
    branch_name="ﾎﾝﾃﾝ",
    account_type="1",
    account_number="7654321",
)


def with_codes(content: bytes, codes: dict[int, str]) -> bytes:
    """What the bank returns: our file with `codes[customer_code1]` written into byte 114 of each
    data record it names (others left as exported, a space: not processed)."""
    lines = content.split(zengin.NEWLINE)
    out = []
    for raw in lines:
        if raw[:1] == b"2":
            number = int(raw[91:101])
            if number in codes:
                raw = raw[:113] + codes[number].encode("ascii") + raw[114:]
        out.append(raw)
    return zengin.NEWLINE.join(out)


def _data(amount: int, number: int, account: str = "1234567") -> zengin.Data:
    return zengin.Data(
        bank_code="0005",
        bank_name="ﾐﾂﾋﾞｼUFJ",
        branch_code="001",
        branch_name="ﾎﾝﾃﾝ",
        account_type="1",
        account_number=account,
        payee_name="ｶ)ﾃｽﾄｾｲｻｸｼﾖ",
        amount=amount,
        customer_code1=number,
    )


# --- the reader ---


def test_reader_reads_every_field_and_the_code_in_byte_114():
    exported = zengin.write(zengin.build(HEADER, [_data(1_000_000, 41), _data(250_000, 42, "7654321")]))
    content = with_codes(exported, {41: "0", 42: "1"})
    assert len(content) == len(exported)
    # Byte 112 (振込指定区分) is left as we wrote it: the result goes in 114.
    second = content.split(zengin.NEWLINE)[2]
    assert second[111:112] == b"7" and second[113:114] == b"1"

    result = zengin_results.read_results(content)
    assert result.header == HEADER
    assert result.trailer == zengin.Trailer(count=2, total=1_250_000)
    first, other = result.records
    assert (first.line, other.line) == (2, 3)
    assert first.data == _data(1_000_000, 41)
    assert other.data == _data(250_000, 42, "7654321")
    assert (first.code, first.ok, first.processed) == ("0", True, True)
    assert (other.code, other.ok, other.processed) == ("1", False, True)


def test_reader_without_line_breaks_and_a_space_is_not_processed():
    exported = zengin.write(zengin.build(HEADER, [_data(5, 7), _data(6, 8)]))
    content = with_codes(exported, {7: "9"}).replace(zengin.NEWLINE, b"")
    first, other = zengin_results.read_results(content).records
    assert first.code == "9" and not first.ok
    assert other.code == "" and not other.processed and not other.ok


@pytest.mark.parametrize("code", ["5", "A", "\xff"])
def test_reader_refuses_a_code_outside_the_table_naming_line_and_field(code):
    exported = zengin.write(zengin.build(HEADER, [_data(5, 7), _data(6, 8)]))
    raw = code.encode("latin-1")
    lines = exported.split(zengin.NEWLINE)
    lines[2] = lines[2][:113] + raw + lines[2][114:]
    with pytest.raises(zengin.ZenginError) as refused:
        zengin_results.read_results(zengin.NEWLINE.join(lines))
    assert "3行目 振込結果コード" in str(refused.value)
    assert refused.value.field == "result_code"


def test_reader_refuses_what_the_plain_reader_refuses():
    exported = zengin.write(zengin.build(HEADER, [_data(5, 7)]))
    lines = exported.split(zengin.NEWLINE)
    lines[1] = lines[1][:80] + b"00000000x5" + lines[1][90:]
    with pytest.raises(zengin.ZenginError, match="2行目 振込金額"):
        zengin_results.read_results(zengin.NEWLINE.join(lines))
    # A trailer that does not add up.
    lines = exported.split(zengin.NEWLINE)
    lines[2] = lines[2][:1] + b"000002" + lines[2][7:]
    with pytest.raises(zengin.ZenginError, match="トレーラ"):
        zengin_results.read_results(zengin.NEWLINE.join(lines))


def test_every_code_has_a_meaning_in_both_languages():
    assert zengin_results.meaning("1") == "資金不足"
    assert zengin_results.meaning("X1") is None
    with translation.override("en"):
        assert zengin_results.meaning("0") == "Transferred"
        for code in zengin_results.RESULT_CODES:
            meaning = zengin_results.meaning(code)
            assert meaning and meaning.isascii(), (code, meaning)


# --- the service ---

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(make_user):
    return make_user(Role.FINANCE, email="finance-1@example.jp")


@pytest.fixture
def approver(make_user):
    return make_user(Role.FINANCE, email="finance-2@example.jp")


def _exported(programme, finance, approver, payees, count=3) -> PaymentBatch:
    for n in range(count):
        (instalment,) = accepted_with_instalments(programme, amount_yen=1_000_000 + n, by=finance)
        payees[instalment.application_id] = payee()
    batch = batches.prepare_batch(actor=finance, transfer_date=next_business_day())
    batches.approve_batch(actor=approver, batch=batch)
    batches.export_batch(actor=finance, batch=batch)
    batch.refresh_from_db()
    return batch


def _file(batch: PaymentBatch, codes: dict[int, str]) -> bytes:
    return with_codes(batches.transfer_file(batch), codes)


def _numbers(batch: PaymentBatch) -> list[int]:
    return list(batch.transfers.order_by("pk").values_list("pk", flat=True))


def _results(batch: PaymentBatch) -> list[tuple[str, str]]:
    return list(batch.transfers.order_by("pk").values_list("result", "result_code"))


def _import(finance, batch, content):
    return settlement.import_results(actor=finance, batch=batch, content=content, filename="kekka.txt")


def test_all_ok_records_each_result_and_the_audit_entry(programme, finance, approver, payees):
    batch = _exported(programme, finance, approver, payees)
    content = _file(batch, dict.fromkeys(_numbers(batch), "0"))
    summary = _import(finance, batch, content)
    assert summary == settlement.ImportSummary(ok=3, failed=0, unprocessed=0, changed=3)
    assert _results(batch) == [(TransferResult.OK, "")] * 3
    assert set(batch.transfers.values_list("result_recorded_by", flat=True)) == {finance.pk}
    entry = AuditEntry.objects.get(action="awards.transfer_results_imported")
    assert entry.changes["sha256"] == hashlib.sha256(content).hexdigest()
    assert entry.changes["ok"] == 3 and entry.changes["failed"] == 0
    assert entry.changes["filename"] == "kekka.txt"
    # Not settled: finance reviews and settles.
    batch.refresh_from_db()
    assert batch.status == BatchStatus.EXPORTED


def test_some_failed_keep_their_code_and_the_same_file_twice_changes_nothing(
    programme, finance, approver, payees
):
    batch = _exported(programme, finance, approver, payees)
    first, second, third = _numbers(batch)
    content = _file(batch, {first: "0", second: "1", third: "8"})
    assert _import(finance, batch, content) == settlement.ImportSummary(
        ok=1, failed=2, unprocessed=0, changed=3
    )
    assert _results(batch) == [
        (TransferResult.OK, ""),
        (TransferResult.FAILED, "1"),
        (TransferResult.FAILED, "8"),
    ]
    again = _import(finance, batch, content)
    assert again.changed == 0 and _results(batch)[1] == (TransferResult.FAILED, "1")
    # A later file corrects a result; a record not processed leaves its transfer as it was.
    later = _file(batch, {first: "0", second: "0"})
    assert _import(finance, batch, later) == settlement.ImportSummary(
        ok=2, failed=0, unprocessed=1, changed=1
    )
    assert _results(batch) == [(TransferResult.OK, ""), (TransferResult.OK, ""), (TransferResult.FAILED, "8")]
    settlement.settle_batch(actor=finance, batch=batch)
    with pytest.raises(PermissionDenied):
        _import(finance, batch, later)


def _refused(finance, batch, content, message: str) -> None:
    before = _results(batch)
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        _import(finance, batch, content)
    assert message in " ".join(refused.value.message_dict["file"])
    assert _results(batch) == before
    assert AuditEntry.objects.count() == entries


def _patched(content: bytes, line: int, start: int, value: bytes) -> bytes:
    lines = content.split(zengin.NEWLINE)
    raw = lines[line - 1]
    lines[line - 1] = raw[: start - 1] + value + raw[start - 1 + len(value) :]
    return zengin.NEWLINE.join(lines)


def test_a_mismatched_amount_is_refused_and_nothing_changes(programme, finance, approver, payees):
    batch = _exported(programme, finance, approver, payees)
    content = _file(batch, dict.fromkeys(_numbers(batch), "0"))
    # Line 3 (the second transfer): 1,000,001 → 1,000,009; the trailer total still adds up.
    changed = _patched(content, 3, 81, b"0001000009")
    changed = _patched(changed, 5, 8, b"%012d" % (3_000_003 + 8))
    _refused(finance, batch, changed, "3行目 振込金額: 出力した振込データ（1000001）と異なります（1000009）")


def test_a_mismatched_account_is_refused(programme, finance, approver, payees):
    batch = _exported(programme, finance, approver, payees)
    content = _file(batch, dict.fromkeys(_numbers(batch), "0"))
    _refused(finance, batch, _patched(content, 2, 44, b"7654321"), "2行目 口座番号")


def test_an_unknown_customer_code_is_refused(programme, finance, approver, payees):
    batch = _exported(programme, finance, approver, payees)
    content = _file(batch, dict.fromkeys(_numbers(batch), "0"))
    _refused(
        finance,
        batch,
        _patched(content, 4, 92, b"0000999999"),
        "4行目 顧客コード1: 振込番号 999999 はこの支払バッチにありません",
    )


def test_a_duplicate_customer_code_is_refused(programme, finance, approver, payees):
    batch = _exported(programme, finance, approver, payees, count=2)
    first, second = _numbers(batch)
    content = _file(batch, {first: "0", second: "1"})
    lines = content.split(zengin.NEWLINE)
    lines[2] = lines[1]  # the first record twice; count and total adjusted below
    trailer = zengin.encode_record(zengin.Trailer(count=2, total=2 * 1_000_000))
    lines[3] = trailer
    _refused(
        finance,
        batch,
        zengin.NEWLINE.join(lines),
        f"3行目 顧客コード1: 振込番号 {first} が2行目と重複しています",
    )


def test_a_missing_transfer_is_refused(programme, finance, approver, payees):
    batch = _exported(programme, finance, approver, payees, count=2)
    first, second = _numbers(batch)
    content = _file(batch, {first: "0", second: "0"})
    lines = content.split(zengin.NEWLINE)
    del lines[2]
    lines[2] = zengin.encode_record(zengin.Trailer(count=1, total=1_000_000))
    _refused(finance, batch, zengin.NEWLINE.join(lines), f"振込番号 {second} の結果がファイルにありません")


def test_another_batchs_file_is_refused(programme, finance, approver, payees):
    batch = _exported(programme, finance, approver, payees, count=1)
    content = _file(batch, dict.fromkeys(_numbers(batch), "0"))
    other_day = _patched(content, 1, 55, b"1231" if not content[54:58] == b"1231" else b"0101")
    _refused(finance, batch, other_day, "1行目 振込指定日")
    _refused(finance, batch, _patched(content, 1, 5, b"9999999999"), "1行目 振込依頼人コード")
    _refused(finance, batch, b"not a zengin file", "120バイト")
    # Another batch's file: its transfers are not this batch's.
    second = _exported(programme, finance, approver, payees, count=1)
    _refused(finance, second, content, "はこの支払バッチにありません")


def test_settled_and_not_finance_are_refused(programme, finance, approver, payees, make_user):
    batch = _exported(programme, finance, approver, payees, count=1)
    content = _file(batch, dict.fromkeys(_numbers(batch), "0"))
    for role in (Role.SECRETARIAT, Role.AUDITOR, Role.APPLICANT):
        with pytest.raises(PermissionDenied):
            _import(make_user(role), batch, content)
    assert _results(batch) == [("", "")]
    # The preparer may import, as they may enter results.
    assert batch.prepared_by == finance and _import(finance, batch, content).ok == 1
    settlement.settle_batch(actor=approver, batch=batch)
    with pytest.raises(PermissionDenied, match="確定するまで"):
        _import(finance, batch, _file(batch, dict.fromkeys(_numbers(batch), "1")))
    assert Transfer.objects.get().result == TransferResult.OK


# --- the page ---


def _upload(client, batch, content: bytes, name="kekka.txt"):
    return client.post(
        f"/staff/awards/payments/{batch.pk}/results/import/",
        {"file": SimpleUploadedFile(name, content, content_type="text/plain")},
    )


def test_page_upload_shows_the_counts_and_the_meaning(programme, finance, approver, payees):
    batch = _exported(programme, finance, approver, payees)
    first, second, third = _numbers(batch)
    client = signed_in(finance)
    page = client.get(f"/staff/awards/payments/{batch.pk}/")
    assert 'enctype="multipart/form-data"' in page.content.decode()
    response = _upload(client, batch, _file(batch, {first: "0", second: "0", third: "2"}))
    assert response.status_code == 302 and response["Location"] == f"/staff/awards/payments/{batch.pk}/"
    text = client.get(response["Location"]).content.decode()
    assert "振込済 2 件・不能 1 件" in text
    assert "(2 取引なし)" in " ".join(text.split())
    client.cookies["django_language"] = "en"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = client.get(f"/staff/awards/payments/{batch.pk}/").content.decode()
    assert "No such account" in text


def test_the_batch_page_offers_settling_once_every_transfer_has_its_result(
    programme, finance, approver, payees
):
    batch = _exported(programme, finance, approver, payees)
    first, second, third = _numbers(batch)
    client = signed_in(finance)
    before = client.get(f"/staff/awards/payments/{batch.pk}/").content.decode()
    assert "振込結果が未登録の振込が3件あります。" in before
    assert f'action="/staff/awards/payments/{batch.pk}/settle/"' not in before
    _upload(client, batch, _file(batch, {first: "0", second: "0", third: " "}))
    partly = client.get(f"/staff/awards/payments/{batch.pk}/").content.decode()
    assert "振込結果が未登録の振込が1件あります。" in partly
    assert f'action="/staff/awards/payments/{batch.pk}/settle/"' not in partly
    _upload(client, batch, _file(batch, {first: "0", second: "0", third: "2"}))
    after = client.get(f"/staff/awards/payments/{batch.pk}/").content.decode()
    assert f'action="/staff/awards/payments/{batch.pk}/settle/"' in after
    settled = client.post(f"/staff/awards/payments/{batch.pk}/settle/")
    assert settled.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SETTLED


def test_page_refusal_is_beside_the_field_and_changes_nothing(programme, finance, approver, payees):
    batch = _exported(programme, finance, approver, payees, count=1)
    client = signed_in(finance)
    content = _patched(_file(batch, dict.fromkeys(_numbers(batch), "0")), 2, 44, b"7654321")
    response = _upload(client, batch, content)
    assert response.status_code == 400
    assert "2行目 口座番号" in response.content.decode()
    assert _results(batch) == [("", "")]
    missing = client.post(f"/staff/awards/payments/{batch.pk}/results/import/", {})
    assert missing.status_code == 400
    assert "取り込む振込結果ファイルを選んでください。" in missing.content.decode()


def test_page_refuses_a_file_over_the_limit_with_413(programme, finance, approver, payees, monkeypatch):
    batch = _exported(programme, finance, approver, payees, count=1)
    monkeypatch.setattr("dxgrant.awards.forms.RESULTS_FILE_MAX_BYTES", 100)
    response = _upload(signed_in(finance), batch, _file(batch, dict.fromkeys(_numbers(batch), "0")))
    assert response.status_code == 413
    assert "ファイルが大きすぎます" in response.content.decode()
    assert _results(batch) == [("", "")]


# --- the command ---


def test_command_imports_and_refuses_with_the_reason(programme, finance, approver, payees, tmp_path):
    batch = _exported(programme, finance, approver, payees, count=2)
    first, second = _numbers(batch)
    path = tmp_path / "kekka.txt"
    path.write_bytes(_file(batch, {first: "0", second: "3"}))
    out = StringIO()
    call_command("import_transfer_results", batch=batch.pk, input=str(path), user=finance.email, stdout=out)
    assert "1 transferred, 1 failed" in out.getvalue()
    assert _results(batch) == [(TransferResult.OK, ""), (TransferResult.FAILED, "3")]
    path.write_bytes(_patched(path.read_bytes(), 2, 44, b"7654321"))
    with pytest.raises(CommandError, match="2行目 口座番号"):
        call_command("import_transfer_results", batch=batch.pk, input=str(path), user=finance.email)
    with pytest.raises(CommandError):
        call_command("import_transfer_results", batch=batch.pk, input=str(path), user=approver.email + "x")


def test_command_settles_a_batch_with_every_result_and_refuses_one_without(
    programme, finance, approver, payees, tmp_path
):
    batch = _exported(programme, finance, approver, payees, count=2)
    first, second = _numbers(batch)
    path = tmp_path / "kekka.txt"
    path.write_bytes(_file(batch, {first: "0", second: " "}))
    call_command("import_transfer_results", batch=batch.pk, input=str(path), user=finance.email)
    with pytest.raises(CommandError, match="振込結果が未登録の振込が1件あります"):
        call_command("settle_batch", batch=batch.pk, user=finance.email)
    with pytest.raises(CommandError, match="No user"):
        call_command("settle_batch", batch=batch.pk, user="nobody@example.jp")
    path.write_bytes(_file(batch, {first: "0", second: "2"}))
    call_command("import_transfer_results", batch=batch.pk, input=str(path), user=finance.email)
    out = StringIO()
    call_command("settle_batch", batch=batch.pk, user=finance.email, stdout=out)
    assert f"Settled batch {batch.pk}: 2 transfers" in out.getvalue()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SETTLED
    with pytest.raises(CommandError):
        call_command("settle_batch", batch=batch.pk, user=finance.email)

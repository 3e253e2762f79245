"""Submission: the window (Asia/Tokyo, closing day in full), the receipt number and PDF, the
frozen version, the email, idempotency, and resubmission after a return."""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.applications.selectors import receipt_pdf
from dxgrant.applications.services.submission import mark_ready, submit_application
from dxgrant.applications.services.transitions import transition
from tests.factories import UserFactory
from tests.factories.applications import complete, drafting
from tests.factories.rounds import open_round

pytestmark = pytest.mark.django_db
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


@pytest.fixture
def ready(programme):  # type: ignore[no-untyped-def]
    s = drafting(programme)
    complete(s.application)
    mark_ready(application=s.application, actor=s.advisor)
    s.application.refresh_from_db()
    return s


def test_submit_gives_receipt_version_and_email(ready, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = submit_application(
            application=ready.application,
            actor=ready.applicant,
            submission_token=uuid.uuid4(),
            ip_address="10.0.0.2",
        )
    app = Application.objects.get(pk=ready.application.pk)
    year = dt.datetime.now(TOKYO).year
    assert app.status == workflow.SUBMITTED
    assert app.receipt_number == f"{app.round.application_rules['receipt_prefix']}-{year}-000001"
    assert version.number == 1
    assert version.snapshot["profile"]["company_name"] == app.company_name
    assert version.ip_address == "10.0.0.2"
    recipients = {m.to[0] for m in mail.outbox}
    assert ready.applicant.email in recipients
    assert ready.advisor.email in recipients
    assert all(app.receipt_number in m.subject for m in mail.outbox)


def test_same_token_submits_once(ready):
    token = uuid.uuid4()
    first = submit_application(application=ready.application, actor=ready.applicant, submission_token=token)
    again = submit_application(application=ready.application, actor=ready.applicant, submission_token=token)
    assert first.pk == again.pk
    assert ready.application.versions.count() == 1


def test_second_submission_with_a_new_token_is_refused(ready):
    submit_application(application=ready.application, actor=ready.applicant, submission_token=uuid.uuid4())
    with pytest.raises(ValidationError, match="すでに提出されています"):
        submit_application(
            application=ready.application, actor=ready.applicant, submission_token=uuid.uuid4()
        )
    assert ready.application.versions.count() == 1


def _move_window(app: Application, closes: dt.date) -> None:
    app.round.application_opens = closes - dt.timedelta(days=30)
    app.round.application_closes = closes
    app.round.save(update_fields=["application_opens", "application_closes"])


def test_closing_day_counts_until_midnight_tokyo(ready):
    closes = dt.date(2026, 4, 30)
    _move_window(ready.application, closes)
    with time_machine.travel(dt.datetime(2026, 4, 30, 23, 59, 59, tzinfo=TOKYO), tick=False):
        submit_application(
            application=ready.application, actor=ready.applicant, submission_token=uuid.uuid4()
        )
    assert Application.objects.get(pk=ready.application.pk).status == workflow.SUBMITTED


def test_after_closing_day_submission_is_refused(ready):
    _move_window(ready.application, dt.date(2026, 4, 30))
    with time_machine.travel(dt.datetime(2026, 5, 1, 0, 0, 0, tzinfo=TOKYO), tick=False):
        with pytest.raises(ValidationError) as exc:
            submit_application(
                application=ready.application, actor=ready.applicant, submission_token=uuid.uuid4()
            )
    assert "受付期間外" in exc.value.messages[0]
    app = Application.objects.get(pk=ready.application.pk)
    assert app.status == workflow.AWAITING_CONFIRMATION
    assert app.receipt_number is None


def test_resubmission_after_return_is_version_two_with_same_receipt(ready):
    submit_application(application=ready.application, actor=ready.applicant, submission_token=uuid.uuid4())
    app = Application.objects.get(pk=ready.application.pk)
    receipt = app.receipt_number
    secretariat = UserFactory(role="secretariat")
    transition(app, name="return", actor=secretariat)
    app.refresh_from_db()
    mark_ready(application=app, actor=ready.advisor)
    version = submit_application(application=app, actor=ready.applicant, submission_token=uuid.uuid4())
    app.refresh_from_db()
    assert version.number == 2
    assert app.receipt_number == receipt
    assert app.versions.count() == 2


def test_receipt_pdf_has_japanese_text(ready):
    version = submit_application(
        application=ready.application, actor=ready.applicant, submission_token=uuid.uuid4()
    )
    version.refresh_from_db()
    data = receipt_pdf(version)
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "申請受付票" in text
    assert version.application.receipt_number in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = [str(fonts[key].get_object()["/BaseFont"]) for key in fonts]
    assert any("IPAex" in name for name in names)


def test_receipt_email_is_sent_once_even_if_the_task_runs_again(ready, django_capture_on_commit_callbacks):
    from dxgrant.applications.tasks import send_submission_receipt

    with django_capture_on_commit_callbacks(execute=True):
        version = submit_application(
            application=ready.application, actor=ready.applicant, submission_token=uuid.uuid4()
        )
    sent = len(mail.outbox)
    assert sent >= 2
    send_submission_receipt.call(ready.application.pk, version.pk)
    assert len(mail.outbox) == sent


def test_ineligible_after_ready_cannot_be_submitted(ready):
    Application.objects.filter(pk=ready.application.pk).update(capital_yen=80_000_000)
    ready.application.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        submit_application(
            application=ready.application, actor=ready.applicant, submission_token=uuid.uuid4()
        )
    assert any("5,000万円未満" in m for m in exc.value.messages)
    app = Application.objects.get(pk=ready.application.pk)
    assert app.status == workflow.AWAITING_CONFIRMATION and app.receipt_number is None


def _returned_after_the_window(ready):  # type: ignore[no-untyped-def]
    """Submitted on the closing day, returned for correction the next day (window closed)."""
    from dxgrant.applications.services.screening import return_for_correction

    _move_window(ready.application, dt.date(2026, 4, 30))
    with time_machine.travel(dt.datetime(2026, 4, 30, 12, 0, tzinfo=TOKYO), tick=False):
        submit_application(
            application=ready.application, actor=ready.applicant, submission_token=uuid.uuid4()
        )
    app = Application.objects.get(pk=ready.application.pk)
    with time_machine.travel(dt.datetime(2026, 5, 1, 10, 0, tzinfo=TOKYO), tick=False):
        return_for_correction(
            application=app,
            actor=UserFactory(role="secretariat"),
            comments={"profile": "資本金を確認してください。"},
        )
    app.refresh_from_db()
    with time_machine.travel(dt.datetime(2026, 5, 1, 11, 0, tzinfo=TOKYO), tick=False):
        mark_ready(application=app, actor=ready.advisor)
    app.refresh_from_db()
    return app


def test_a_correction_can_be_resubmitted_after_the_window_until_its_due_date(ready):
    app = _returned_after_the_window(ready)
    due = app.returned_until
    assert due is not None and due > dt.date(2026, 4, 30)
    with time_machine.travel(dt.datetime.combine(due, dt.time(23, 59, 59), tzinfo=TOKYO), tick=False):
        version = submit_application(application=app, actor=ready.applicant, submission_token=uuid.uuid4())
    assert version.number == 2
    app.refresh_from_db()
    assert app.status == workflow.SUBMITTED and app.returned_until is None
    assert app.returns.get().resolved_at is not None


def test_a_correction_after_its_due_date_is_refused(ready):
    app = _returned_after_the_window(ready)
    late = dt.datetime.combine(app.returned_until + dt.timedelta(days=1), dt.time(0, 0), tzinfo=TOKYO)
    with time_machine.travel(late, tick=False):
        with pytest.raises(ValidationError) as exc:
            submit_application(application=app, actor=ready.applicant, submission_token=uuid.uuid4())
    assert "修正の期限" in exc.value.messages[0]
    app.refresh_from_db()
    assert app.status == workflow.AWAITING_CONFIRMATION
    assert app.returns.get().resolved_at is None


def test_the_task_list_shows_what_to_correct_and_by_when(ready):
    from django.test import Client

    app = _returned_after_the_window(ready)
    client = Client()
    client.force_login(ready.applicant)
    page = client.get(f"/applications/{app.pk}/").content.decode()
    assert "事務局から修正の依頼があります" in page
    assert "資本金を確認してください。" in page and "会社概要" in page
    assert f"{app.returned_until.year}年{app.returned_until.month}月{app.returned_until.day}日" in page


def test_two_rounds_with_one_receipt_prefix_number_their_receipts_apart(programme):
    """The receipt number names the prefix and the year, not the round: two rounds sharing a
    prefix (the file's rounds all use "DX") must not both issue DX-<year>-000001 (the second
    submission failed on the unique receipt number before the counter was kept per prefix)."""
    numbers = []
    for code in ("dx-first", "dx-second"):
        s = drafting(programme, firm_name=f"{code}支援合同会社", round_obj=open_round(programme, code))
        complete(s.application)
        mark_ready(application=s.application, actor=s.advisor)
        submit_application(application=s.application, actor=s.applicant, submission_token=uuid.uuid4())
        numbers.append(Application.objects.get(pk=s.application.pk).receipt_number)
    year = dt.datetime.now(TOKYO).year
    assert numbers == [f"DX-{year}-000001", f"DX-{year}-000002"]

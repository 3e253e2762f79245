"""The reminders sent (/staff/reminders/) and the advisor firms' registrations under review
(/advisors/review/): the page's filters, a link on the page, constant queries, and a 403 for a
role the page refuses."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.advisors.models import AdvisorFirm, RegistrationStatus
from dxgrant.exports import registry
from dxgrant.integrity.models import AuditEntry
from dxgrant.programs.models import Programme
from dxgrant.reporting.models import Reminder, ReminderAudience, ReminderSource
from tests.factories import UserFactory
from tests.factories.advisors import certified_firm, submitted_firm
from tests.factories.applications import make_application

pytestmark = pytest.mark.django_db


def _rows(response):
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body, newline="")))


def _reminders(count: int, audience: str = ReminderAudience.APPLICANT) -> list[Reminder]:
    programme = Programme.objects.get()
    made = []
    for i in range(count):
        application = make_application(programme, company_name=f"督促テスト{i}株式会社")
        made.append(
            Reminder.objects.create(
                source=ReminderSource.ACCEPTANCE, object_id=application.pk, due_on=dt.date(2026, 5, 1),
                step="after_1", audience=audience, sent_at=timezone.now(), recipients=["a@example.jp", "b@example.jp"],
            )
        )  # fmt: skip
    return made


def test_reminders_sent_with_the_pages_filters(client_for, programme):
    sent = _reminders(1)[0]
    _reminders(1, ReminderAudience.ADVISOR)
    Reminder.objects.create(source=ReminderSource.ACCEPTANCE, object_id=sent.object_id, due_on=dt.date(2026, 5, 1),
                            step="before_7", audience=ReminderAudience.APPLICANT)  # fmt: skip  # not sent
    client = client_for(Role.AUDITOR)
    page = client.get("/staff/reminders/", {"audience": "applicant"}).content.decode()
    assert "/staff/exports/reminders/csv/?audience=applicant" in page
    rows = _rows(client.get("/staff/exports/reminders/csv/", {"audience": "applicant"}))
    assert rows[0] == ["送信日時", "種類", "受付番号", "会社名・屋号", "期限", "段階", "宛先", "送信先"]
    assert len(rows) == 2
    assert rows[1][1:] == ["交付条件の受諾", rows[1][2], "督促テスト0株式会社", "2026-05-01", "after_1", "申請者",
                           "a@example.jp, b@example.jp"]  # fmt: skip
    assert len(_rows(client.get("/staff/exports/reminders/csv/"))) == 3
    assert len(_rows(client.get("/staff/exports/reminders/csv/", {"kind": "nonsense"}))) == 3  # as the page


def test_registrations_as_the_queue_shows_them(client_for, programme):
    programme_obj = Programme.objects.get()
    waiting = submitted_firm(programme_obj)
    certified_firm(programme_obj)
    client = client_for(Role.SECRETARIAT)
    assert "/staff/exports/registrations/xlsx/" in client.get("/advisors/review/").content.decode()
    rows = _rows(client.get("/staff/exports/registrations/csv/"))
    assert rows[0] == [
        "受付番号",
        "認定番号",
        "事業者名",
        "状態",
        "所在地",
        "提出日時",
        "登録者",
        "確認が必要な点",
    ]
    assert [r[0] for r in rows[1:]] == [f"R-{waiting.pk:06d}"]  # submitted only, by default
    assert rows[1][2] == waiting.name and rows[1][6] == waiting.created_by.email
    certified = _rows(
        client.get("/staff/exports/registrations/csv/", {"status": RegistrationStatus.CERTIFIED})
    )
    assert (
        len(certified) - 1
        == AdvisorFirm.objects.filter(registration_status=RegistrationStatus.CERTIFIED).count()
    )
    assert {r[3] for r in certified[1:]} == {str(RegistrationStatus.CERTIFIED.label)}
    assert _rows(client.get("/staff/exports/registrations/csv/", {"q": "存在しない事業者"}))[1:] == []


@pytest.mark.parametrize(
    ("code", "page"), [("reminders", "/staff/reminders/"), ("registrations", "/advisors/review/")]
)
@pytest.mark.parametrize("role", [Role.FINANCE, Role.ADVISOR])
def test_refused_as_the_page_is_and_nothing_recorded(client_for, programme, code, page, role):
    client = client_for(role)
    assert client.get(page).status_code == 403
    assert client.get(f"/staff/exports/{code}/csv/").status_code == 403
    assert client.post(f"/staff/exports/{code}/xlsx/").status_code == 403
    assert not AuditEntry.objects.filter(action__startswith="exports.").exists()


def _more_firms():
    for _i in range(3):
        submitted_firm(Programme.objects.get())


@pytest.mark.parametrize(
    ("code", "make"), [("reminders", lambda: _reminders(3)), ("registrations", _more_firms)]
)
def test_rows_read_in_constant_queries(programme, code, make):
    export = registry.get(code)
    assert export is not None
    make()
    staff = UserFactory(role=Role.SECRETARIAT)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            rows = list(export.rows(export.queryset(staff, {})))
        return len(rows), len(ctx.captured_queries)

    few, first = count()
    make()
    many, second = count()
    assert many > few and second == first, (few, first, many, second)

"""The secretariat's acts: beginning screening and returning an application for correction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import Application, ReturnRequest
from dxgrant.applications.services import screening
from dxgrant.applications.tasks import send_return_notice
from dxgrant.integrity.models import AuditEntry
from dxgrant.programs.models import Programme
from dxgrant.support.models import EngagementMember, EngagementRole
from tests.factories import UserFactory
from tests.factories.applications import fill_application, make_application, make_version

pytestmark = pytest.mark.django_db

LIST = "/staff/applications/"


def submitted(programme: Programme, **kwargs: object) -> Application:
    app = fill_application(make_application(programme, **kwargs))  # type: ignore[arg-type]
    make_version(app)
    return app


def audit_actions(app: Application) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="applications.application", object_id=str(app.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_secretariat_begins_screening(programme: Programme, client_for: Callable[[str], Client]) -> None:
    app = submitted(programme)
    client = client_for(Role.SECRETARIAT)
    response = client.post(f"{LIST}{app.pk}/begin-screening/")
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == workflow.SCREENING
    assert audit_actions(app)[-1] == "application.begin_screening"
    assert "形式審査を開始しました。" in client.get(response["Location"]).content.decode()
    # A second click is refused with a message and changes nothing.
    response = client.post(f"{LIST}{app.pk}/begin-screening/", follow=True)
    assert "現在の状態ではこの操作はできません。" in response.content.decode()
    assert audit_actions(app).count("application.begin_screening") == 1


def test_auditor_cannot_act(programme: Programme, client_for: Callable[[str], Client]) -> None:
    app = submitted(programme)
    client = client_for(Role.AUDITOR)
    response = client.post(f"{LIST}{app.pk}/begin-screening/")
    assert response.status_code == 403
    assert "監査担当者は閲覧のみ" in response.content.decode()
    assert client.get(f"{LIST}{app.pk}/return/").status_code == 403
    assert client.post(f"{LIST}{app.pk}/return/", {"comment_profile": "x"}).status_code == 403
    app.refresh_from_db()
    assert app.status == workflow.SUBMITTED
    assert not ReturnRequest.objects.exists()


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.ADVISOR, Role.REVIEWER, Role.FINANCE])
def test_other_roles_cannot_act(role: str, programme: Programme, client_for: Callable[[str], Client]) -> None:
    app = submitted(programme)
    client = client_for(role)
    assert client.post(f"{LIST}{app.pk}/begin-screening/").status_code == 403
    assert client.post(f"{LIST}{app.pk}/return/", {"comment_profile": "x"}).status_code == 403
    app.refresh_from_db()
    assert app.status == workflow.SUBMITTED


def test_service_refuses_anyone_but_the_secretariat(programme: Programme) -> None:
    app = submitted(programme)
    with pytest.raises(PermissionDenied):
        screening.begin_screening(app, actor=UserFactory(role=Role.AUDITOR))
    with pytest.raises(PermissionDenied):
        screening.return_for_correction(app, actor=app.engagement.lead_advisor, comments={"profile": "x"})
    app.refresh_from_db()
    assert app.status == workflow.SUBMITTED


@time_machine.travel(dt.datetime(2026, 1, 15, 10, 0, tzinfo=dt.UTC), tick=False)
def test_return_with_comments_per_section_emails_applicant_and_advisor(
    programme: Programme, client_for: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    app = submitted(programme, status=workflow.SCREENING, company_name="差戻し株式会社")
    colleague = UserFactory(role=Role.APPLICANT, email="staff-member@example.jp")
    EngagementMember.objects.create(engagement=app.engagement, user=colleague, role=EngagementRole.STAFF)
    client = client_for(Role.SECRETARIAT)
    form = client.get(f"{LIST}{app.pk}/return/")
    html = form.content.decode()
    assert "事業計画：現状と経営課題" in html
    assert "2026年1月29日" in html  # today + return_period_days (14)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            f"{LIST}{app.pk}/return/",
            {
                "comment_profile": "",
                "comment_current_state": "数値で課題を示してください。",
                "comment_budget": "見積書を追加",
            },
        )
    assert response.status_code == 302
    assert len(callbacks) == 1  # the email is enqueued only once the return is committed
    app.refresh_from_db()
    assert app.status == workflow.RETURNED
    assert app.returned_until == dt.date(2026, 1, 29)
    request = ReturnRequest.objects.get(application=app)
    assert request.comments == {"current_state": "数値で課題を示してください。", "budget": "見積書を追加"}
    assert request.due_on == dt.date(2026, 1, 29)
    assert request.version == app.versions.get(number=1)
    assert audit_actions(app)[-2:] == ["application.return", "application.return_requested"]

    recipients = sorted(m.to[0] for m in mail.outbox)
    representative = app.engagement.members.get(role=EngagementRole.REPRESENTATIVE).user
    assert recipients == sorted([representative.email, colleague.email, app.engagement.lead_advisor.email])
    body = mail.outbox[0].body
    assert "数値で課題を示してください。" in body
    assert "事業計画：現状と経営課題" in body
    assert "2026年1月29日" in body
    assert app.receipt_number in mail.outbox[0].subject

    # The task is idempotent: running it again sends nothing more.
    send_return_notice.call(request.pk)
    assert len(mail.outbox) == 3

    detail = client.get(f"{LIST}{app.pk}/").content.decode()
    assert "差戻しの履歴" in detail
    assert "数値で課題を示してください。" in detail


def test_return_needs_at_least_one_comment(programme: Programme, client_for: Callable[[str], Client]) -> None:
    app = submitted(programme)
    response = client_for(Role.SECRETARIAT).post(f"{LIST}{app.pk}/return/", {"comment_profile": "  "})
    assert response.status_code == 400
    assert "少なくとも一つコメント" in response.content.decode()
    app.refresh_from_db()
    assert app.status == workflow.SUBMITTED


def test_return_refuses_unknown_sections_and_unsubmitted_applications(programme: Programme) -> None:
    app = submitted(programme)
    secretariat = UserFactory(role=Role.SECRETARIAT)
    with pytest.raises(ValidationError, match="不明な項目へのコメントは受け付けられません"):
        screening.return_for_correction(app, actor=secretariat, comments={"nonsense": "x"})
    drafting = make_application(programme, status=workflow.DRAFTING)
    with pytest.raises(PermissionDenied):
        screening.return_for_correction(drafting, actor=secretariat, comments={"profile": "x"})
    app.refresh_from_db()
    assert app.status == workflow.SUBMITTED
    assert not ReturnRequest.objects.exists()


def test_return_page_on_wrong_state_explains(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    app = make_application(programme, status=workflow.IN_REVIEW)
    response = client_for(Role.SECRETARIAT).get(f"{LIST}{app.pk}/return/", follow=True)
    assert "現在の状態ではこの操作はできません。" in response.content.decode()

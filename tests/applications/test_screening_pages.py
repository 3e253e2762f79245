"""The screening pages: the queue (oldest submission first, progress, keyset pages), the
checklist as the secretariat and the auditor see it, and refusals shown on the page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import Application, ScreeningCheck
from dxgrant.applications.views import screening as views
from dxgrant.programs.models import Programme
from tests.factories import UserFactory
from tests.factories.applications import fill_application, make_application, make_version
from tests.factories.rounds import open_round

pytestmark = pytest.mark.django_db

QUEUE = "/staff/applications/screening/"


def submitted(programme: Programme, name: str, minutes_ago: int) -> Application:
    application = fill_application(make_application(programme, company_name=name))
    version = make_version(application)
    at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    Application.objects.filter(pk=application.pk).update(submitted_at=at)
    type(version).objects.filter(pk=version.pk).update(submitted_at=at)
    application.refresh_from_db()
    return application


def test_the_queue_oldest_first_with_progress_and_pages(
    programme: Programme, client_for: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    newest = submitted(programme, "新しい株式会社", 1)
    oldest = submitted(programme, "古い株式会社", 30)
    middle = submitted(programme, "中間株式会社", 10)
    Application.objects.filter(pk=middle.pk).update(status=workflow.SCREENING)
    ScreeningCheck.objects.create(
        application=middle,
        version=middle.versions.get(),
        code="eligibility",
        kind="eligibility",
        met=True,
        confirmed_by=UserFactory(role=Role.SECRETARIAT),
        confirmed_at=timezone.now(),
    )
    make_application(programme, company_name="作成中株式会社", status=workflow.DRAFTING)
    make_application(programme, company_name="審査中株式会社", status=workflow.IN_REVIEW)
    client = client_for(Role.SECRETARIAT)
    page = client.get(QUEUE).content.decode()
    names = re.findall(r"<td>([^<]*株式会社)</td>", page)
    assert names == ["古い株式会社", "中間株式会社", "新しい株式会社"]
    total = len(list(programme.rounds.get(pk=middle.round_id).rules.review.screening))
    assert f"1 / {total}" in page and f"0 / {total}" in page
    # Keyset pages of two.
    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 2)
    first = client.get(QUEUE).content.decode()
    assert re.findall(r"<td>([^<]*株式会社)</td>", first) == ["古い株式会社", "中間株式会社"]
    link = re.search(r'href="(\?round=[^"]+)"', first)
    assert link is not None
    second = client.get(QUEUE + link.group(1).replace("&amp;", "&")).content.decode()
    assert re.findall(r"<td>([^<]*株式会社)</td>", second) == ["新しい株式会社"]
    assert oldest.pk and newest.pk


def test_pass_refused_on_the_page_with_the_unconfirmed_items(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    application = submitted(programme, "未確認株式会社", 5)
    Application.objects.filter(pk=application.pk).update(status=workflow.SCREENING)
    client = client_for(Role.SECRETARIAT)
    response = client.post(f"/staff/applications/{application.pk}/screening/pass/")
    assert response.status_code == 400
    body = response.content.decode()
    assert "交付審査へ進められません" in body and "申請要件を提出時の内容で再確認した" in body
    application.refresh_from_db()
    assert application.status == workflow.SCREENING


def test_reject_without_reasons_is_refused_on_the_page(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    application = submitted(programme, "理由なし株式会社", 5)
    client = client_for(Role.SECRETARIAT)
    response = client.post(f"/staff/applications/{application.pk}/screening/reject/", {"reasons": " "})
    assert response.status_code == 400
    assert "不採択の理由を、申請者が読んで分かるように書いてください。" in response.content.decode()
    application.refresh_from_db()
    assert application.status == workflow.SUBMITTED


def test_a_disagreement_without_a_note_is_refused_beside_the_note(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    application = submitted(programme, "書類未開封株式会社", 5)
    client = client_for(Role.SECRETARIAT)
    response = client.post(
        f"/staff/applications/{application.pk}/screening/items/documents/", {"documents-answer": "met"}
    )
    assert response.status_code == 400
    assert "理由をメモに書いてください" in response.content.decode()
    assert not ScreeningCheck.objects.exists()


def test_the_auditor_reads_the_checklist_without_forms(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    application = submitted(programme, "監査閲覧株式会社", 5)
    url = f"/staff/applications/{application.pk}/screening/"
    auditor = client_for(Role.AUDITOR).get(url).content.decode()
    assert "システムの確認結果" in auditor
    assert "確認結果を保存" not in auditor and "不採択とする" not in auditor
    secretariat = client_for(Role.SECRETARIAT).get(url).content.decode()
    assert "確認結果を保存" in secretariat and "要件を満たさないため不採択とする" in secretariat


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.FINANCE, Role.ADVISOR, Role.APPLICANT])
def test_other_roles_cannot_reach_the_checklist(
    role: str, programme: Programme, client_for: Callable[[str], Client]
) -> None:
    application = submitted(programme, "他ロール株式会社", 5)
    client = client_for(role)
    assert client.get(f"/staff/applications/{application.pk}/screening/").status_code == 403
    assert client.get(QUEUE).status_code == 403
    response = client.post(
        f"/staff/applications/{application.pk}/screening/items/eligibility/", {"eligibility-answer": "met"}
    )
    assert response.status_code == 403
    assert not ScreeningCheck.objects.exists()


def test_the_queue_opens_on_the_round_where_applications_wait(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    """A round made after the one with submissions (a past round, or the next one) must not hide
    the waiting applications behind an empty default (it opened on the newest round)."""
    waiting = submitted(programme, "待っている株式会社", 5)
    open_round(programme, "dx-made-later", closed=True)
    page = client_for(Role.SECRETARIAT).get(QUEUE).content.decode()
    assert "待っている株式会社" in page
    assert waiting.round.code != "dx-made-later"

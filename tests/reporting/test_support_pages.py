"""The support report pages as the advisor, the applicant and the secretariat use them: the
form (draft, file, refusals shown and nothing kept), the applicant's answer (an advisor's forged
POST refused), and the secretariat's list (who is missing what, by round, flat in queries)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dxgrant.accounts.models import Role
from dxgrant.integrity.models import AuditEntry
from dxgrant.reporting.services import support_reports as service
from dxgrant.reporting.support_models import SupportReport, SupportReportStatus
from tests.factories import UserFactory
from tests.factories.accounts import signed_in
from tests.factories.rounds import open_round

from .support_builders import TOKYO, implementing

pytestmark = pytest.mark.django_db
S = SupportReportStatus
OCT, NOV = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
FORM = {
    "activities": "要件整理の打合せに同席",
    "status_0": "in_progress",
    "comment_0": "ベンダー選定中",
    "status_1": "not_started",
    "comment_1": "",
    "problems": "",
    "next_steps": "発注",
    # The revision the form was opened at (no draft yet: 0); a post without one is stale.
    "revision": "0",
}
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=TOKYO), tick=False):
        yield


@pytest.fixture
def award(programme):
    return implementing(programme)


def client(user):
    return signed_in(user)


def base(award):
    return f"/applications/{award.application.pk}/support-reports/"


def file(award, month=OCT):
    return service.file_report(
        actor=award.advisor,
        application=award.application,
        month=month,
        content=service.ReportContent(
            activities="支援",
            progress=[service.Progress("done"), service.Progress("in_progress")],
            next_steps="次",
        ),
        token=uuid.uuid4(),
    )


def test_the_advisor_saves_a_draft_then_files_and_the_applicant_reads_it(award):
    advisor = client(award.advisor)
    months = advisor.get(base(award))
    assert months.status_code == 200
    text = months.content.decode()
    assert 'id="month-2026-10"' in text and 'id="month-2026-11"' in text and 'id="month-2026-12"' not in text
    assert "未提出（期限超過）" in text  # October was due on 10 November
    url = base(award) + "2026/10/"
    page = advisor.get(url)
    assert "クラウド受発注システムの導入" in page.content.decode()
    response = advisor.post(url, FORM | {"token": str(uuid.uuid4()), "draft": "1"})
    assert response.status_code == 302
    assert SupportReport.objects.get().status == S.DRAFT
    assert "要件整理の打合せに同席" in advisor.get(url).content.decode()  # the draft is shown again
    token = str(uuid.uuid4())
    response = advisor.post(url, FORM | {"token": token, "file": "1"})
    again = advisor.post(url, FORM | {"token": token, "file": "1"})  # a double click
    report = SupportReport.objects.get()
    assert report.status == S.FILED
    assert response["Location"] == again["Location"] == base(award) + f"{report.pk}/"
    detail = client(award.applicant).get(base(award) + f"{report.pk}/").content.decode()
    assert "ベンダー選定中" in detail and "実施中" in detail and "内容を確認しました" in detail


def test_a_report_without_activities_is_refused_beside_the_field_and_nothing_is_kept(award):
    response = client(award.advisor).post(
        base(award) + "2026/10/", FORM | {"activities": "", "token": str(uuid.uuid4()), "file": "1"}
    )
    assert response.status_code == 400
    assert "支援内容を入力してください。" in response.content.decode()
    assert not SupportReport.objects.exists()


def test_an_advisors_forged_acknowledge_or_dispute_is_refused_and_changes_nothing(award):
    report = file(award)
    advisor = client(award.advisor)
    assert advisor.post(base(award) + f"{report.pk}/acknowledge/").status_code == 403
    assert advisor.post(base(award) + f"{report.pk}/dispute/", {"comment": "異議"}).status_code == 403
    report.refresh_from_db()
    assert report.status == S.FILED and report.responded_at is None
    assert not AuditEntry.objects.filter(
        action__in=["reporting.support_report_acknowledged", "reporting.support_report_disputed"]
    ).exists()
    # The applicant may not write the advisor's report.
    assert client(award.applicant).get(base(award) + "2026/11/").status_code == 403


def test_a_dispute_without_a_comment_is_shown_then_the_advisor_sees_the_dispute(award):
    report = file(award)
    applicant = client(award.applicant)
    refused = applicant.post(base(award) + f"{report.pk}/dispute/", {"comment": ""})
    assert refused.status_code == 400 and "異議の内容を入力してください。" in refused.content.decode()
    assert (
        applicant.post(base(award) + f"{report.pk}/dispute/", {"comment": "打合せは1回です"}).status_code
        == 302
    )
    advisor = client(award.advisor)
    shown = advisor.get(base(award) + "2026/10/").content.decode()
    assert "打合せは1回です" in shown
    assert "訂正した報告を作成する" in advisor.get(base(award)).content.decode()


def test_an_autosave_keeps_the_half_typed_draft_without_the_filing_checks(award):
    advisor = client(award.advisor)
    url = base(award) + "2026/10/"
    # Half typed: no next steps, no milestone status (filing would refuse both).
    typed = FORM | {"status_0": "", "status_1": "", "next_steps": "", "token": str(uuid.uuid4())}
    response = advisor.post(url, typed | {"autosave": "1", "file": "1"}, **HX)
    assert response.status_code == 200
    text = response.content.decode()
    assert "下書きを保存しました 09:00" in text
    assert 'name="revision" id="id_revision" value="1" hx-swap-oob="true"' in text
    draft = SupportReport.objects.get()
    assert draft.status == S.DRAFT and draft.revision == 1  # never filed by an autosave
    assert draft.next_steps == "" and [row["status"] for row in draft.progress] == ["", ""]
    assert not AuditEntry.objects.filter(action="reporting.support_report_filed").exists()
    page = advisor.get(url).content.decode()
    assert "要件整理の打合せに同席" in page and 'name="revision" id="id_revision" value="1"' in page
    assert "data-autosave" in page and 'hx-vals=\'{"autosave": "1"}\'' in page
    # The same content again (a "save" right after the autosave): no new revision, no conflict.
    again = advisor.post(url, typed | {"autosave": "1"}, **HX)
    assert "下書きを保存しました" in again.content.decode()
    assert SupportReport.objects.get().revision == 1


def test_an_autosave_from_a_stale_revision_changes_nothing(award):
    advisor = client(award.advisor)
    url = base(award) + "2026/10/"
    first = FORM | {"token": str(uuid.uuid4())}
    assert advisor.post(url, first | {"autosave": "1"}, **HX).status_code == 200
    # Another tab opened before that save still holds revision 0.
    stale = first | {"activities": "別の画面で書いた支援内容", "autosave": "1"}
    response = advisor.post(url, stale, **HX)
    assert response.status_code == 200
    assert "別の画面で先にこの下書きが保存されたため、自動保存していません。" in response.content.decode()
    assert "hx-swap-oob" not in response.content.decode()
    draft = SupportReport.objects.get()
    assert draft.activities == "要件整理の打合せに同席" and draft.revision == 1
    # The button (no JavaScript) answers 409, shows what the other tab saved, keeps the typing.
    pressed = advisor.post(url, first | {"activities": "別の画面で書いた支援内容", "draft": "1"})
    assert pressed.status_code == 409
    text = pressed.content.decode()
    assert 'id="conflict-shown"' in text and "要件整理の打合せに同席" in text
    assert "別の画面で書いた支援内容" in text and 'name="revision" id="id_revision" value="1"' in text
    assert SupportReport.objects.get().activities == "要件整理の打合せに同席"
    # Saved again from the revision it was shown, it replaces the draft.
    replaced = advisor.post(
        url, first | {"activities": "別の画面で書いた支援内容", "revision": "1", "draft": "1"}
    )
    assert replaced.status_code == 302
    assert SupportReport.objects.get().activities == "別の画面で書いた支援内容"


def test_an_invalid_autosave_is_answered_with_a_message_and_not_saved(award):
    advisor = client(award.advisor)
    url = base(award) + "2026/10/"
    response = advisor.post(
        url, FORM | {"status_0": "finished?", "token": str(uuid.uuid4()), "autosave": "1"}, **HX
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "自動保存していません。" in text and "進捗：クラウド受発注システムの導入:" in text
    assert not SupportReport.objects.exists()


def test_an_autosave_of_a_filed_month_is_refused_and_changes_nothing(award):
    report = file(award)
    response = client(award.advisor).post(
        base(award) + "2026/10/", FORM | {"token": str(uuid.uuid4()), "autosave": "1"}, **HX
    )
    assert "2026-10 の報告は提出済みです。" in response.content.decode()
    assert list(SupportReport.objects.values_list("pk", "status")) == [(report.pk, S.FILED)]


def test_only_the_advisor_autosaves_the_report(award):
    posted = FORM | {"token": str(uuid.uuid4()), "autosave": "1"}
    assert client(award.applicant).post(base(award) + "2026/10/", posted, **HX).status_code == 403
    outsider = implementing(award.application.round.programme, company_name="他社株式会社")
    assert client(outsider.advisor).post(base(award) + "2026/10/", posted, **HX).status_code == 404
    assert not SupportReport.objects.exists()


def test_an_autosave_reads_a_flat_number_of_queries(award):
    advisor = client(award.advisor)
    url = base(award) + "2026/10/"
    posted = FORM | {"token": str(uuid.uuid4()), "autosave": "1"}
    with CaptureQueriesContext(connection) as first:
        advisor.post(url, posted, **HX)
    with CaptureQueriesContext(connection) as second:
        advisor.post(url, posted | {"activities": "追記", "revision": "1"}, **HX)
    # session; user; the page's (membership; application; plan in force (2); draft; disputed);
    # the service's (application locked; standing report; plan in force (2); draft; insert or
    # update); two savepoints opened and released. A draft save writes no audit entry.
    assert len(first) == len(second) == 18
    assert SupportReport.objects.get().activities == "追記"


def staff_list(query=""):
    return signed_in(UserFactory(role=Role.SECRETARIAT)).get("/staff/support-reports/" + query)


def test_the_secretariat_sees_overdue_months_and_disputes_not_what_is_done(programme):
    late = implementing(programme, company_name="遅延株式会社")
    done = implementing(programme, company_name="提出済株式会社")
    file(done)  # October filed; November not yet due
    disputed = implementing(programme, company_name="異議株式会社")
    service.dispute_report(actor=disputed.applicant, report=file(disputed), comment="違います")
    fresh = implementing(programme, company_name="新規株式会社", accepted_on=dt.date(2026, 11, 2))
    text = staff_list().content.decode()
    assert f'id="award-{late.application.pk}"' in text and "2026-10" in text
    assert f'id="award-{disputed.application.pk}"' in text
    assert f'id="award-{done.application.pk}"' not in text
    assert f'id="award-{fresh.application.pk}"' not in text  # November is due on 10 December
    # Filtered by another round: none of these.
    other = open_round(programme, code="OTHER-ROUND")
    assert f'id="award-{late.application.pk}"' not in staff_list(f"?round={other.pk}").content.decode()


def count(query=""):
    browser = signed_in(UserFactory(role=Role.SECRETARIAT))
    with CaptureQueriesContext(connection) as ctx:
        assert browser.get("/staff/support-reports/" + query).status_code == 200
    return len(ctx)


def test_the_list_stays_flat_as_awards_grow(programme):
    implementing(programme, company_name="一社目株式会社")
    one = count()
    second = open_round(programme, code="SECOND-ROUND")
    for n in range(12):
        award = implementing(programme, company_name=f"会社{n}株式会社", round_obj=second if n % 2 else None)
        if n % 3 == 0:
            file(award)
    assert count() == one


def test_activities_are_marked_required_for_filing_and_a_draft_may_leave_them_empty(award):
    advisor = client(award.advisor)
    url = base(award) + "2026/10/"
    page = advisor.get(url).content.decode()
    label = page[page.index('for="id_activities"') : page.index('id="id_activities"')]
    assert "提出時に必須です" in label and "任意" not in label
    # Other optional fields keep their （任意） marker.
    problems = page[page.index('for="id_problems"') : page.index('id="id_problems"')]
    assert "任意" in problems
    response = advisor.post(url, FORM | {"activities": "", "token": str(uuid.uuid4()), "draft": "1"})
    assert response.status_code == 302
    assert SupportReport.objects.get().status == S.DRAFT

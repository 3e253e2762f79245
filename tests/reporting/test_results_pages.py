"""The results report's pages: filling it in as the applicant and the advisor, the advisor's
"ready", the applicant's confirmation with a code (the advisor refused, a bad code and a double
click changing nothing more), private evidence, and the secretariat's list and review."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.awards.models import FinalAmount
from dxgrant.integrity.models import AuditEntry
from dxgrant.reporting.results_forms import LinesForm, OutcomeForm
from dxgrant.reporting.results_models import APPROVED, CONFIRMED, DRAFT, READY, ResultsLine, ResultsReport
from tests.factories.accounts import enrol_totp, signed_in, totp_now
from tests.factories.applications import make_application

from .results_builders import accepted_award, complete_report, evidence_dates, pdf

pytestmark = pytest.mark.django_db
# The audit entry: its chain head read and the insert; PostgreSQL also locks the head.
AUDIT = 3 if connection.vendor == "postgresql" else 2


@pytest.fixture
def award(programme, make_user):
    return accepted_award(programme, make_user(Role.SECRETARIAT))


def _url(award, rest: str = "") -> str:
    return f"/applications/{award.application.pk}/results/{rest}"


def test_the_advisor_and_the_applicant_fill_it_in(award):
    advisor = signed_in(award.advisor)
    assert advisor.post(_url(award)).status_code == 302
    report = ResultsReport.objects.get()
    page = advisor.get(_url(award))
    assert page.status_code == 200
    assert "補助対象となるのは各経費の計画額（税抜）まで" in page.text
    assert "finding--blocking" in page.text and "実績額が入力されていません" in page.text
    bad = advisor.post(
        _url(award),
        {
            "section": "lines",
            "revision": report.revision,
            "line-0-actual_yen": "８００，０００",
            "line-0-vendor_name": "株式会社ソフト販売",
            "line-0-vendor_corporate_number": "12345",
            "line-1-actual_yen": "",
        },
    )
    assert (
        bad.status_code == 400
        and "13桁の数字" in bad.text
        and "クラウド会計ソフト: 支払先の法人番号" in bad.text
    )
    assert report.lines.get(index=0).actual_yen is None
    good = advisor.post(
        _url(award),
        {
            "section": "lines",
            "revision": report.revision,
            "line-0-actual_yen": "８００，０００",
            "line-0-vendor_name": "株式会社ソフト販売",
            "line-0-vendor_corporate_number": "１２３４５６７８９０１２３",
            "line-1-actual_yen": "600000",
        },
    )
    assert good.status_code == 302
    line = report.lines.get(index=0)
    assert (line.actual_yen, line.vendor_corporate_number) == (800_000, "1234567890123")
    applicant = signed_in(award.applicant)
    stale = applicant.post(
        _url(award), {"section": "lines", "revision": 0, "line-0-actual_yen": "1", "line-1-actual_yen": "1"}
    )
    assert stale.status_code == 409 and report.lines.get(index=0).actual_yen == 800_000
    no_date = applicant.post(
        _url(award), {"section": "evidence", "line": 0, "kind": "quotation", "file": pdf()}
    )
    assert no_date.status_code == 400 and "書類の日付を入力してください" in no_date.text
    assert not report.lines.get(index=0).evidence.exists()
    day = evidence_dates(award.application)["quotation"]
    added = applicant.post(
        _url(award),
        {"section": "evidence", "line": 0, "kind": "quotation", "dated_on": day.isoformat(), "file": pdf()},
    )
    assert added.status_code == 302 and report.lines.get(index=0).evidence.count() == 1
    report.refresh_from_db()
    outcome = applicant.post(
        _url(award),
        {
            "section": "outcome",
            "revision": report.revision,
            "kpi-sales": "118",
            "narrative": "月次決算が5日早まった。",
        },
    )
    assert outcome.status_code == 302
    report.refresh_from_db()
    assert report.kpis == {"sales": "118"} and report.narrative == "月次決算が5日早まった。"
    page = applicant.get(_url(award))
    # Line 1 is over its plan (600,000 > 500,000): flagged, not blocking.
    assert "計画額（500,000円）を超えています" in page.text and "finding--flag" in page.text


HX = {"HTTP_HX_REQUEST": "true"}


def _opened(award):
    assert signed_in(award.advisor).post(_url(award)).status_code == 302
    return ResultsReport.objects.get()


def test_the_lines_and_the_narrative_autosave_and_read_back(award):
    report = _opened(award)
    applicant = signed_in(award.applicant)
    page = applicant.get(_url(award)).text
    assert 'id="lines-form"' in page and page.count("data-autosave") == 2
    assert 'hx-target="#outcome-autosave-status"' in page and 'hx-target="#evidence' not in page
    # Half typed: one amount, the other line empty (confirming would refuse it).
    lines = {"section": "lines", "revision": "0", "line-0-actual_yen": "８００，０００", "autosave": "1"}
    saved = applicant.post(_url(award), lines, **HX)
    assert saved.status_code == 200 and "保存しました" in saved.text
    assert (
        'name="revision" value="1" hx-swap-oob="outerHTML:form[data-autosave] input[name=revision]"'
        in saved.text
    )
    assert report.lines.get(index=0).actual_yen == 800_000 and report.lines.get(index=1).actual_yen is None
    outcome = {"section": "outcome", "revision": "1", "narrative": "月次決算が早まっ", "autosave": "1"}
    assert "保存しました" in applicant.post(_url(award), outcome, **HX).text
    report.refresh_from_db()
    assert (report.narrative, report.revision, report.status) == ("月次決算が早まっ", 2, DRAFT)
    reread = signed_in(award.advisor).get(_url(award)).text
    assert "月次決算が早まっ" in reread and 'value="800000"' in reread
    # The same again (the button right after the autosave, from the revision before it): nothing
    # changes, no conflict, no new revision.
    again = applicant.post(_url(award), outcome | {"revision": "1", "autosave": ""})
    assert again.status_code == 302
    report.refresh_from_db()
    assert report.revision == 2
    assert AuditEntry.objects.filter(action="reporting.results_outcome_saved").count() == 1


def test_a_stale_autosave_changes_nothing_and_the_button_answers_409(award):
    report = _opened(award)
    applicant = signed_in(award.applicant)
    first = {"section": "outcome", "revision": "0", "narrative": "申請者の文", "autosave": "1"}
    applicant.post(_url(award), first, **HX)
    advisor = signed_in(award.advisor)
    stale = {"section": "outcome", "revision": "0", "narrative": "アドバイザーの文", "autosave": "1"}
    refused = advisor.post(_url(award), stale, **HX)
    assert refused.status_code == 200 and "別の画面で先に実績報告が保存されたため" in refused.text
    assert "hx-swap-oob" not in refused.text
    report.refresh_from_db()
    assert (report.narrative, report.revision) == ("申請者の文", 1)
    pressed = advisor.post(_url(award), stale | {"autosave": ""})
    assert pressed.status_code == 409 and "アドバイザーの文" in pressed.text
    # The form now carries the stored revision: a deliberate second save replaces the text.
    assert re.search(r'id="outcome-form".*?name="revision" value="1"', pressed.text, re.S)
    assert advisor.post(_url(award), stale | {"revision": "1", "autosave": ""}).status_code == 302
    report.refresh_from_db()
    assert report.narrative == "アドバイザーの文"


def test_an_invalid_autosave_is_answered_and_not_saved_and_evidence_is_never_autosaved(award):
    report = _opened(award)
    applicant = signed_in(award.applicant)
    bad = {"section": "lines", "revision": "0", "line-0-actual_yen": "八十万", "autosave": "1"}
    answer = applicant.post(_url(award), bad, **HX)
    assert answer.status_code == 200 and "自動保存していません。" in answer.text
    assert "クラウド会計ソフト: 実績額（税抜・円）:" in answer.text
    number = {"section": "lines", "revision": "0", "line-0-vendor_corporate_number": "123", "autosave": "1"}
    assert "13桁の数字" in applicant.post(_url(award), number, **HX).text
    evidence = {"section": "evidence", "line": "0", "kind": "quotation", "autosave": "1"}
    assert applicant.post(_url(award), evidence, **HX).status_code == 404
    report.refresh_from_db()
    assert report.revision == 0 and report.lines.get(index=0).actual_yen is None


def test_a_ready_report_stays_ready_when_an_autosave_changes_nothing(award):
    report = _opened(award)
    report.status = READY
    report.save()
    applicant = signed_in(award.applicant)
    same = {"section": "outcome", "revision": "0", "narrative": "", "autosave": "1"}
    assert "保存しました" in applicant.post(_url(award), same, **HX).text
    report.refresh_from_db()
    assert report.status == READY
    typed = same | {"narrative": "追記"}
    assert "保存しました" in applicant.post(_url(award), typed, **HX).text
    report.refresh_from_db()
    assert report.status == DRAFT  # an edit puts it back, as the button does


def test_only_the_applicant_and_the_advisor_autosave(award, make_user):
    report = _opened(award)
    posted = {"section": "outcome", "revision": "0", "narrative": "事務局の文", "autosave": "1"}
    assert signed_in(award.secretariat).post(_url(award), posted, **HX).status_code == 403
    stranger = make_user(Role.APPLICANT)
    assert signed_in(stranger).post(_url(award), posted, **HX).status_code == 404
    report.refresh_from_db()
    assert report.narrative == "" and report.revision == 0


def test_an_autosave_reads_a_fixed_number_of_queries(award):
    _opened(award)
    applicant = signed_in(award.applicant)
    counts = []
    for revision, text in enumerate(["一", "二"]):
        posted = {"section": "outcome", "revision": str(revision), "narrative": text, "autosave": "1"}
        with CaptureQueriesContext(connection) as queries:
            assert "保存しました" in applicant.post(_url(award), posted, **HX).text
        counts.append(len(queries))
    # session; user; application; applicant? (members); report; its lines; the plan in force (2);
    # the service's (report locked; engagement; members; the plan in force (2); update; revision
    # and state); the model's check; audit ({AUDIT}); six savepoint statements.
    assert counts == [22 + AUDIT] * 2


def test_the_application_page_links_to_the_report(award):
    page = signed_in(award.applicant).get(f"/applications/{award.application.pk}/")
    assert f'href="{_url(award)}"' in page.text


def _ready(award):
    report = complete_report(award)
    assert report.status == READY
    return report


def test_the_advisor_cannot_confirm(award):
    report = _ready(award)
    enrol_totp(award.advisor)
    client = signed_in(award.advisor)
    page = client.get(_url(award, "confirm/"))
    assert page.status_code == 200 and "申請者ご本人のみ" in page.text and 'name="code"' not in page.text
    forged = client.post(_url(award, "confirm/"), {"code": totp_now(award.advisor)})
    assert forged.status_code == 403
    report.refresh_from_db()
    award.application.refresh_from_db()
    assert report.status == READY and award.application.status == workflow.PAID
    assert not AuditEntry.objects.filter(action="reporting.results_confirm").exists()


def test_a_bad_code_changes_nothing(award):
    report = _ready(award)
    client = signed_in(award.applicant)
    wrong = client.post(_url(award, "confirm/"), {"code": "000000"})
    assert wrong.status_code == 400 and "認証コードが正しくない" in wrong.text
    report.refresh_from_db()
    award.application.refresh_from_db()
    assert report.status == READY and award.application.status == workflow.PAID


def test_a_double_click_confirms_once(award):
    report = _ready(award)
    client = signed_in(award.applicant)
    assert 'name="code"' in client.get(_url(award, "confirm/")).text
    code = totp_now(award.applicant)
    first = client.post(_url(award, "confirm/"), {"code": code})
    second = client.post(_url(award, "confirm/"), {"code": code})
    assert first.status_code == 302 and second.status_code == 400
    assert "すでに確定されています" in second.text
    report.refresh_from_db()
    award.application.refresh_from_db()
    assert report.status == CONFIRMED and award.application.status == workflow.REPORTING
    assert AuditEntry.objects.filter(action="reporting.results_confirm").count() == 1


def test_evidence_only_to_those_who_may_see_the_application(award, programme, make_user):
    report = _ready(award)
    item = report.lines.get(index=0).evidence.first()
    url = _url(award, f"evidence/{item.pk}/")
    mine = signed_in(award.applicant).get(url)
    assert mine.status_code == 200 and mine["Cache-Control"] == "private, no-store"
    assert b"".join(mine.streaming_content).startswith(b"%PDF")
    other = accepted_award(programme, award.secretariat)
    assert signed_in(other.applicant).get(url).status_code == 404
    assert (
        signed_in(other.applicant)
        .get(f"/applications/{other.application.pk}/results/evidence/{item.pk}/")
        .status_code
        == 404
    )
    assert signed_in(make_user(Role.AUDITOR)).get(url).status_code == 200


def test_the_advisor_removes_evidence_and_the_report_goes_back_to_draft(award):
    report = _ready(award)
    item = report.lines.get(index=0).evidence.first()
    assert signed_in(award.advisor).post(_url(award, f"evidence/{item.pk}/remove/")).status_code == 302
    report.refresh_from_db()
    assert report.status == DRAFT and not report.lines.get(index=0).evidence.filter(pk=item.pk).exists()


def _confirmed(award):
    report = _ready(award)
    client = signed_in(award.applicant)
    assert client.post(_url(award, "confirm/"), {"code": totp_now(award.applicant)}).status_code == 302
    return report


def test_the_secretariat_requests_changes_with_a_comment_per_line(award):
    report = _confirmed(award)
    staff = signed_in(award.secretariat)
    url = f"/staff/results-reports/{report.pk}/"
    page = staff.get(url)
    assert page.status_code == 200 and "クラウド会計ソフト へのコメント" in page.text
    none = staff.post(url, {"action": "request_changes", "comment-0": " ", "comment-1": ""})
    assert none.status_code == 400 and "少なくとも1件コメント" in none.text
    report.refresh_from_db()
    assert report.status == CONFIRMED
    done = staff.post(url, {"action": "request_changes", "comment-1": "請求書の宛名を確認してください。"})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.status == DRAFT
    page = signed_in(award.applicant).get(_url(award))
    assert 'id="line-1-comment"' in page.text and "請求書の宛名を確認してください。" in page.text


def test_approval_hands_the_eligible_cost_to_the_final_amount(award):
    report = _confirmed(award)
    response = signed_in(award.secretariat).post(
        f"/staff/results-reports/{report.pk}/", {"action": "approve"}
    )
    assert response.status_code == 302
    # 800,000 (under its plan) + 500,000 (600,000 capped at the plan's 500,000).
    assert FinalAmount.objects.get(application=award.application).eligible_actual_yen == 1_300_000
    report.refresh_from_db()
    assert report.status == APPROVED and report.eligible_actual_yen == 1_300_000


def test_staff_other_than_the_secretariat_cannot_review(award, make_user):
    report = _confirmed(award)
    auditor = signed_in(make_user(Role.AUDITOR))
    url = f"/staff/results-reports/{report.pk}/"
    assert auditor.get(url).status_code == 200
    assert auditor.post(url, {"action": "request_changes", "comment-0": "x"}).status_code == 403
    report.refresh_from_db()
    assert report.status == CONFIRMED


def _list_queries(client, query: str = "") -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/staff/results-reports/{query}")
    assert response.status_code == 200
    return len(ctx), response.text


def test_the_staff_list_stays_flat_and_filters(award, programme):
    report = _ready(award)
    staff = signed_in(award.secretariat)
    staff.get("/staff/results-reports/")
    one, text = _list_queries(staff)
    assert "株式会社ヤマダ製作所" in text
    for n in range(6):
        application = make_application(programme, status=workflow.PAID, company_name=f"株式会社テスト{n}")
        ResultsReport.objects.create(application=application, due_on=dt.date(2027, 4, 30))
    many, text = _list_queries(staff)
    assert many == one and "株式会社テスト5" in text
    _, ready_only = _list_queries(staff, f"?status=ready&round={award.application.round_id}")
    assert "株式会社ヤマダ製作所" in ready_only and "株式会社テスト5" not in ready_only
    assert report.status == READY


def test_in_english(award):
    _ready(award)
    client = signed_in(award.advisor)
    client.cookies["django_language"] = "en"
    page = client.get(_url(award))
    assert "Each cost line is eligible up to its planned amount" in page.text
    assert "Results by cost line" in page.text and "Ask the applicant to confirm" not in page.text


def test_evidence_is_listed_by_the_name_of_its_kind(award):
    """The e2e follow-up journey found the lines listing "quotation", "invoice" (the codes)."""
    complete_report(award)
    page = signed_in(award.applicant).get(_url(award))
    evidence = page.text.split('id="line-0-evidence"')[1].split("</ul>")[0]
    assert "・ 見積書" in evidence and "・ 請求書" in evidence
    assert "・ quotation" not in evidence and "・ invoice" not in evidence


def test_amounts_are_typed_in_text_boxes_and_kpis_are_named_as_the_plan_names_them():
    """The browser refuses "2,400,000" in a type=number box (found by the follow-up journey)."""
    line = ResultsLine(index=0, item="クラウド受発注システム", planned_eligible_yen=1, actual_yen=None)
    html = str(LinesForm(initial={"revision": 1}, lines=[line]))
    tag = re.search(r'<input[^>]*name="line-0-actual_yen"[^>]*>', html)
    assert tag and 'type="text"' in tag.group(0) and 'inputmode="numeric"' in tag.group(0)
    filled = LinesForm({"revision": "1", "line-0-actual_yen": "２，４００，０００"}, lines=[line])
    assert filled.is_valid() and filled.cleaned_data["line-0-actual_yen"] == 2_400_000
    outcome = str(OutcomeForm(kpi_keys=["labour_productivity", "free"]))
    assert "指標「労働生産性」の実績" in outcome and "labour_productivity」" not in outcome

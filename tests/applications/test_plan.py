"""The business plan: sections with limits from the round, structured parts, two editors at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from dxgrant.advisors.models import CertificationState
from dxgrant.applications import completeness, plan_rules, workflow
from dxgrant.applications.models import Application, BudgetLine, PlanSection
from dxgrant.applications.services import plan
from dxgrant.core.editing import EditConflict
from dxgrant.integrity.models import AuditEntry
from tests.factories.applications import drafting

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def url(app, code: str = "current_state") -> str:
    return f"/applications/{app.pk}/plan/{code}/"


def test_advisor_and_applicant_both_write_and_each_save_is_a_new_revision(programme):
    s = drafting(programme)
    first = plan.save_plan_section(
        actor=s.advisor, application=s.application, code="goals", text="三年後の姿", expected_revision=0
    )
    second = plan.save_plan_section(
        actor=s.applicant,
        application=s.application,
        code="goals",
        text="三年後の姿（修正）",
        expected_revision=1,
    )
    assert (first.pk, second.revision, second.updated_by) == (second.pk, 2, s.applicant)
    assert AuditEntry.objects.filter(action="application.plan_section_saved").count() == 2


def test_a_stale_save_is_refused_and_the_other_persons_text_is_kept(programme):
    s = drafting(programme)
    # Both opened the empty section (revision 0); the applicant saves first.
    plan.save_plan_section(
        actor=s.applicant, application=s.application, code="goals", text="申請者の文", expected_revision=0
    )
    with pytest.raises(EditConflict) as caught:
        plan.save_plan_section(
            actor=s.advisor,
            application=s.application,
            code="goals",
            text="アドバイザーの文",
            expected_revision=0,
        )
    assert caught.value.current.text == "申請者の文"
    assert PlanSection.objects.get(application=s.application, code="goals").text == "申請者の文"


def test_a_save_repeating_what_an_autosave_just_stored_is_not_a_conflict(programme):
    s = drafting(programme)
    # The autosave (revision 0 -> 1) lands while the page still holds revision 0; "save" then
    # posts the same text with revision 0: nothing to change, no conflict, no new revision.
    saved = plan.save_plan_section(
        actor=s.applicant, application=s.application, code="goals", text="同じ文", expected_revision=0
    )
    again = plan.save_plan_section(
        actor=s.applicant, application=s.application, code="goals", text="同じ文", expected_revision=0
    )
    assert (saved.revision, again.revision) == (1, 1)
    # A different text on the stale revision is still a conflict.
    with pytest.raises(EditConflict):
        plan.save_plan_section(
            actor=s.applicant, application=s.application, code="goals", text="別の文", expected_revision=0
        )


def test_stale_save_on_the_page_shows_both_texts_and_saves_nothing(programme):
    s = drafting(programme)
    plan.save_plan_section(
        actor=s.applicant,
        application=s.application,
        code="goals",
        text="申請者が先に保存した文",
        expected_revision=0,
    )
    response = client_of(s.advisor).post(
        url(s.application, "goals"), {"text": "アドバイザーが書いた文", "revision": "0"}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "申請者が先に保存した文" in body  # what the other person saved
    assert "アドバイザーが書いた文" in body  # what I typed, kept in the form
    assert "保存していません" in body
    assert PlanSection.objects.get(application=s.application, code="goals").text == "申請者が先に保存した文"
    # Having seen it, a deliberate second save (with the revision the page now carries) goes through.
    response = client_of(s.advisor).post(
        url(s.application, "goals"), {"text": "二人の文をまとめた文", "revision": "1"}
    )
    assert response.status_code == 302
    assert PlanSection.objects.get(application=s.application, code="goals").text == "二人の文をまとめた文"


def test_autosave_answers_with_the_time_and_the_new_revision(programme):
    s = drafting(programme)
    response = client_of(s.applicant).post(
        url(s.application),
        {"text": "紙の伝票を転記している", "revision": "0", "autosave": "1"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "保存しました" in body
    assert 'name="revision" id="id_revision" value="1"' in body
    stale = client_of(s.advisor).post(
        url(s.application), {"text": "別の文", "revision": "0", "autosave": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "自動保存していません" in stale.content.decode()
    assert (
        PlanSection.objects.get(application=s.application, code="current_state").text
        == "紙の伝票を転記している"
    )


def test_save_and_return_goes_back_to_the_list(programme):
    s = drafting(programme)
    response = client_of(s.applicant).post(
        url(s.application), {"text": "現状", "revision": "0", "return": "1"}
    )
    assert response.status_code == 302 and response["Location"] == f"/applications/{s.application.pk}/plan/"


def test_text_over_the_limit_is_refused_and_kept_in_the_form(programme):
    s = drafting(programme)
    limit = plan_rules.spec_for(s.application.round, "regional").max_chars
    text = "あ" * (limit + 1)
    response = client_of(s.advisor).post(url(s.application, "regional"), {"text": text, "revision": "0"})
    assert response.status_code == 400
    body = response.content.decode()
    assert f"{limit}字以内で入力してください" in body and text in body
    assert 'href="#id_text"' in body  # the error summary links to the field
    assert not PlanSection.objects.filter(application=s.application).exists()
    # Line breaks are not characters.
    ok = "あ" * (limit // 2) + "\r\n" + "い" * (limit // 2)
    plan.save_plan_section(
        actor=s.advisor, application=s.application, code="regional", text=ok, expected_revision=0
    )


def test_milestones_must_fall_inside_the_programme_period(programme):
    s = drafting(programme)
    ends = s.application.round.programme_period_ends
    after = (ends + dt.timedelta(days=1)).isoformat()
    response = client_of(s.advisor).post(
        url(s.application, "schedule"),
        {
            "text": "半年ごとに見直します",
            "revision": "0",
            "milestone-0-title": "受発注のクラウド化",
            "milestone-0-due": after,
        },
    )
    assert response.status_code == 400
    assert "対象期間" in response.content.decode()
    assert not PlanSection.objects.filter(application=s.application).exists()
    response = client_of(s.advisor).post(
        url(s.application, "schedule"),
        {
            "text": "半年ごとに見直します",
            "revision": "0",
            "milestone-0-title": "受発注のクラウド化",
            "milestone-0-due": f"{ends.year}/{ends.month}/{ends.day}",  # typed with slashes
        },
    )
    assert response.status_code == 302
    data = PlanSection.objects.get(application=s.application, code="schedule").data
    assert data == {"milestones": [{"title": "受発注のクラウド化", "due": ends.isoformat()}]}


def test_measures_carry_their_technology_categories(programme):
    s = drafting(programme)
    response = client_of(s.applicant).post(
        url(s.application, "measures"),
        {
            "text": "二つの取組",
            "revision": "0",
            "measure-0-title": "需要予測",
            "measure-0-description": "過去の受注からAIで予測",
            "measure-0-technologies": ["ai", "data"],
            "measure-1-title": "在庫の見える化",
        },
    )
    assert response.status_code == 400  # the second measure has no technology
    assert "使う技術の区分を1つ以上選んでください" in response.content.decode()
    response = client_of(s.applicant).post(
        url(s.application, "measures"),
        {
            "text": "一つの取組",
            "revision": "0",
            "measure-0-title": "需要予測",
            "measure-0-technologies": ["ai", "data"],
        },
    )
    assert response.status_code == 302
    section = PlanSection.objects.get(application=s.application, code="measures")
    assert section.data["measures"] == [
        {"title": "需要予測", "description": "", "technologies": ["ai", "data"]}
    ]


def test_kpis_are_stored_as_numbers_with_baseline_and_three_years(programme):
    s = drafting(programme)
    response = client_of(s.applicant).post(
        url(s.application, "kpis"),
        {
            "text": "三つの指標",
            "revision": "0",
            "kpi-sales-unit": "千円",
            "kpi-sales-baseline": "１２,０００",
            "kpi-sales-year1": "13000",
            "kpi-sales-year2": "14000",
            "kpi-sales-year3": "15000.5",
            "kpi-free-0-name": "リピート率",
            "kpi-free-0-unit": "%",
            "kpi-free-0-baseline": "abc",
        },
    )
    assert response.status_code == 400 and "数値で入力してください" in response.content.decode()
    response = client_of(s.applicant).post(
        url(s.application, "kpis"),
        {
            "text": "三つの指標",
            "revision": "0",
            "kpi-sales-unit": "千円",
            "kpi-sales-baseline": "１２,０００",
            "kpi-sales-year1": "13000",
            "kpi-sales-year2": "14000",
            "kpi-sales-year3": "15000.5",
        },
    )
    assert response.status_code == 302
    data = PlanSection.objects.get(application=s.application, code="kpis").data
    assert data["sales"] == {
        "unit": "千円",
        "baseline": 12000,
        "year1": 13000,
        "year2": 14000,
        "year3": 15000.5,
    }
    assert data["free"] == []


def test_plan_status_and_problems_for_the_task_list(programme, django_assert_num_queries):
    s = drafting(programme)
    app = s.application
    assert completeness.plan_status(app) == plan_rules.NOT_STARTED
    plan.save_plan_section(
        actor=s.advisor, application=app, code="goals", text="目指す姿", expected_revision=0
    )
    with django_assert_num_queries(1):
        problems = completeness.plan_problems(app)
    assert "「取組内容」が未入力です。" in problems
    assert "「DXで目指す姿」が未入力です。" not in problems
    assert completeness.plan_status(app) == plan_rules.IN_PROGRESS
    today = dt.date.today().isoformat()
    for spec in plan_rules.section_specs(app.round):
        data: dict = {}
        if spec.code == "measures":
            data = {"measures": [{"title": "需要予測", "technologies": ["ai"]}]}
        elif spec.code == "schedule":
            data = {"milestones": [{"title": "導入", "due": today}]}
        elif spec.code == "kpis":
            full = {"unit": "円", "baseline": 1, "year1": 2, "year2": 3, "year3": 4}
            data = {"labour_productivity": full, "cost": full, "sales": full}
        current = PlanSection.objects.filter(application=app, code=spec.code).first()
        plan.save_plan_section(
            actor=s.advisor,
            application=app,
            code=spec.code,
            text="内容",
            data=data,
            expected_revision=current.revision if current else 0,
        )
    assert completeness.plan_problems(app) == []
    assert completeness.plan_status(app) == plan_rules.COMPLETED
    # A limit lowered in the round data afterwards shows as a problem, not as lost text.
    rules = app.round.application_rules
    rules["plan_sections"][0]["max_chars"] = 1
    app.round.save(update_fields=["application_rules"])
    app = Application.objects.get(pk=app.pk)  # as the next request reads it (round.rules is parsed once)
    assert any("字を超えています" in p for p in completeness.plan_problems(app))


def test_another_firms_advisor_gets_404_and_staff_read_only(programme, client_for):
    s = drafting(programme)
    other = drafting(programme, firm_name="別の支援会社")
    for path in (f"/applications/{s.application.pk}/plan/", url(s.application)):
        assert client_of(other.advisor).get(path).status_code == 404
    assert (
        client_of(other.advisor).post(url(s.application), {"text": "x", "revision": "0"}).status_code == 404
    )
    staff = client_for("secretariat")
    assert staff.get(url(s.application)).status_code == 200
    assert staff.post(url(s.application), {"text": "x", "revision": "0"}).status_code == 403
    assert not PlanSection.objects.exists()


def test_a_suspended_firms_advisor_may_read_but_not_write(programme):
    s = drafting(programme)
    s.firm.certification_state = CertificationState.SUSPENDED
    s.firm.save(update_fields=["certification_state"])
    with pytest.raises(PermissionDenied):
        plan.save_plan_section(
            actor=s.advisor, application=s.application, code="goals", text="x", expected_revision=0
        )
    assert client_of(s.advisor).get(url(s.application)).status_code == 200
    response = client_of(s.advisor).post(url(s.application), {"text": "x", "revision": "0"})
    assert response.status_code == 403
    assert not PlanSection.objects.exists()


def test_nothing_is_editable_once_submitted(programme):
    s = drafting(programme)
    s.application.status = workflow.SUBMITTED
    s.application.save(update_fields=["status"])
    with pytest.raises(PermissionDenied):
        plan.save_plan_section(
            actor=s.applicant, application=s.application, code="goals", text="x", expected_revision=0
        )


def test_unknown_section_code_is_refused(programme):
    s = drafting(programme)
    with pytest.raises(ValidationError, match="計画書の項目が正しくありません"):
        plan.save_plan_section(
            actor=s.applicant, application=s.application, code="award", text="1億円", expected_revision=0
        )
    assert client_of(s.applicant).get(url(s.application, "award")).status_code == 404


def test_the_plan_never_carries_an_award(programme):
    s = drafting(programme)
    response = client_of(s.advisor).post(
        url(s.application, "kpis"),
        {"text": "指標", "revision": "0", "award_yen": "100000000", "kpi-award-baseline": "100000000"},
    )
    assert response.status_code == 302
    section = PlanSection.objects.get(application=s.application, code="kpis")
    assert "award" not in str(section.data) and "100000000" not in str(section.data)
    # Columns of what the advisor and applicant write (the awards app has its own tables).
    field_names = {
        f.name for model in (PlanSection, BudgetLine, Application) for f in model._meta.concrete_fields
    }
    assert not any("award" in name for name in field_names)


def test_section_titles_and_limits_come_from_the_round_in_the_visitors_language(programme):
    s = drafting(programme)
    client = client_of(s.applicant)
    page = client.get(url(s.application, "measures")).content.decode()
    assert "<h1>取組内容</h1>" in page and "3000字以内" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(url(s.application, "measures")).content.decode()
    assert "<h1>Measures</h1>" in page

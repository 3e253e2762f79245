"""The fast factories agree with the states the services produce (dxgrant/demo/builders.py and
the services themselves) on what the code relies on, so they cannot drift apart: a certified
firm in each public state, an open round, an engagement in each state and a complete
application."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from dxgrant.accounts.models import User
from dxgrant.accounts.roles import Role
from dxgrant.advisors.models import AdvisorFirm, CertificationState, PublicStatus
from dxgrant.advisors.policies import can_act_as_advisor
from dxgrant.advisors.sections import registration_missing
from dxgrant.applications import completeness, plan_rules
from dxgrant.demo import builders
from dxgrant.programs.models import DeclarationText, Programme, Round
from dxgrant.support.lifecycle import ENGAGEMENT
from dxgrant.support.models import Engagement
from dxgrant.support.services import ending, engagements
from tests.factories import UserFactory
from tests.factories.advisors import COMPLETE_FIELDS, advisor_of, certified_firm, firm_admin
from tests.factories.applications import complete, drafting
from tests.factories.rounds import open_round
from tests.factories.support import engagement_for

pytestmark = pytest.mark.django_db

# How the demo makes each public state through the services: (certified how many days ago,
# then suspended or revoked).
THROUGH_THE_SERVICES = {
    "active": (0, CertificationState.ACTIVE),
    "suspended": (0, CertificationState.SUSPENDED),
    "revoked": (0, CertificationState.REVOKED),
    "expired": (900, CertificationState.ACTIVE),
}


def certified_through_the_services(programme: Programme, state: str) -> AdvisorFirm:
    days_ago, certification_state = THROUGH_THE_SERVICES[state]
    return builders.certified_firm(
        programme=programme,
        admin=UserFactory(role=Role.ADVISOR),
        secretariat=UserFactory(role=Role.SECRETARIAT),
        fields={**COMPLETE_FIELDS, "name": "サービス経由DX株式会社"},
        certified_on=timezone.localdate() - dt.timedelta(days=days_ago),
        state=certification_state,
        reason="テストのため",
    )


def as_relied_on(firm: AdvisorFirm) -> dict[str, object]:
    """What pages and policies read of a certified firm."""
    firm = AdvisorFirm.objects.get(pk=firm.pk)
    admin = User.objects.get(pk=firm_admin(firm).pk)  # a fresh user: no remembered membership
    prefix = firm.programme.certification_rules.number_prefix
    assert firm.certification_number is not None
    return {
        "missing": registration_missing(firm),
        "registration_status": firm.registration_status,
        "public_status": firm.public_status(),
        "admin may act": tuple(can_act_as_advisor(admin)),
        "number shape": bool(re.fullmatch(rf"{prefix}-\d{{4}}-\d{{5}}", firm.certification_number)),
        "declarations": sorted(firm.declarations),
        "documents": sorted(d.kind for d in firm.documents.all()),
        "proposes an advisor": firm.proposed_advisors.exists(),
    }


@pytest.mark.parametrize("state", ["active", "suspended", "revoked", "expired"])
def test_a_factory_certified_firm_agrees_with_one_certified_through_the_services(programme, state):
    made = as_relied_on(certified_firm(programme, state=state))
    through = as_relied_on(certified_through_the_services(programme, state))
    assert made == through
    assert made["missing"] == [] and made["number shape"] is True
    assert made["public_status"] == PublicStatus(state)
    assert made["admin may act"][0] is (state == "active")


RULES = ("eligibility", "rubric", "amount_rule", "documents", "training", "application_rules", "review_rules")
# A made round's schedule and data notes are its own (its dates, no notes on past data).
OWN_TEXTS = ("schedule", "data_notes")


def as_read(round_obj: Round) -> dict[str, object]:
    round_obj = Round.objects.get(pk=round_obj.pk)
    return {
        "rules": {name: getattr(round_obj, name) for name in RULES},
        "declarations": sorted(
            DeclarationText.objects.filter(round=round_obj).values_list("key", "version", "text_ja")
        ),
        "texts": {key: text for key, text in round_obj.texts.items() if key not in OWN_TEXTS},
        "max_award_yen": round_obj.max_award_yen,
        "budget_yen": round_obj.budget_yen,
        "programme": round_obj.programme_id,
    }


def test_a_factory_round_has_the_programme_files_rules_texts_and_declarations(programme):
    loaded = Round.objects.get(code="dx-2025-r1")  # the round the programme file defines
    expected = as_read(loaded)
    assert as_read(open_round(programme)) == expected
    demo = builders.open_round(programme, code="dx-test-demo", name_ja="デモ", name_en="Demo", is_demo=True)
    assert as_read(demo) == expected


def test_a_factory_round_is_open_closed_or_not_yet_open_today(programme):
    assert open_round(programme).application_status() == "open"
    assert open_round(programme, "dx-test-closed", closed=True).application_status() == "closed"
    assert open_round(programme, "dx-test-upcoming", upcoming=True).application_status() == "before"
    for round_obj in Round.objects.filter(code__startswith="dx-test-"):
        assert round_obj.programme_period_starts <= round_obj.application_opens
        assert round_obj.application_closes < round_obj.programme_period_ends


def test_a_new_round_copies_the_programme_file_not_a_round_a_test_changed(programme):
    changed = open_round(programme, "dx-test-changed")
    changed.application_rules = changed.application_rules | {"max_upload_mb": 1}
    changed.save(update_fields=["application_rules"])
    fresh = open_round(programme, "dx-test-fresh")
    assert (
        fresh.rules.application.max_upload_mb
        == Round.objects.get(code="dx-2025-r1").rules.application.max_upload_mb
    )
    assert fresh.rules.application.max_upload_mb != 1


def test_a_complete_application_is_judged_complete_without_any_mock(programme):
    s = drafting(programme)
    application = complete(s.application)
    task_list = completeness.sections(application)
    assert {section.code: section.status for section in task_list} == {
        code: completeness.COMPLETED
        for code in ("profile", "plan", "budget", "documents", "disclosure", "declarations")
    }
    assert completeness.readiness_problems(application, task_list) == []
    # The plan's structured parts are what the plan service accepts and keeps as they are.
    for section in application.plan_sections.all():
        assert plan_rules.clean_section_data(application.round, section.code, section.data) == (
            section.data or {}
        ), section.code


def as_engagement(engagement: Engagement) -> dict[str, object]:
    """What pages and services read of an engagement's state."""
    engagement = Engagement.objects.get(pk=engagement.pk)
    engagement.full_clean(validate_constraints=True)
    return {
        "status": engagement.status,
        "ended": (
            engagement.ended_at is not None,
            engagement.ended_by_id is not None,
            bool(engagement.end_reason),
        ),
        "next": [t.name for t in ENGAGEMENT.from_state(engagement.status)],
    }


def test_factory_engagements_agree_with_the_states_the_services_reach(programme):
    firm = certified_firm(programme)
    advisor = advisor_of(firm)
    round_obj = open_round(programme)
    started = engagements.start_engagement(
        actor=advisor,
        round=round_obj,
        company_name="株式会社招待中",
        corporate_number="",
        representative_name="招待 花子",
        representative_email="hanako@invited.example.jp",
    )
    supported = builders.supported_company(
        advisor=advisor, round_obj=round_obj, company_name="株式会社支援中", representative=UserFactory()
    )
    ended = builders.supported_company(
        advisor=advisor, round_obj=round_obj, company_name="株式会社終了", representative=UserFactory()
    )
    ending.end_engagement(
        actor=User.objects.get(pk=advisor.pk), engagement=ended, reason="方針が合わないため"
    )
    by_services = [as_engagement(e) for e in (started, supported, ended)]
    by_factory = [
        as_engagement(engagement_for(firm, advisor, round_obj, **trait))
        for trait in ({"invited": True}, {}, {"ended": True})
    ]
    assert by_factory == by_services
    assert [e["status"] for e in by_factory] == ["invited", "active", "ended"]

"""Services of the core flow, called directly: who may do what, optimistic locking, and the
applicant-only acts refused for an advisor with nothing changed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dxgrant.applications import completeness, workflow
from dxgrant.applications.guards import NotReady
from dxgrant.applications.models import Application, DeclarationAcceptance
from dxgrant.applications.services.creation import ensure_application
from dxgrant.applications.services.declarations import accept_declarations
from dxgrant.applications.services.disclosure import confirm_disclosure, update_disclosure
from dxgrant.applications.services.duplicates import DuplicateApplication
from dxgrant.applications.services.profile import update_profile
from dxgrant.applications.services.submission import mark_ready, submit_application, withdraw_application
from dxgrant.core.editing import EditConflict
from dxgrant.integrity.models import AuditEntry
from tests.factories.advisors import advisor_of, certified_firm
from tests.factories.applications import complete, drafting
from tests.factories.support import engagement_for

pytestmark = pytest.mark.django_db

DISCLOSURE = {
    "fee_amount_yen": 550_000,
    "fee_basis": "作業時間に応じて算定",
    "fee_timing": "on_payment",
    "success_fee_percent": None,
    "advisor_sells_budget_items": False,
    "advisor_sales_disclosure": "",
}


def test_profile_save_bumps_revision_and_audits(programme):
    s = drafting(programme)
    saved = update_profile(
        application=s.application,
        actor=s.applicant,
        data={"employees": 20, "phone": "03-1234-5678"},
        revision=0,
    )
    assert saved.profile_revision == 1
    assert saved.employees == 20
    assert AuditEntry.objects.filter(action="application.profile_saved").count() == 1


def test_stale_profile_save_is_refused_and_changes_nothing(programme):
    s = drafting(programme)
    update_profile(application=s.application, actor=s.advisor, data={"employees": 20}, revision=0)
    with pytest.raises(EditConflict):
        update_profile(application=s.application, actor=s.applicant, data={"employees": 99}, revision=0)
    s.application.refresh_from_db()
    assert s.application.employees == 20
    assert s.application.profile_revision == 1


def test_other_firm_advisor_cannot_edit_profile(programme):
    s = drafting(programme)
    stranger = advisor_of(certified_firm(programme, name="別の支援株式会社"))
    with pytest.raises(PermissionDenied):
        update_profile(application=s.application, actor=stranger, data={"employees": 5}, revision=0)


def test_eligibility_gives_each_failed_rule(programme):
    s = drafting(programme)
    app = update_profile(
        application=s.application,
        actor=s.applicant,
        data={
            "entity_type": "corporation",
            "employees": 150,
            "capital_yen": 60_000_000,
            "antisocial_ties": False,
        },
        revision=0,
    )
    result = completeness.eligibility(app)
    assert not result.eligible
    codes = {r.code for r in result.reasons}
    assert {"employees_max", "capital_max", "legal_compliance"} <= codes
    assert "no_antisocial_ties" not in codes


def test_advisor_cannot_tick_declarations(programme):
    s = drafting(programme)
    ids = [d.pk for d in completeness.current_declarations(s.application)]
    assert ids
    with pytest.raises(PermissionDenied):
        accept_declarations(
            application=s.application, actor=s.advisor, declaration_ids=ids, ip_address="10.0.0.1"
        )
    assert not DeclarationAcceptance.objects.filter(application=s.application).exists()


def test_applicant_ticks_declarations_with_who_when_ip(programme):
    s = drafting(programme)
    ids = [d.pk for d in completeness.current_declarations(s.application)]
    created = accept_declarations(
        application=s.application, actor=s.applicant, declaration_ids=ids[:2], ip_address="10.0.0.1"
    )
    assert len(created) == 2
    assert all(a.accepted_by == s.applicant and a.ip_address == "10.0.0.1" for a in created)
    assert completeness.declarations_status(s.application) == completeness.IN_PROGRESS
    accept_declarations(application=s.application, actor=s.applicant, declaration_ids=ids, ip_address=None)
    assert completeness.declarations_status(s.application) == completeness.COMPLETED


def test_only_the_latest_declaration_version_counts(programme):
    s = drafting(programme)
    first = completeness.current_declarations(s.application)[0]
    accept_declarations(
        application=s.application, actor=s.applicant, declaration_ids=[first.pk], ip_address=None
    )
    newer = type(first).objects.create(
        round=first.round, key=first.key, version=first.version + 1, text_ja="新しい文言", text_en="New"
    )
    current = {d.key: d.pk for d in completeness.current_declarations(s.application)}
    assert current[first.key] == newer.pk
    with pytest.raises(ValidationError, match="現在の宣誓・同意ではありません"):
        accept_declarations(
            application=s.application, actor=s.applicant, declaration_ids=[first.pk], ip_address=None
        )


def test_disclosure_written_by_advisor_confirmed_by_applicant_voided_on_change(programme):
    s = drafting(programme)
    with pytest.raises(PermissionDenied):
        update_disclosure(application=s.application, actor=s.applicant, data=DISCLOSURE, revision=0)
    app = update_disclosure(application=s.application, actor=s.advisor, data=DISCLOSURE, revision=0)
    with pytest.raises(PermissionDenied):
        confirm_disclosure(application=app, actor=s.advisor, revision=1)
    app.refresh_from_db()
    assert app.disclosure_confirmed_revision is None
    confirm_disclosure(application=app, actor=s.applicant, revision=1)
    app.refresh_from_db()
    assert completeness.disclosure_confirmed(app)
    update_disclosure(
        application=app, actor=s.advisor, data=DISCLOSURE | {"fee_amount_yen": 990_000}, revision=1
    )
    app.refresh_from_db()
    assert not completeness.disclosure_confirmed(app)
    assert app.disclosure_confirmed_by is None
    with pytest.raises(EditConflict):
        confirm_disclosure(application=app, actor=s.applicant, revision=1)


def test_seller_must_say_what_they_sell(programme):
    s = drafting(programme)
    with pytest.raises(ValidationError, match="販売する品目を記載してください"):
        update_disclosure(
            application=s.application,
            actor=s.advisor,
            data=DISCLOSURE | {"advisor_sells_budget_items": True},
            revision=0,
        )


def test_mark_ready_refused_while_incomplete(programme):
    s = drafting(programme)
    with pytest.raises(NotReady) as exc:
        mark_ready(application=s.application, actor=s.advisor)
    assert any("会社概要" in m for m in exc.value.messages)
    s.application.refresh_from_db()
    assert s.application.status == workflow.DRAFTING


def test_mark_ready_refused_when_ineligible(programme):
    s = drafting(programme)
    complete(s.application)
    Application.objects.filter(pk=s.application.pk).update(employees=500)
    s.application.refresh_from_db()
    with pytest.raises(NotReady) as exc:
        mark_ready(application=s.application, actor=s.advisor)
    assert any("100人以下" in m for m in exc.value.messages)


def test_mark_ready_by_advisor_only(programme):
    s = drafting(programme)
    complete(s.application)
    with pytest.raises(PermissionDenied):
        mark_ready(application=s.application, actor=s.applicant)
    app = mark_ready(application=s.application, actor=s.advisor)
    assert app.status == workflow.AWAITING_CONFIRMATION
    assert app.ready_at is not None


def test_advisor_cannot_submit_or_withdraw(programme):
    import uuid

    s = drafting(programme)
    complete(s.application)
    mark_ready(application=s.application, actor=s.advisor)
    with pytest.raises(PermissionDenied):
        submit_application(application=s.application, actor=s.advisor, submission_token=uuid.uuid4())
    with pytest.raises(PermissionDenied):
        withdraw_application(application=s.application, actor=s.advisor)
    s.application.refresh_from_db()
    assert s.application.status == workflow.AWAITING_CONFIRMATION
    assert s.application.receipt_number is None
    assert not s.application.versions.exists()


def test_applicant_withdraws(programme):
    s = drafting(programme)
    app = withdraw_application(application=s.application, actor=s.applicant, reason="事業計画を見直すため")
    assert app.status == workflow.WITHDRAWN
    entry = AuditEntry.objects.filter(action="application.withdraw").get()
    assert entry.changes["note"] == "事業計画を見直すため"


def test_duplicate_company_refused_across_firms(programme):
    s = drafting(programme)
    other_firm = certified_firm(programme, name="二重申請支援株式会社")
    other_advisor = advisor_of(other_firm)
    engagement = engagement_for(
        other_firm, other_advisor, s.application.round, corporate_number="", company_name="別名"
    )
    engagement.corporate_number = s.application.corporate_number
    with pytest.raises(DuplicateApplication):
        ensure_application(engagement=engagement, actor=other_advisor)

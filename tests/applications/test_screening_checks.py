"""The automatic findings of the formal screening, each true and false with its evidence, read
from the submitted version (not the live application) and from the data (never anyone's say-so)."""

from __future__ import annotations

import datetime as dt

import pytest

from dxgrant.accounts.models import Role, User
from dxgrant.advisors.services import certification
from dxgrant.applications import screening_checks
from dxgrant.applications.models import Application, ApplicationVersion
from dxgrant.applications.screening_selectors import checklist
from dxgrant.applications.services import screening
from dxgrant.programs.models import Programme
from tests.factories import UserFactory
from tests.factories.applications import complete, complete_content, make_application, make_version

pytestmark = pytest.mark.django_db


def submitted(programme: Programme, **kwargs: object) -> tuple[Application, ApplicationVersion]:
    application = complete(make_application(programme, **kwargs))  # type: ignore[arg-type]
    application.refresh_from_db()
    return application, make_version(application)


def finding(application: Application, code: str) -> screening_checks.Finding:
    row = checklist(application).row(code)
    assert row is not None
    return row.finding


def open_all(application: Application, who: User) -> None:
    for document in application.documents.filter(budget_line__isnull=True):
        screening.record_document_opening(actor=who, document=document)


def test_eligibility_reads_the_submitted_snapshot(programme: Programme) -> None:
    application, _version = submitted(programme)
    found = finding(application, "eligibility")
    assert found.met is True
    assert "申請要件をすべて満たしています。" in found.evidence
    # An answer changed after submission does not change the finding.
    Application.objects.filter(pk=application.pk).update(antisocial_ties=True, employees=99_999)
    application.refresh_from_db()
    assert finding(application, "eligibility").met is True


def test_eligibility_fails_on_what_was_submitted(programme: Programme) -> None:
    application = complete(make_application(programme))
    Application.objects.filter(pk=application.pk).update(antisocial_ties=True)
    application.refresh_from_db()
    make_version(application)
    # Corrected afterwards on the live row: the finding still reads the version.
    Application.objects.filter(pk=application.pk).update(antisocial_ties=False)
    application.refresh_from_db()
    found = finding(application, "eligibility")
    assert found.met is False
    assert any(line.startswith("満たさない要件:") for line in found.evidence)
    assert "antisocial_ties=True" in found.evidence[0]


def test_documents_present_and_opened_by_the_secretariat(programme: Programme) -> None:
    application, _version = submitted(programme)
    found = finding(application, "documents")
    assert found.met is False
    assert any("事務局がまだ開いていません" in line for line in found.evidence)
    # An auditor's opening is not the secretariat's.
    open_all(application, UserFactory(role=Role.AUDITOR))
    assert finding(application, "documents").met is False
    secretariat = UserFactory(role=Role.SECRETARIAT, email="kakunin@example.jp")
    open_all(application, secretariat)
    found = finding(application, "documents")
    assert found.met is True
    assert all("kakunin@example.jp" in line for line in found.evidence)


def test_a_document_missing_from_the_version_fails(programme: Programme) -> None:
    application = complete(make_application(programme))
    first = application.documents.filter(budget_line__isnull=True).order_by("code").first()
    assert first is not None
    first.delete()
    make_version(application)
    found = finding(application, "documents")
    assert found.met is False
    assert any("提出された版に添付がありません" in line for line in found.evidence)


def test_declarations_made_with_version_person_and_time(programme: Programme) -> None:
    application, version = submitted(programme)
    found = finding(application, "declarations")
    assert found.met is True
    made = version.snapshot["declarations"]
    assert made and made[0]["accepted_by"] in found.evidence[0]
    assert f"第{made[0]['version']}版" in found.evidence[0]


def test_declarations_missing_from_the_version_fail(programme: Programme) -> None:
    application = complete(make_application(programme))
    application.declarations.all().delete()
    make_version(application)
    found = finding(application, "declarations")
    assert found.met is False
    assert all("宣誓・同意がありません" in line for line in found.evidence)


def test_training_from_the_companys_own_check_ins(programme: Programme) -> None:
    application, _version = submitted(programme)
    found = finding(application, "training")
    assert found.met is True
    assert any("研修の受講時間" in line for line in found.evidence)


def test_training_not_done_fails(programme: Programme) -> None:
    application = complete_content(make_application(programme))  # content only: no check-ins
    make_version(application)
    found = finding(application, "training")
    assert found.met is False
    assert any("0 /" in line for line in found.evidence)


def test_firm_suspended_after_submission_is_fine(programme: Programme) -> None:
    application, _version = submitted(programme)
    certification.suspend_certification(
        actor=UserFactory(role=Role.SECRETARIAT), firm=application.firm, reason="調査のため停止します。"
    )
    found = finding(application, "firm_certified")
    assert found.met is True
    assert any("認定は有効でした" in line for line in found.evidence)


def test_firm_suspended_before_submission_fails(programme: Programme) -> None:
    application = complete(make_application(programme))
    certification.suspend_certification(
        actor=UserFactory(role=Role.SECRETARIAT), firm=application.firm, reason="調査のため停止します。"
    )
    make_version(application)
    found = finding(application, "firm_certified")
    assert found.met is False
    assert "認定が停止されていました。" in found.evidence


def test_firm_state_replayed_from_the_history() -> None:
    at = dt.datetime(2026, 5, 1, 3, 0, tzinfo=dt.UTC)
    events = [
        ("certified", at - dt.timedelta(days=100)),
        ("suspended", at - dt.timedelta(days=10)),
        ("reinstated", at - dt.timedelta(days=1)),
        ("revoked", at + dt.timedelta(days=1)),
    ]
    history = screening_checks.FirmHistory("F", "DXA-1", events, dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    assert screening_checks.firm_state_at(history, at) == "active"
    assert screening_checks.firm_state_at(history, at - dt.timedelta(days=5)) == "suspended"
    assert screening_checks.firm_certified(history, at, dt.date(2026, 5, 1)).met is True
    # Outside the validity period.
    assert screening_checks.firm_certified(history, at, dt.date(2027, 2, 1)).met is False
    # Not yet certified.
    assert (
        screening_checks.firm_certified(history, at - dt.timedelta(days=200), dt.date(2026, 1, 2)).met
        is False
    )


def test_fee_disclosure_confirmed_by_the_applicant(programme: Programme) -> None:
    application, _version = submitted(programme)
    found = finding(application, "fee_disclosure")
    assert found.met is True
    assert application.disclosure_confirmed_by is not None
    assert application.disclosure_confirmed_by.email in found.evidence[1]
    assert "支援金の交付後" in found.evidence[0]  # the timing as the applicant read it


def test_fee_disclosure_unconfirmed_in_the_version_fails(programme: Programme) -> None:
    application = complete(make_application(programme))
    Application.objects.filter(pk=application.pk).update(disclosure_confirmed_revision=None)
    application.refresh_from_db()
    make_version(application)
    Application.objects.filter(pk=application.pk).update(disclosure_confirmed_revision=1)
    assert finding(application, "fee_disclosure").met is False


def test_each_fact_is_read_once_whatever_the_items(
    programme: Programme, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    application, _version = submitted(programme)
    application = Application.objects.select_related("round", "firm").get(pk=application.pk)
    with django_assert_max_num_queries(14):
        rows = checklist(application).rows
    assert [row.code for row in rows] == [item.code for item in application.round.rules.review.screening]

"""The formal screening's acts: confirming items, passing to review, rejecting as ineligible with
reasons; refusals, audit entries, the emails, and who may do what."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from dxgrant.accounts.models import Role, User
from dxgrant.applications import workflow
from dxgrant.applications.models import Application, DocumentOpening, ScreeningCheck, ScreeningDecision
from dxgrant.applications.services import screening
from dxgrant.applications.tasks import send_screening_rejection
from dxgrant.integrity.models import AuditEntry
from dxgrant.programs.models import Programme
from tests.factories import UserFactory
from tests.factories.applications import complete, make_application, make_version
from tests.factories.support import representative_of

pytestmark = pytest.mark.django_db

REASONS = "従業員数が申請要件（300人以下）を超えているため、申請の対象外です。"


def submitted(programme: Programme, **kwargs: object) -> Application:
    application = complete(make_application(programme, **kwargs))  # type: ignore[arg-type]
    application.refresh_from_db()
    make_version(application)
    return application


def codes(application: Application) -> list[str]:
    return [item.code for item in application.round.rules.review.screening]


def open_documents(application: Application, who: User) -> None:
    for document in application.documents.filter(budget_line__isnull=True):
        screening.record_document_opening(actor=who, document=document)


def confirm_all(application: Application, who: User) -> None:
    open_documents(application, who)
    for code in codes(application):
        screening.confirm_item(application, actor=who, code=code, met=True)


def audit(application: Application) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type="applications.application", object_id=str(application.pk)
        ).order_by("seq")
    )


@pytest.fixture
def secretariat() -> User:
    return UserFactory(role=Role.SECRETARIAT)


def test_confirming_the_first_item_begins_screening_and_is_audited(
    programme: Programme, secretariat: User
) -> None:
    application = submitted(programme)
    check = screening.confirm_item(
        application, actor=secretariat, code="eligibility", met=True, note="確認済み"
    )
    application.refresh_from_db()
    assert application.status == workflow.SCREENING
    assert check.confirmed_by == secretariat and check.note == "確認済み" and check.finding["met"] is True
    actions = [e.action for e in audit(application)]
    assert actions[-2:] == ["application.begin_screening", "application.screening_item_confirmed"]
    assert audit(application)[-1].changes["finding"]["met"] is True
    # A second answer replaces the first.
    screening.confirm_item(application, actor=secretariat, code="eligibility", met=True)
    assert ScreeningCheck.objects.filter(application=application).count() == 1


def test_disagreeing_with_the_finding_needs_a_note(programme: Programme, secretariat: User) -> None:
    application = submitted(programme)
    # Documents not opened yet: the finding is "not met".
    with pytest.raises(ValidationError) as refused:
        screening.confirm_item(application, actor=secretariat, code="documents", met=True)
    assert "理由をメモに書いてください" in str(refused.value)
    assert not ScreeningCheck.objects.exists()
    screening.confirm_item(
        application, actor=secretariat, code="documents", met=True, note="紙の原本で確認した"
    )
    assert ScreeningCheck.objects.get().met is True


def test_an_unknown_item_is_refused(programme: Programme, secretariat: User) -> None:
    application = submitted(programme)
    with pytest.raises(ValidationError, match="形式審査にない項目"):
        screening.confirm_item(application, actor=secretariat, code="nothing", met=True)
    assert not ScreeningCheck.objects.exists()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.REVIEWER, Role.FINANCE, Role.ADVISOR, Role.APPLICANT])
def test_only_the_secretariat_confirms_and_decides(programme: Programme, role: str) -> None:
    application = submitted(programme)
    someone = UserFactory(role=role)
    with pytest.raises(PermissionDenied):
        screening.confirm_item(application, actor=someone, code="eligibility", met=True)
    with pytest.raises(PermissionDenied):
        screening.pass_screening(application, actor=someone)
    with pytest.raises(PermissionDenied):
        screening.reject_as_ineligible(application, actor=someone, reasons=REASONS)
    application.refresh_from_db()
    assert application.status == workflow.SUBMITTED
    assert not ScreeningCheck.objects.exists() and not ScreeningDecision.objects.exists()


def test_the_applicant_cannot_reject_their_own(programme: Programme) -> None:
    application = submitted(programme)
    with pytest.raises(PermissionDenied):
        screening.reject_as_ineligible(
            application, actor=representative_of(application.engagement), reasons="x"
        )


def test_pass_is_refused_until_every_item_is_confirmed_as_met(
    programme: Programme, secretariat: User
) -> None:
    application = submitted(programme)
    screening.confirm_item(application, actor=secretariat, code="eligibility", met=True)
    with pytest.raises(ValidationError) as refused:
        screening.pass_screening(application, actor=secretariat)
    assert "交付審査へ進められません" in str(refused.value)
    application.refresh_from_db()
    assert application.status == workflow.SCREENING
    assert not ScreeningDecision.objects.exists()
    # An item confirmed as not met refuses it too.
    confirm_all(application, secretariat)
    screening.confirm_item(application, actor=secretariat, code="training", met=False, note="受講記録に疑義")
    with pytest.raises(ValidationError):
        screening.pass_screening(application, actor=secretariat)


def test_pass_goes_to_review_with_the_findings_audited(programme: Programme, secretariat: User) -> None:
    application = submitted(programme)
    confirm_all(application, secretariat)
    decision = screening.pass_screening(application, actor=secretariat)
    application.refresh_from_db()
    assert application.status == workflow.IN_REVIEW
    assert decision.outcome == "passed" and decision.decided_by == secretariat
    entry = audit(application)[-1]
    assert entry.action == "application.pass_screening"
    assert entry.changes["to"] == workflow.IN_REVIEW
    assert [f["code"] for f in entry.changes["findings"]] == codes(application)
    assert all(f["confirmed_met"] is True for f in entry.changes["findings"])
    # Once passed, no second outcome.
    with pytest.raises((ValidationError, PermissionDenied)):
        screening.reject_as_ineligible(application, actor=secretariat, reasons=REASONS)
    assert len(mail.outbox) == 0


def test_reject_needs_reasons(programme: Programme, secretariat: User) -> None:
    application = submitted(programme)
    with pytest.raises(ValidationError) as refused:
        screening.reject_as_ineligible(application, actor=secretariat, reasons="   ")
    assert "reasons" in refused.value.message_dict
    application.refresh_from_db()
    assert application.status == workflow.SUBMITTED


def test_reject_as_ineligible_emails_once_and_is_audited(
    programme: Programme, secretariat: User, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    application = submitted(programme)
    with django_capture_on_commit_callbacks(execute=True):
        decision = screening.reject_as_ineligible(application, actor=secretariat, reasons=REASONS)
    application.refresh_from_db()
    assert application.status == workflow.REJECTED
    assert decision.reasons == REASONS
    entry = audit(application)[-1]
    assert entry.action == "application.reject_ineligible"
    assert entry.changes["reasons"] == REASONS and entry.changes["findings"]
    recipients = sorted(m.to[0] for m in mail.outbox)
    people = sorted(
        {m.user.email for m in application.engagement.members.select_related("user")}
        | {application.engagement.lead_advisor.email}
    )
    assert recipients == people
    assert all(REASONS in m.body and f"/applications/{application.pk}/" in m.body for m in mail.outbox)
    send_screening_rejection.call(decision.pk)
    assert len(mail.outbox) == len(people)


def test_the_applicant_and_the_advisor_read_the_reasons(
    programme: Programme, secretariat: User, client: Client
) -> None:
    application = submitted(programme)
    page = f"/applications/{application.pk}/"
    client.force_login(representative_of(application.engagement))
    assert "不採択となりました" not in client.get(page).content.decode()
    screening.reject_as_ineligible(application, actor=secretariat, reasons=REASONS)
    assert REASONS in client.get(page).content.decode()
    client.force_login(application.engagement.lead_advisor)
    assert REASONS in client.get(page).content.decode()


def test_a_staff_download_is_recorded(programme: Programme, client_for: Callable[[str], Client]) -> None:
    application = submitted(programme)
    document = application.documents.filter(budget_line__isnull=True).first()
    assert document is not None
    document.file.name = default_storage.save("applications/test/opened.pdf", ContentFile(b"%PDF-1.4 test"))
    document.save(update_fields=["file"])
    url = f"/applications/{application.pk}/documents/{document.pk}/"
    applicant = Client()
    applicant.force_login(representative_of(application.engagement))
    assert applicant.get(url).status_code == 200
    assert not DocumentOpening.objects.exists()
    staff = client_for(Role.SECRETARIAT)
    assert staff.get(url).status_code == 200
    assert staff.get(url).status_code == 200
    opening = DocumentOpening.objects.get(application=application, sha256=document.sha256)
    assert opening.opened_by.role == Role.SECRETARIAT
    assert opening.last_opened_at >= opening.first_opened_at

"""The workflow table and what guards it: every guard the table names is registered and every
registered guard is named; the database refuses a state (or entity type) outside the table; the
emails' "sent" markers are claim columns of their own."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from dxgrant.accounts.models import Role
from dxgrant.applications import guards, workflow
from dxgrant.applications.models import Application, ApplicationVersion, ReturnRequest
from dxgrant.applications.services.screening import return_for_correction
from dxgrant.applications.services.submission import mark_ready, submit_application
from dxgrant.applications.tasks import send_return_notice, send_submission_receipt
from tests.factories import UserFactory
from tests.factories.applications import complete, drafting, fill_application, make_application, make_version

pytestmark = pytest.mark.django_db


def test_every_guard_in_the_table_is_registered_and_every_registered_guard_is_used():
    named = {g for t in workflow.LIFECYCLE.transitions.values() for g in t.guards}
    assert named == set(guards.GUARDS)
    assert workflow.LIFECYCLE["submit"].guards == (
        workflow.CORRECTION_NOT_OVERDUE,
        workflow.WINDOW_OPEN,
        workflow.READY_TO_SUBMIT,
        workflow.SUPPORT_REQUIREMENTS_MET,
    )
    assert workflow.LIFECYCLE["mark_ready"].guards == (
        workflow.READY_TO_SUBMIT,
        workflow.SUPPORT_REQUIREMENTS_MET,
    )


def test_the_module_level_names_other_apps_read_are_the_table():
    assert workflow.TRANSITIONS == dict(workflow.LIFECYCLE.transitions)
    assert set(workflow.STATES) == set(workflow.LIFECYCLE.states)
    assert workflow.EDITABLE <= set(workflow.STATES) and workflow.ENDED <= set(workflow.STATES)


@pytest.mark.parametrize(("column", "value"), [("status", "approved"), ("entity_type", "partnership")])
def test_the_database_refuses_a_value_outside_the_choices(programme, column, value):
    application = drafting(programme).application
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(**{column: value})


def test_the_receipt_is_claimed_on_its_version(programme, django_capture_on_commit_callbacks):
    s = drafting(programme)
    complete(s.application)
    mark_ready(application=s.application, actor=s.advisor)
    with django_capture_on_commit_callbacks(execute=True):
        version = submit_application(
            application=s.application, actor=s.applicant, submission_token=uuid.uuid4()
        )
    sent = len(mail.outbox)
    assert sent >= 2
    assert ApplicationVersion.objects.get(pk=version.pk).receipt_emailed_at is not None
    send_submission_receipt.call(s.application.pk, version.pk)
    assert len(mail.outbox) == sent
    # The claim column is the marker: cleared (a resend), the receipt goes out again.
    ApplicationVersion.objects.filter(pk=version.pk).update(receipt_emailed_at=None)
    send_submission_receipt.call(s.application.pk, version.pk)
    assert len(mail.outbox) == 2 * sent


def test_the_return_notice_is_claimed_on_its_request_not_found_in_the_audit_log(
    programme, django_capture_on_commit_callbacks
):
    application = fill_application(make_application(programme))
    make_version(application)
    with django_capture_on_commit_callbacks(execute=True):
        request = return_for_correction(
            application, actor=UserFactory(role=Role.SECRETARIAT), comments={"profile": "資本金を確認"}
        )
    sent = len(mail.outbox)
    assert sent >= 2
    assert ReturnRequest.objects.get(pk=request.pk).notified_at is not None
    send_return_notice.call(request.pk)
    assert len(mail.outbox) == sent
    # The audit entry of the notice stays in the log, but it no longer decides: cleared, the
    # claim lets a resend go out.
    ReturnRequest.objects.filter(pk=request.pk).update(notified_at=None)
    send_return_notice.call(request.pk)
    assert len(mail.outbox) == 2 * sent

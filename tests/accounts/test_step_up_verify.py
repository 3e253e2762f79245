"""The one step-up check every final act uses (accounts.services.step_up.verify_for and
require_fresh): the submission, acceptance and payee change, and the results report call it with
their own audit action and email task."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from dxgrant.accounts.models import StepUpAttempt, StepUpOutcome, StepUpPurpose
from dxgrant.accounts.services import step_up
from dxgrant.applications import workflow
from dxgrant.awards import tasks as award_tasks
from dxgrant.integrity.models import AuditEntry
from tests.factories import UserFactory
from tests.factories.accounts import enrol_totp, totp_now
from tests.factories.applications import make_application
from tests.factories.support import representative_of

pytestmark = pytest.mark.django_db
LIMIT = 5


@pytest.fixture
def notified(programme):
    application = make_application(programme, status=workflow.ACCEPTED, company_name="株式会社コード")
    person = representative_of(application.engagement)
    enrol_totp(person)
    return application, person


def verify(application, person, code):
    return step_up.verify_for(
        user=person,
        code=code,
        purpose=StepUpPurpose.ACCEPTANCE,
        obj=application,
        refused_action="test.acceptance_code_refused",
        on_locked=award_tasks.send_code_locked,
        ip_address="192.0.2.1",
    )


def wrong(right: str) -> str:
    return "000000" if right != "000000" else "111111"


def test_the_right_code_is_accepted_and_nothing_is_audited(notified):
    application, person = notified
    start = dt.datetime.fromtimestamp((int(time.time()) // 30) * 30 + 1, tz=dt.UTC)
    with time_machine.travel(start, tick=False):
        check = verify(application, person, totp_now(person))
    assert check and check.attempt is not None and check.attempt.outcome == StepUpOutcome.ACCEPTED
    assert not AuditEntry.objects.filter(action="test.acceptance_code_refused").exists()


def test_wrong_codes_are_audited_against_the_object_and_the_limit_emails_once(
    notified, django_capture_on_commit_callbacks
):
    application, person = notified
    start = dt.datetime.fromtimestamp((int(time.time()) // 30) * 30 + 1, tz=dt.UTC)
    mail.outbox.clear()
    with time_machine.travel(start, tick=False):
        for n in range(1, LIMIT + 1):
            with django_capture_on_commit_callbacks(execute=True):
                check = verify(application, person, wrong(totp_now(person)))
            assert not check and check.attempt is not None
            if n < LIMIT:
                assert f"あと{LIMIT - n}回" in check.refusal
                assert len(mail.outbox) == 0
        assert "10分間は入力を受け付けません" in check.refusal
        assert len(mail.outbox) == 1
    entries = AuditEntry.objects.filter(action="test.acceptance_code_refused")
    assert entries.count() == LIMIT
    assert {e.object_id for e in entries} == {str(application.pk)}
    assert {e.changes["ip"] for e in entries} == {"192.0.2.1"}


def test_no_authenticator_records_nothing(programme):
    application = make_application(programme, status=workflow.ACCEPTED)
    person = representative_of(application.engagement)
    check = verify(application, person, "123456")
    assert not check and check.attempt is None
    assert "二段階認証" in check.refusal
    assert (
        not StepUpAttempt.objects.exists()
        and not AuditEntry.objects.filter(action__endswith="refused").exists()
    )


def test_require_fresh_wants_the_actors_own_accepted_recent_code_for_the_purpose(notified):
    application, person = notified
    now = timezone.now()

    def attempt(**kw):
        values = {
            "user": person,
            "purpose": StepUpPurpose.ACCEPTANCE,
            "at": now,
            "outcome": StepUpOutcome.ACCEPTED,
        }
        return StepUpAttempt.objects.create(**(values | kw))

    step_up.require_fresh(attempt(), actor=person, purpose=StepUpPurpose.ACCEPTANCE)
    refused = [
        None,
        attempt(user=UserFactory()),
        attempt(purpose=StepUpPurpose.SUBMISSION),
        attempt(outcome=StepUpOutcome.WRONG_CODE),
        attempt(at=now - step_up.FRESH_FOR - dt.timedelta(seconds=1)),
    ]
    for stale in refused:
        with pytest.raises(ValidationError) as error:
            step_up.require_fresh(stale, actor=person, purpose=StepUpPurpose.ACCEPTANCE)
        assert "code" in error.value.message_dict

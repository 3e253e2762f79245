"""Acceptance of the conditions (交付条件の受諾): the applicant only, only notified, within the
period from the notification, after a code from their authenticator app."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dxgrant.accounts.models import STEP_UP_ATTEMPT_LIMIT, StepUpAttempt, StepUpOutcome, StepUpPurpose
from dxgrant.applications import workflow
from dxgrant.awards import selectors
from dxgrant.awards.models import Acceptance, Instalment, InstalmentStatus
from dxgrant.awards.services import acceptance, codes
from dxgrant.integrity.models import AuditEntry
from tests.factories.accounts import enrol_totp, totp_now
from tests.factories.applications import make_application
from tests.factories.support import representative_of

from .conftest import notified

pytestmark = pytest.mark.django_db


def _code(user, application, purpose=StepUpPurpose.ACCEPTANCE):
    check = codes.verify_code(user=user, code=totp_now(user), application=application, purpose=purpose)
    assert check, check.refusal
    return check.attempt


def _attempt(user, purpose=StepUpPurpose.ACCEPTANCE, outcome=StepUpOutcome.ACCEPTED, minutes_ago=0):
    at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    return StepUpAttempt.objects.create(user=user, purpose=purpose, at=at, outcome=outcome)


def test_the_applicant_accepts_with_a_code(awarded):
    app, applicant = awarded.application, awarded.applicant
    done = acceptance.accept_conditions(application=app, actor=applicant, step_up=_code(applicant, app))
    app.refresh_from_db()
    assert app.status == workflow.ACCEPTED
    assert done.accepted_by == applicant
    assert [c["code"] for c in done.conditions] == [c.code for c in app.round.rules.awards.conditions]
    assert done.notified_on == timezone.localdate()
    assert done.last_day == timezone.localdate() + dt.timedelta(days=app.round.rules.awards.acceptance_days)
    entry = AuditEntry.objects.filter(action="application.accept").get()
    assert entry.changes["to"] == workflow.ACCEPTED and "reporting" in entry.changes["conditions"]
    # The round pays everything after acceptance: one instalment of the whole amount, due now.
    assert [(i.amount_yen, i.status) for i in Instalment.objects.filter(application=app)] == [
        (5_000_000, InstalmentStatus.DUE)
    ]


def test_the_advisor_is_refused_even_with_a_code_of_their_own(awarded):
    app, advisor = awarded.application, awarded.advisor
    enrol_totp(advisor)
    with pytest.raises(PermissionDenied, match="申請者ご本人"):
        acceptance.accept_conditions(application=app, actor=advisor, step_up=_code(advisor, app))
    app.refresh_from_db()
    assert app.status == workflow.NOTIFIED and not Acceptance.objects.exists()


def test_the_secretariat_is_refused(awarded):
    with pytest.raises(PermissionDenied):
        acceptance.accept_conditions(application=awarded.application, actor=awarded.secretariat, step_up=None)


def test_without_a_code_it_is_refused(awarded):
    with pytest.raises(ValidationError) as exc:
        acceptance.accept_conditions(application=awarded.application, actor=awarded.applicant, step_up=None)
    assert "code" in exc.value.message_dict
    assert not Acceptance.objects.exists()


def test_a_code_for_another_purpose_or_person_or_too_old_or_wrong_is_refused(awarded):
    app, applicant = awarded.application, awarded.applicant
    refused = [
        _attempt(applicant, purpose=StepUpPurpose.SUBMISSION),
        _attempt(awarded.advisor),
        _attempt(applicant, minutes_ago=6),
        _attempt(applicant, outcome=StepUpOutcome.WRONG_CODE),
    ]
    for attempt in refused:
        with pytest.raises(ValidationError):
            acceptance.accept_conditions(application=app, actor=applicant, step_up=attempt)
    app.refresh_from_db()
    assert app.status == workflow.NOTIFIED
    acceptance.accept_conditions(application=app, actor=applicant, step_up=_attempt(applicant, minutes_ago=4))


def test_a_wrong_code_is_refused_and_recorded(awarded):
    app, applicant = awarded.application, awarded.applicant
    check = codes.verify_code(
        user=applicant, code="000000", application=app, purpose=StepUpPurpose.ACCEPTANCE
    )
    assert not check and "あと4回" in check.refusal
    assert AuditEntry.objects.filter(action="awards.acceptance_code_refused").count() == 1
    assert StepUpAttempt.objects.filter(user=applicant, outcome=StepUpOutcome.WRONG_CODE).count() == 1


def _notified_days_ago(programme, secretariat, days):
    with time_machine.travel(timezone.now() - dt.timedelta(days=days)):
        return notified(programme, secretariat)


def test_after_the_period_it_is_refused_with_the_date(programme, secretariat):
    days = 30  # the round's acceptance_days (the schema's default)
    late = _notified_days_ago(programme, secretariat, days + 1)
    app, applicant = late.application, late.applicant
    assert app.round.rules.awards.acceptance_days == days
    last = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(ValidationError, match=f"受諾の期限（{last.isoformat()}）を過ぎている"):
        acceptance.accept_conditions(application=app, actor=applicant, step_up=_code(applicant, app))
    app.refresh_from_db()
    assert app.status == workflow.NOTIFIED and not Acceptance.objects.exists()


def test_the_last_day_counts_in_full(programme, secretariat):
    on_time = _notified_days_ago(programme, secretariat, 30)
    app, applicant = on_time.application, on_time.applicant
    assert selectors.acceptance_period(app).last_day == timezone.localdate()
    acceptance.accept_conditions(application=app, actor=applicant, step_up=_code(applicant, app))
    app.refresh_from_db()
    assert app.status == workflow.ACCEPTED


def test_not_notified_is_refused(programme, secretariat):
    app = make_application(programme, status=workflow.AWARDED)
    applicant = representative_of(app.engagement)
    with pytest.raises(ValidationError, match="交付決定の通知を受けた申請"):
        acceptance.accept_conditions(application=app, actor=applicant, step_up=None)


def test_twice_is_refused(awarded):
    app, applicant = awarded.application, awarded.applicant
    code = _code(applicant, app)
    acceptance.accept_conditions(application=app, actor=applicant, step_up=code)
    with pytest.raises(ValidationError, match="すでに受諾"):
        acceptance.accept_conditions(application=app, actor=applicant, step_up=code)
    assert Acceptance.objects.count() == 1


def test_five_wrong_codes_stop_the_tries_and_the_applicant_is_told_once(
    awarded, django_capture_on_commit_callbacks
):
    app, applicant = awarded.application, awarded.applicant
    mail.outbox.clear()
    for _ in range(STEP_UP_ATTEMPT_LIMIT + 1):
        with django_capture_on_commit_callbacks(execute=True):
            check = codes.verify_code(
                user=applicant, code="000000", application=app, purpose=StepUpPurpose.ACCEPTANCE
            )
        assert not check
    assert "受け付けません" in check.refusal
    held = codes.verify_code(
        user=applicant, code=totp_now(applicant), application=app, purpose=StepUpPurpose.ACCEPTANCE
    )
    assert not held and "受け付けません" in held.refusal
    told = [m for m in mail.outbox if applicant.email in m.to]
    assert len(told) == 1, [m.subject for m in mail.outbox]
    assert "交付条件の受諾" in told[0].subject and f"/applications/{app.pk}/acceptance/" in told[0].body
    assert (
        AuditEntry.objects.filter(action="awards.acceptance_code_refused").count()
        == STEP_UP_ATTEMPT_LIMIT + 2
    )

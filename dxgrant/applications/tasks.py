"""Emails about the application, sent the one house way (core.notify): a service enqueues the
task on commit with ids; the task claims the row's "sent" column and sends in one transaction,
so a failed send is rolled back and retried, and a repeated task sends nothing. Tasks read
models and plain read modules, never services."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from dxgrant.accounts.models import STEP_UP_ATTEMPT_LIMIT, STEP_UP_ATTEMPT_WINDOW, StepUpAttempt, User
from dxgrant.core import notify
from dxgrant.integrity.services import audit_record

from . import workflow
from .models import Application, ApplicationVersion, ReturnRequest, ScreeningDecision
from .returns import return_sections


def _applicants_people(application: Application) -> list[User]:
    """The applicant company's people with an active account, one each."""
    people = [m.user for m in application.engagement.members.select_related("user") if m.user.is_active]
    return list({p.pk: p for p in people}.values())


@task()
def send_confirmation_request(application_id: int) -> None:
    """Tell the applicant's people that the advisor asks for their final confirmation, with a
    link to the application. Claims Application.confirmation_requested_notified_at (cleared by
    each new request); an application no longer awaiting them is not announced."""
    with transaction.atomic():
        application = (
            Application.objects.select_related("round", "firm", "engagement__lead_advisor")
            .filter(pk=application_id, status=workflow.AWAITING_CONFIRMATION)
            .first()
        )
        if application is None or not notify.claim(
            Application, application.pk, "confirmation_requested_notified_at"
        ):
            return
        link = notify.site_url(reverse("applications:detail", args=[application.pk]))
        for person in _applicants_people(application):
            context = {"application": application, "link": link, "user": person}
            notify.send_email("applications/email/confirmation_requested", context, to=person)


@task()
def send_submission_receipt(application_id: int, version_id: int) -> None:
    """Tell the applicant's people and the lead advisor that the application was received.
    Claims ApplicationVersion.receipt_emailed_at (one receipt per submitted version)."""
    with transaction.atomic():
        version = (
            ApplicationVersion.objects.select_related(
                "application__engagement__lead_advisor", "application__round"
            )
            .filter(pk=version_id, application_id=application_id)
            .first()
        )
        if version is None or not notify.claim(ApplicationVersion, version.pk, "receipt_emailed_at"):
            return
        application = version.application
        people = [m.user for m in application.engagement.members.select_related("user")]
        lead = application.engagement.lead_advisor
        if lead is not None:
            people.append(lead)
        link = notify.site_url(reverse("applications:detail", args=[application.pk]))
        context = {"application": application, "version": version, "link": link}
        for person in people:
            notify.send_email("applications/email/submitted", context, to=person)


@task()
def send_return_notice(return_request_id: int) -> None:
    """Tell the applicant's people and the lead advisor that the application was returned, with
    each comment and the due date. Claims ReturnRequest.notified_at; the audit entry
    "application.return_notified" records who was told (the staff page's history shows it)."""
    with transaction.atomic():
        request = (
            ReturnRequest.objects.select_related(
                "application__round", "application__engagement__lead_advisor"
            )
            .filter(pk=return_request_id)
            .first()
        )
        if request is None or not notify.claim(ReturnRequest, request.pk, "notified_at"):
            return
        application = request.application
        engagement = application.engagement
        people = _applicants_people(application)
        if engagement.lead_advisor.is_active:
            people.append(engagement.lead_advisor)
        recipients = list({p.pk: p for p in people}.values())  # one email per person
        # The application itself: the comments are on it, beside what they ask to correct.
        link = notify.site_url(reverse("applications:detail", args=[application.pk]))
        for user in recipients:
            language = notify.language_of(user)
            with translation.override(language):
                titles = dict(return_sections(application))
                comments = [(titles.get(code, code), text) for code, text in request.comments.items()]
            context: dict[str, object] = {
                "application": application,
                "request": request,
                "comments": comments,
                "link": link,
                "user": user,
            }
            notify.send_email("applications/staff/email/returned", context, to=user, language=language)
        audit_record(
            actor=None,
            action="application.return_notified",
            obj=request,
            changes={"recipients": [u.email for u in recipients]},
        )


@task()
def send_screening_rejection(decision_id: int) -> None:
    """Tell the applicant's people and the lead advisor that the formal screening rejected the
    application, with the reasons and a link to the application (where the reasons stay).
    Claims ScreeningDecision.notified_at; the audit entry "application.screening_rejection_notified"
    records who was told."""
    with transaction.atomic():
        decision = (
            ScreeningDecision.objects.select_related(
                "application__round", "application__engagement__lead_advisor"
            )
            .filter(pk=decision_id, outcome="rejected")
            .first()
        )
        if decision is None or not notify.claim(ScreeningDecision, decision.pk, "notified_at"):
            return
        application = decision.application
        people = _applicants_people(application)
        lead = application.engagement.lead_advisor
        if lead is not None and lead.is_active:
            people.append(lead)
        recipients = list({p.pk: p for p in people}.values())
        link = notify.site_url(reverse("applications:detail", args=[application.pk]))
        for user in recipients:
            context = {"application": application, "decision": decision, "link": link, "user": user}
            notify.send_email("applications/staff/email/screening_rejected", context, to=user)
        audit_record(
            actor=None,
            action="application.screening_rejection_notified",
            obj=decision,
            changes={"recipients": [u.email for u in recipients]},
        )


@task()
def send_submission_code_locked(application_id: int, attempt_id: int) -> None:
    """Tell the person whose submission codes were refused too often that tries are stopped
    for ten minutes (someone else may be guessing). Claims StepUpAttempt.lock_notified_at."""
    with transaction.atomic():
        attempt = StepUpAttempt.objects.select_related("user").filter(pk=attempt_id).first()
        application = Application.objects.filter(pk=application_id).first()
        if attempt is None or application is None:
            return
        if not notify.claim(StepUpAttempt, attempt.pk, "lock_notified_at"):
            return
        context = {
            "application": application,
            "attempt": attempt,
            "user": attempt.user,
            "limit": STEP_UP_ATTEMPT_LIMIT,
            "minutes": int(STEP_UP_ATTEMPT_WINDOW.total_seconds() // 60),
            "link": notify.site_url(reverse("applications:detail", args=[application.pk])),
        }
        notify.send_email("applications/email/submission_code_locked", context, to=attempt.user)

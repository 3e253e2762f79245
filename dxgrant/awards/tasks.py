"""Emails about notices and payments, sent the one house way (core.notify): a service enqueues the
task on commit with ids; the task claims a column (`emailed_at`, `paid_emailed_at`) and sends in one
transaction. Emails carry a link to the page, never the PDF. Tasks read models, never services."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django_tasks import task

from dxgrant.accounts.models import (
    STEP_UP_ATTEMPT_LIMIT,
    STEP_UP_ATTEMPT_WINDOW,
    StepUpAttempt,
    StepUpPurpose,
    User,
)
from dxgrant.applications.models import Application
from dxgrant.core import notify
from dxgrant.integrity.services import audit_record

from . import selectors
from .final_models import FinalAmount
from .models import Cancellation, Instalment, InstalmentStatus, Notice, NoticeStatus


def _people(notice: Notice) -> list[User]:
    """The applicant company's active people and the lead advisor, one each."""
    engagement = notice.application.engagement
    people = [m.user for m in engagement.members.select_related("user") if m.user.is_active]
    if engagement.lead_advisor.is_active:
        people.append(engagement.lead_advisor)
    return list({p.pk: p for p in people}.values())


@task()
def send_notice_issued(notice_id: int) -> None:
    """Tell the applicant's people and the lead advisor that their notice is issued, with a link
    to the notice's page. A cancelled notice is not announced."""
    with transaction.atomic():
        notice = (
            Notice.objects.select_related("application__engagement__lead_advisor")
            .filter(pk=notice_id, status=NoticeStatus.VALID)
            .first()
        )
        if notice is None or not notify.claim(Notice, notice.pk, "emailed_at"):
            return
        link = notify.site_url(reverse("notices:notice", args=[notice.application_id]))
        recipients = _people(notice)
        for user in recipients:
            context = {"notice": notice, "application": notice.application, "link": link, "user": user}
            notify.send_email("awards/email/notice_issued", context, to=user)
        audit_record(
            actor=None,
            action="awards.notice_emailed",
            obj=notice,
            changes={"recipients": [u.email for u in recipients]},
        )


# --- payments ---


@task()
def send_instalment_paid(instalment_id: int) -> None:
    """Tell the applicant's people an instalment was transferred (amount, date), once."""
    with transaction.atomic():
        instalment = (
            Instalment.objects.select_related("application__engagement")
            .filter(pk=instalment_id, status=InstalmentStatus.PAID)
            .first()
        )
        if instalment is None or not notify.claim(Instalment, instalment.pk, "paid_emailed_at"):
            return
        application = instalment.application
        people = [m.user for m in application.engagement.members.select_related("user") if m.user.is_active]
        recipients = list({p.pk: p for p in people}.values())
        link = notify.site_url(reverse("applications:detail", args=[application.pk]))
        for user in recipients:
            context = {"application": application, "instalment": instalment, "link": link, "user": user}
            notify.send_email("awards/email/instalment_paid", context, to=user)
        audit_record(
            actor=None,
            action="awards.instalment_paid_notified",
            obj=instalment,
            changes={"recipients": [u.email for u in recipients]},
        )


@task()
def send_code_locked(application_id: int, attempt_id: int) -> None:
    """Tell the person whose codes for accepting the conditions or changing the account were
    refused too often that tries are stopped for ten minutes (someone else may be guessing), as
    the final submission does. Claims StepUpAttempt.lock_notified_at."""
    with transaction.atomic():
        attempt = StepUpAttempt.objects.select_related("user").filter(pk=attempt_id).first()
        application = Application.objects.filter(pk=application_id).first()
        if attempt is None or application is None:
            return
        if not notify.claim(StepUpAttempt, attempt.pk, "lock_notified_at"):
            return
        page = "payee:accept" if attempt.purpose == StepUpPurpose.ACCEPTANCE else "payee:account"
        context = {
            "application": application,
            "attempt": attempt,
            "acceptance": attempt.purpose == StepUpPurpose.ACCEPTANCE,
            "user": attempt.user,
            "limit": STEP_UP_ATTEMPT_LIMIT,
            "minutes": int(STEP_UP_ATTEMPT_WINDOW.total_seconds() // 60),
            "link": notify.site_url(reverse(page, args=[application.pk])),
        }
        notify.send_email("awards/email/code_locked", context, to=attempt.user)


# --- cancellation ---


@task()
def send_cancellation(cancellation_id: int) -> None:
    """Tell the applicant's people that the award is cancelled (the reason, and any repayment
    demanded with its due date), with a link to the application's page. Claims emailed_at."""
    with transaction.atomic():
        cancellation = (
            Cancellation.objects.select_related("application__engagement").filter(pk=cancellation_id).first()
        )
        if cancellation is None or not notify.claim(Cancellation, cancellation.pk, "emailed_at"):
            return
        application = cancellation.application
        demand = getattr(cancellation, "demand", None)
        people = [m.user for m in application.engagement.members.select_related("user") if m.user.is_active]
        recipients = list({p.pk: p for p in people}.values())
        link = notify.site_url(reverse("applications:detail", args=[application.pk]))
        for user in recipients:
            context = {
                "application": application,
                "cancellation": cancellation,
                "demand": demand,
                "account": selectors.repayment_account(application) if demand else None,
                "link": link,
                "user": user,
            }
            notify.send_email("awards/email/cancelled", context, to=user)
        audit_record(
            actor=None,
            action="awards.cancellation_emailed",
            obj=cancellation,
            changes={"recipients": [u.email for u in recipients]},
        )


# --- final amount ---


@task()
def send_final_amount(final_amount_id: int) -> None:
    """Tell the applicant's people and the lead advisor the final amount (額の確定) and, where
    more was paid than it, the repayment demanded with its due date and where to pay it, with a
    link to the application's page. Claims FinalAmount.emailed_at."""
    with transaction.atomic():
        final = (
            FinalAmount.objects.select_related("application__engagement__lead_advisor")
            .filter(pk=final_amount_id)
            .first()
        )
        if final is None or not notify.claim(FinalAmount, final.pk, "emailed_at"):
            return
        application = final.application
        demand = getattr(final, "demand", None)
        engagement = application.engagement
        people = [m.user for m in engagement.members.select_related("user") if m.user.is_active]
        if engagement.lead_advisor.is_active:
            people.append(engagement.lead_advisor)
        recipients = list({p.pk: p for p in people}.values())
        link = notify.site_url(reverse("applications:detail", args=[application.pk]))
        remaining = sum(
            i.amount_yen
            for i in application.instalments.all()
            if i.status in (InstalmentStatus.PENDING, InstalmentStatus.DUE, InstalmentStatus.IN_BATCH)
        )
        for user in recipients:
            context = {
                "application": application,
                "final": final,
                "remaining_yen": remaining,
                "demand": demand,
                "account": selectors.repayment_account(application) if demand else None,
                "link": link,
                "user": user,
            }
            notify.send_email("awards/email/final_amount", context, to=user)
        audit_record(
            actor=None,
            action="awards.final_amount_emailed",
            obj=final,
            changes={"recipients": [u.email for u in recipients]},
        )

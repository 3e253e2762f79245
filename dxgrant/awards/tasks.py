"""Emails of the acceptance and the payee account (core.notify: enqueued on commit with ids,
claimed and sent in one transaction)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django_tasks import task

from dxgrant.accounts.models import (
    STEP_UP_ATTEMPT_LIMIT,
    STEP_UP_ATTEMPT_WINDOW,
    StepUpAttempt,
    StepUpPurpose,
)
from dxgrant.applications.models import Application
from dxgrant.core import notify


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

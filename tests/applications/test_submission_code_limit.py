"""The one-time code that confirms a submission cannot be guessed without limit: five wrong codes
in ten minutes stop further tries (even the right code) until the ten minutes have passed; each
failure is in the audit log, the page says how many tries are left, and the applicant is emailed
when the limit is reached."""

from __future__ import annotations

import datetime as dt
import time
import uuid

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache

from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.applications.services.submission import mark_ready
from dxgrant.integrity.models import AuditEntry
from tests.applications.test_core_views import digest_on
from tests.factories.accounts import enrol_totp, signed_in, totp_now
from tests.factories.applications import complete, drafting

pytestmark = pytest.mark.django_db
# Wrong codes allowed in ten minutes (the programme's security rule, not a tunable of the test).
STEP_UP_ATTEMPT_LIMIT = 5


@pytest.fixture
def confirming(programme):  # type: ignore[no-untyped-def]
    s = drafting(programme)
    complete(s.application)
    mark_ready(application=s.application, actor=s.advisor)
    enrol_totp(s.applicant)
    return s


def wrong_code(right: str) -> str:
    return "000000" if right != "000000" else "111111"


def test_wrong_codes_are_limited_then_even_the_right_code_waits(
    confirming, django_capture_on_commit_callbacks
):
    s = confirming
    url = f"/applications/{s.application.pk}/confirm/"
    # The clock stands still at the start of a code period, so no code expires mid-test.
    start = dt.datetime.fromtimestamp((int(time.time()) // 30) * 30 + 1, tz=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client = signed_in(s.applicant)
        fields = {
            "confirm": "on",
            "submission_token": str(uuid.uuid4()),
            "content_digest": digest_on(client.get(url)),
        }
        mail.outbox.clear()
        for attempt in range(1, STEP_UP_ATTEMPT_LIMIT + 1):
            with django_capture_on_commit_callbacks(execute=True):
                refused = client.post(url, {"code": wrong_code(totp_now(s.applicant)), **fields})
            assert refused.status_code == 400
            page = refused.content.decode()
            left = STEP_UP_ATTEMPT_LIMIT - attempt
            if left:
                assert f"あと{left}回" in page, page
        assert "10分" in page and "受け付けません" in page
        # The right code now is refused too, and nothing is submitted.
        with django_capture_on_commit_callbacks(execute=True):
            held = client.post(url, {"code": totp_now(s.applicant), **fields})
        assert held.status_code == 400 and "受け付けません" in held.content.decode()
        assert Application.objects.get(pk=s.application.pk).status == workflow.AWAITING_CONFIRMATION
        # Every failure is in the audit log, against the application.
        refusals = AuditEntry.objects.filter(
            action="application.submission_code_refused", object_id=str(s.application.pk)
        )
        assert refusals.count() == STEP_UP_ATTEMPT_LIMIT + 1
        # The applicant is told by email, once.
        told = [m for m in mail.outbox if s.applicant.email in m.to]
        assert len(told) == 1, [m.subject for m in mail.outbox]
        assert "認証コード" in told[0].subject
        assert f"/applications/{s.application.pk}/" in told[0].body
        # Ten minutes later the right code submits.
        clock.shift(dt.timedelta(minutes=10, seconds=1))
        cache.clear()  # allauth remembers the code used above as spent
        done = client.post(url, {"code": totp_now(s.applicant), **fields})
    assert done.status_code == 302, done.content.decode()[:3000]
    assert Application.objects.get(pk=s.application.pk).status == workflow.SUBMITTED


def test_a_right_code_clears_the_wrong_ones_before_it(confirming):
    s = confirming
    url = f"/applications/{s.application.pk}/confirm/"
    client = signed_in(s.applicant)
    fields = {
        "confirm": "on",
        "submission_token": str(uuid.uuid4()),
        "content_digest": digest_on(client.get(url)),
    }
    for _ in range(STEP_UP_ATTEMPT_LIMIT - 1):
        client.post(url, {"code": wrong_code(totp_now(s.applicant)), **fields})
    done = client.post(url, {"code": totp_now(s.applicant), **fields})
    assert done.status_code == 302

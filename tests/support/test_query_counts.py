"""List and detail pages of advisor support stay flat as data grows (exact counts per page are
in tests/pages/support.py and checked by tests/test_query_counts.py)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.support.models import Attendance, HearingResponse, TrainingQuizAttempt
from dxgrant.support.services import invitations
from tests.factories import UserFactory
from tests.factories.accounts import signed_in
from tests.factories.support import engagement_for, hearing_for, session_for

pytestmark = pytest.mark.django_db


def count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    client.get("/warm-up-404")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]])


def fill(engagement, people: int = 2) -> None:  # type: ignore[no-untyped-def]
    """Everything a busy engagement has: members, hearings in each state, sessions with
    attendance (one cancelled), quiz attempts, invitations."""
    members = [UserFactory(role=Role.APPLICANT) for _ in range(people)]
    for person in members:
        engagement.members.create(user=person, role="staff")
    for response in (HearingResponse.PENDING, HearingResponse.ACKNOWLEDGED, HearingResponse.DISPUTED):
        extra = {}
        if response != HearingResponse.PENDING:
            extra = {
                "responded_by": members[0],
                "responded_at": timezone.now(),
                "response_comment": "違います",
            }
        hearing_for(engagement, response=response, **extra)
    for days, unit in ((-9, "dx_management"), (-8, "data_operations"), (3, "security_operations")):
        session = session_for(
            engagement,
            starts_at=timezone.now() + dt.timedelta(days=days),
            curriculum_code=unit,
            invitees=tuple(members),
        )
        if days < 0:
            for person in members:
                Attendance.objects.create(session=session, user=person, checked_in_at=session.starts_at)
    session_for(engagement, starts_at=timezone.now() - dt.timedelta(days=5), cancelled_at=timezone.now())
    for passed in (False, True):
        TrainingQuizAttempt.objects.create(
            engagement=engagement,
            user=members[0],
            answers={},
            score_percent=100 if passed else 0,
            passed=passed,
            submission_token=uuid.uuid4(),
        )
    invitations.create_invitation(
        actor=engagement.lead_advisor,
        engagement=engagement,
        name="招待中",
        email=f"pending-{uuid.uuid4().hex[:8]}@example.jp",
        role="staff",
    )


def test_the_dashboard_and_the_staff_list_stay_flat(engagement, firm, advisor, round_open, client_for):
    adviser, staff = signed_in(advisor), client_for(Role.SECRETARIAT)
    # One engagement with everything (an empty one skips the nested prefetches), then many.
    fill(engagement)
    small = count(adviser, "/support/"), count(staff, "/support/staff/")
    for _ in range(12):
        fill(engagement_for(firm, advisor, round_open))
    large = count(adviser, "/support/"), count(staff, "/support/staff/")
    assert small == large
    assert "異議のあるヒアリング記録 1件" in adviser.get("/support/").content.decode()


def test_the_applicants_list_stays_flat(firm, advisor, round_open, representative, engagement):
    client = signed_in(representative)
    fill(engagement)
    small = count(client, "/support/my/")
    for _ in range(5):
        other = engagement_for(firm, advisor, round_open)
        other.members.create(user=representative, role="staff")
        fill(other)
    assert count(client, "/support/my/") == small


@pytest.mark.parametrize(
    "url",
    ["/support/engagements/{pk}/", "/support/engagements/{pk}/attendance/", "/support/my/{pk}/"],
)
def test_an_engagement_page_stays_flat_as_its_records_grow(engagement, advisor, representative, url):
    client = signed_in(representative if url.startswith("/support/my/") else advisor)
    fill(engagement)
    small = count(client, url.format(pk=engagement.pk))
    for _ in range(4):
        fill(engagement)
    assert count(client, url.format(pk=engagement.pk)) == small


def test_a_session_page_stays_flat_as_attendance_grows(engagement, advisor):
    session = session_for(engagement)
    client = signed_in(advisor)
    small = count(client, f"/support/training/{session.pk}/")
    for _ in range(15):
        person = UserFactory(role=Role.APPLICANT)
        engagement.members.create(user=person, role="staff")
        session.invitees.add(person)
        Attendance.objects.create(session=session, user=person, checked_in_at=session.starts_at)
    assert count(client, f"/support/training/{session.pk}/") == small


def test_the_dashboard_pages_by_key(engagement, firm, advisor, round_open):
    for _ in range(55):
        engagement_for(firm, advisor, round_open)
    client = signed_in(advisor)
    first = client.get("/support/").content.decode()
    assert "さらに前の支援先" in first
    import re

    before = re.search(r"before=(\d+)", first)
    assert before
    second = client.get(f"/support/?before={before.group(1)}").content.decode()
    assert engagement.company_name in second and "さらに前の支援先" not in second

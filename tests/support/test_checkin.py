"""Training attendance is recorded only by the attendee's own check-in, with the code shown in
the session, inside the session's time window, once per person. Nobody can do it for them."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from dxgrant.accounts.models import Role
from dxgrant.advisors.models import CertificationState
from dxgrant.integrity.models import AuditEntry
from dxgrant.support import checkin
from dxgrant.support.admin import AttendanceAdmin
from dxgrant.support.models import Attendance, CheckInAttempt, CheckInOutcome
from dxgrant.support.services import attendance
from tests.factories import UserFactory
from tests.factories.accounts import signed_in
from tests.factories.support import code_now, session_for

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
# 13:00 in Tokyo is 04:00 UTC: a boundary of the five-minute code windows.
START = dt.datetime(2026, 12, 1, 13, 0, tzinfo=TOKYO)
GRACE = dt.timedelta(minutes=15)  # checkin_grace_minutes of the round


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


@pytest.fixture
def session(engagement):  # type: ignore[no-untyped-def]
    return session_for(engagement, starts_at=START, hours=2)


def code_at(session, moment: dt.datetime) -> str:  # type: ignore[no-untyped-def]
    """What the HMAC gives for that moment, whether or not the window is open."""
    return checkin._code(session, checkin._slot(moment))


def post_code(client, session, code: str):  # type: ignore[no-untyped-def]
    return client.post(f"/support/training/{session.pk}/check-in/", {"code": code})


def refusals(session) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        e.changes["reason"]
        for e in AuditEntry.objects.filter(
            action="support.checkin_refused", object_type="support.trainingsession", object_id=str(session.pk)
        )
    ]


# --- The code itself -----------------------------------------------------------------------------


def test_the_code_is_six_digits_and_changes_every_five_minutes(session, engagement, time_machine):
    time_machine.move_to(START + minutes(1), tick=False)
    first = code_now(session)
    assert re.fullmatch(r"[0-9]{6}", first)
    time_machine.move_to(START + minutes(4), tick=False)
    assert code_now(session) == first
    time_machine.move_to(START + minutes(6), tick=False)
    assert code_now(session) != first
    other = session_for(engagement, starts_at=START, hours=2)
    assert code_now(other) != code_now(session), "each session has its own code"


def test_no_code_is_shown_outside_the_window(session, time_machine):
    time_machine.move_to(START - minutes(1), tick=False)
    assert code_now(session) == ""
    time_machine.move_to(START + dt.timedelta(hours=2) + GRACE + minutes(1), tick=False)
    assert code_now(session) == ""


def test_the_previous_code_still_works_but_not_the_one_before(session, time_machine):
    time_machine.move_to(START + minutes(1), tick=False)
    shown = code_now(session)
    time_machine.move_to(START + minutes(6), tick=False)
    assert checkin.code_matches(session, shown)
    time_machine.move_to(START + minutes(11), tick=False)
    assert not checkin.code_matches(session, shown)


def test_full_width_digits_and_spaces_are_accepted(session, time_machine):
    time_machine.move_to(START + minutes(1), tick=False)
    code = code_now(session)
    typed = " ".join(code[:3].translate(str.maketrans("0123456789", "０１２３４５６７８９"))) + " " + code[3:]
    assert checkin.code_matches(session, typed)


# --- Checking in ---------------------------------------------------------------------------------


def test_the_attendee_checks_in_with_the_code_during_the_session(
    session, representative, client, time_machine
):
    time_machine.move_to(START + minutes(20), tick=False)
    applicant = signed_in(representative)
    page = applicant.get(f"/support/training/{session.pk}/check-in/").content.decode()
    assert "出席コード（6桁）" in page and "山田 花子 さんの出席として記録します" in page
    response = post_code(applicant, session, code_now(session))
    assert response["Location"] == f"/support/training/{session.pk}/"
    shown = applicant.get(response["Location"]).content.decode()
    assert "出席を記録しました" in shown
    attendance = Attendance.objects.get(session=session, user=representative)
    assert attendance.checked_in_at == START + minutes(20)
    assert AuditEntry.objects.filter(action="support.checked_in", actor=representative).count() == 1


def test_a_second_check_in_says_already_checked_in_and_records_nothing_more(
    session, representative, time_machine
):
    time_machine.move_to(START + minutes(20), tick=False)
    applicant = signed_in(representative)
    post_code(applicant, session, code_now(session))
    again = post_code(applicant, session, code_now(session))
    assert "すでに出席を記録しています" in applicant.get(again["Location"]).content.decode()
    assert Attendance.objects.filter(session=session, user=representative).count() == 1


def test_a_wrong_code_is_refused_recorded_in_the_audit_log_and_nothing_else(
    session, representative, time_machine
):
    time_machine.move_to(START + minutes(20), tick=False)
    right = code_now(session)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = post_code(signed_in(representative), session, wrong)
    assert response.status_code == 400
    assert "コードが正しくありません" in response.content.decode()
    assert not Attendance.objects.exists()
    assert refusals(session) == ["wrong_code"]


@pytest.mark.parametrize(
    ("moment", "reason", "message"),
    [
        (START - minutes(1), "before_window", "まだ研修の開始時刻前です"),
        (
            START + dt.timedelta(hours=2) + GRACE + minutes(1),
            "after_window",
            "出席を受け付ける時間が終了しました",
        ),
    ],
)
def test_the_right_code_outside_the_window_is_refused(
    session, representative, time_machine, moment, reason, message
):
    time_machine.move_to(moment, tick=False)
    response = post_code(signed_in(representative), session, code_at(session, moment))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Attendance.objects.exists()
    assert refusals(session) == [reason]


def test_check_in_is_accepted_during_the_grace_minutes_after_the_end(session, representative, time_machine):
    moment = START + dt.timedelta(hours=2) + GRACE - minutes(1)
    time_machine.move_to(moment, tick=False)
    response = post_code(signed_in(representative), session, code_at(session, moment))
    assert response.status_code == 302
    assert Attendance.objects.filter(user=representative).exists()


def test_after_five_wrong_codes_even_the_right_one_waits(session, representative, time_machine):
    time_machine.move_to(START + minutes(20), tick=False)
    applicant = signed_in(representative)
    for wrong in ["000000", "111111", "222222", "333333", "444444"]:
        if wrong != code_now(session):
            post_code(applicant, session, wrong)
    blocked = post_code(applicant, session, code_now(session))
    assert blocked.status_code == 400 and "しばらく受け付けません" in blocked.content.decode()
    assert not Attendance.objects.exists()
    # Ten minutes later the limit has passed.
    time_machine.move_to(START + minutes(31), tick=False)
    assert post_code(applicant, session, code_now(session)).status_code == 302


def test_each_attempt_is_stored_with_its_outcome(session, representative, time_machine):
    time_machine.move_to(START + minutes(20), tick=False)
    applicant = signed_in(representative)
    post_code(applicant, session, f"{(int(code_now(session)) + 1) % 1_000_000:06d}")
    post_code(applicant, session, code_now(session))
    stored = CheckInAttempt.objects.filter(session=session, user=representative).order_by("id")
    assert [a.outcome for a in stored] == [CheckInOutcome.WRONG_CODE, CheckInOutcome.CHECKED_IN]
    assert all(a.at == START + minutes(20) for a in stored)
    # The audit log records the refusal too, for the record.
    assert refusals(session) == ["wrong_code"]


def test_the_limit_counts_stored_attempts_and_holds_with_an_empty_audit_log(
    session, representative, time_machine
):
    time_machine.move_to(START + minutes(20), tick=False)
    for n in range(5):
        CheckInAttempt.objects.create(
            session=session,
            user=representative,
            at=START + minutes(11 + n),
            outcome=CheckInOutcome.WRONG_CODE,
        )
    assert not AuditEntry.objects.filter(action="support.checkin_refused").exists()
    blocked = post_code(signed_in(representative), session, code_now(session))
    assert blocked.status_code == 400 and "しばらく受け付けません" in blocked.content.decode()
    assert not Attendance.objects.exists()


def test_attempts_older_than_ten_minutes_and_other_peoples_do_not_count(
    engagement, session, representative, time_machine
):
    colleague = UserFactory(role=Role.APPLICANT)
    engagement.members.create(user=colleague, role="staff")
    time_machine.move_to(START + minutes(30), tick=False)
    for n in range(5):
        CheckInAttempt.objects.create(
            session=session,
            user=representative,
            at=START + minutes(19 - n),
            outcome=CheckInOutcome.WRONG_CODE,
        )
        CheckInAttempt.objects.create(
            session=session, user=colleague, at=START + minutes(25), outcome=CheckInOutcome.WRONG_CODE
        )
    assert post_code(signed_in(representative), session, code_now(session)).status_code == 302


def test_only_invited_people_check_in(engagement, representative, time_machine):
    staff = UserFactory(role=Role.APPLICANT)
    engagement.members.create(user=staff, role="staff")
    session = session_for(engagement, starts_at=START, invitees=(staff,))
    time_machine.move_to(START + minutes(5), tick=False)
    page = signed_in(representative).get(f"/support/training/{session.pk}/").content.decode()
    assert "この研修の参加者として招待されていません" in page and "出席コードを入力する" not in page
    refused = post_code(signed_in(representative), session, code_now(session))
    assert refused.status_code == 403 and "招待されていません" in refused.content.decode()
    assert post_code(signed_in(staff), session, code_now(session)).status_code == 302
    assert list(Attendance.objects.values_list("user", flat=True)) == [staff.pk]


def test_a_cancelled_session_takes_no_check_in(session, representative, time_machine):
    time_machine.move_to(START + minutes(5), tick=False)
    code = code_now(session)
    session.cancelled_at = START
    session.save()
    assert post_code(signed_in(representative), session, code).status_code == 403
    assert not Attendance.objects.exists()


def test_a_suspended_firm_shows_no_code_and_takes_no_check_in(
    session, firm, advisor, representative, time_machine
):
    time_machine.move_to(START + minutes(5), tick=False)
    code = code_now(session)
    firm.certification_state = CertificationState.SUSPENDED
    firm.save()
    page = signed_in(advisor).get(f"/support/training/{session.pk}/").content.decode()
    assert code not in page and "停止されているため" in page
    refused = post_code(signed_in(representative), session, code)
    assert refused.status_code == 400 and "事務局にお問い合わせください" in refused.content.decode()
    assert not Attendance.objects.exists()


# --- Nobody checks in for someone else -----------------------------------------------------------


def test_the_advisor_sees_the_code_and_the_attendance_but_has_no_control_to_mark_it(
    session, advisor, representative, time_machine
):
    time_machine.move_to(START + minutes(5), tick=False)
    post_code(signed_in(representative), session, code_now(session))
    page = signed_in(advisor).get(f"/support/training/{session.pk}/").content.decode()
    assert code_now(session) in page
    assert "山田 花子" in page and "13:05 にチェックイン" in page
    assert 'name="code"' not in page and "/check-in/" not in page
    assert "この画面から出席を記録・変更することはできません" in page


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.SECRETARIAT])
def test_advisors_and_staff_cannot_check_in_through_the_page(
    session, advisor, client_for, role, time_machine
):
    time_machine.move_to(START + minutes(5), tick=False)
    client = signed_in(advisor) if role == Role.ADVISOR else client_for(role)
    assert client.get(f"/support/training/{session.pk}/check-in/").status_code == 403
    forged = post_code(client, session, code_now(session))
    assert forged.status_code == 403
    assert "申請者ご本人のみ" in forged.content.decode()
    assert not Attendance.objects.exists()


def test_an_advisor_of_another_firm_does_not_even_find_the_session(session, other_firm_advisor, time_machine):
    time_machine.move_to(START + minutes(5), tick=False)
    assert post_code(signed_in(other_firm_advisor), session, code_now(session)).status_code == 404
    assert signed_in(other_firm_advisor).get(f"/support/training/{session.pk}/").status_code == 404


def test_the_service_refuses_an_advisor_checking_in_themselves_or_the_applicant(
    session, advisor, representative, time_machine
):
    time_machine.move_to(START + minutes(5), tick=False)
    for attendee in (advisor, representative):
        with pytest.raises(PermissionDenied):
            attendance.check_in(actor=advisor, session=session, attendee=attendee, code=code_now(session))
    assert not Attendance.objects.exists()


def test_the_service_refuses_one_member_checking_in_another(
    engagement, session, representative, time_machine
):
    colleague = UserFactory(role=Role.APPLICANT)
    engagement.members.create(user=colleague, role="staff")
    time_machine.move_to(START + minutes(5), tick=False)
    with pytest.raises(PermissionDenied):
        attendance.check_in(actor=colleague, session=session, attendee=representative, code=code_now(session))
    assert not Attendance.objects.exists()


def test_the_database_keeps_one_attendance_per_person_and_session(session, representative):
    from django.db import IntegrityError, transaction

    Attendance.objects.create(session=session, user=representative, checked_in_at=START)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(session=session, user=representative, checked_in_at=START)


def test_the_admin_cannot_add_or_change_attendance(make_user):
    request = RequestFactory().get("/")
    request.user = make_user(Role.SECRETARIAT, is_staff=True, is_superuser=True)
    model_admin = AttendanceAdmin(Attendance, admin.site)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)

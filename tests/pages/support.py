"""Advisor support (伴走支援): the advisor's dashboard and engagements, hearing records, training
with self check-in, the applicant's pages, invitations, and the secretariat's list.

Counts are taken as the person the page is for (`user=` from make_objects): the firm's advisor,
the company's representative, or a secretariat user. The authorization matrix below is for the
generic users of each role, who belong to no firm and no company: they see none of it (404),
except the secretariat and auditors, who read everything and change nothing (403 on acts).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.programs.models import Programme
from dxgrant.support.models import Attendance, EngagementRole
from dxgrant.support.services import invitations
from tests.factories import UserFactory
from tests.factories.advisors import advisor_of, certified_firm
from tests.factories.rounds import open_round
from tests.factories.support import engagement_for, hearing_for, session_for

from .base import ANON, EVERYONE, STAFF_READ, Page

NAMESPACES = {"support"}

SEEN = "session; user"
ADVISOR = f"{SEEN}; membership with firm and programme"
ENGAGEMENT = "engagement with firm, round, lead advisor; members with users"
TRAINING = "sessions; attendances; passed quiz attempts"
HEADER = "programme (header)"
# An audit entry is two statements, plus the advisory lock that serialises appends on PostgreSQL.
AUDIT = 3 if connection.vendor == "postgresql" else 2
WRITE = "audit lock (PostgreSQL only); audit head; audit insert"

PAGES: dict[str, Page] = {
    "support:dashboard": Page(
        "/support/",
        10,
        user="support_advisor",
        why=f"{ADVISOR}; course passed; engagements with counts; open invitations; {TRAINING}; {HEADER}",
    ),
    "support:engagement_create": Page(
        "/support/engagements/new/",
        6,
        user="support_advisor",
        why=f"{ADVISOR}; course passed; open rounds; {HEADER}",
    ),
    "support:engagement_detail": Page(
        "/support/engagements/{support_engagement}/",
        12,
        user="support_advisor",
        why=f"{ADVISOR}; {ENGAGEMENT} (2); hearings; sessions; invitees; attendances; quiz attempts; "
        f"invitations; {HEADER}",
    ),
    "support:engagement_attendance": Page(
        "/support/engagements/{support_engagement}/attendance/",
        12,
        user="support_advisor",
        why=f"{ADVISOR}; {ENGAGEMENT} (2); hearings; sessions; invitees; attendances; quiz attempts; "
        f"invitations; {HEADER}",
    ),
    "support:engagement_end": Page(
        "/support/engagements/{support_engagement}/end/",
        5,
        user="support_applicant",
        why=f"{SEEN}; {ENGAGEMENT} (2, the application and who ended it joined); {HEADER}",
    ),
    "support:hearing_create": Page(
        "/support/engagements/{support_engagement}/hearings/new/",
        6,
        user="support_advisor",
        why=f"{ADVISOR}; {ENGAGEMENT} (2); {HEADER}",
    ),
    "support:session_create": Page(
        "/support/engagements/{support_engagement}/training/new/",
        6,
        user="support_advisor",
        why=f"{ADVISOR}; {ENGAGEMENT} (2); {HEADER}",
    ),
    "support:hearing_detail": Page(
        "/support/hearings/{support_hearing}/",
        5,
        user="support_applicant",
        why=f"{SEEN}; hearing with engagement, firm, round, author, answerer, correction; members; {HEADER}",
    ),
    "support:hearing_edit": Page(
        "/support/hearings/{support_hearing}/edit/",
        6,
        user="support_advisor",
        why=f"{ADVISOR}; hearing with engagement, firm, round, author; members; {HEADER}",
    ),
    "support:hearing_respond": Page(
        "/support/hearings/{support_hearing}/respond/",
        7 + AUDIT,
        user="support_applicant",
        method="post",
        data={"response": "acknowledged", "comment": "", "revision": "1"},
        why=f"{SEEN}; hearing; members; hearing locked for the answer; members (policy); update; {WRITE}",
    ),
    "support:session_detail": Page(
        "/support/training/{support_session}/",
        8,
        user="support_advisor",
        why=f"{ADVISOR}; session with engagement, firm, round, advisor; invitees; members; attendances; {HEADER}",
    ),
    "support:session_code": Page(
        "/support/training/{support_session}/code/",
        6,
        user="support_advisor",
        why=f"{ADVISOR}; session with engagement, firm, round, advisor; invitees; members",
    ),
    "support:session_cancel": Page(
        "/support/training/{support_future_session}/cancel/",
        8 + AUDIT,
        user="support_advisor",
        method="post",
        why=f"{ADVISOR}; session; invitees; members; session locked; update; {WRITE}",
    ),
    "support:invitation_resend": Page(
        "/support/invitations/{support_invitation}/resend/",
        7 + AUDIT,
        user="support_advisor",
        method="post",
        why=f"{ADVISOR}; invitation with engagement, firm; members; invitation locked; update; {WRITE} "
        "(the email task runs on commit, after the count)",
    ),
    "support:invitation_revoke": Page(
        "/support/invitations/{support_invitation}/revoke/",
        7 + AUDIT,
        user="support_advisor",
        method="post",
        why=f"{ADVISOR}; invitation with engagement, firm; members; invitation locked; update; {WRITE}",
    ),
    "support:my_support": Page(
        "/support/my/",
        8,
        user="support_applicant",
        why=f"{SEEN}; engagements with counts; open invitations; {TRAINING}; {HEADER}",
    ),
    "support:my_engagement": Page(
        "/support/my/{support_engagement}/",
        12,
        user="support_applicant",
        why=f"{SEEN}; {ENGAGEMENT} (2); hearings; sessions; invitees; attendances; quiz attempts; "
        f"invitations; authenticator (submitting needs one); {HEADER}",
    ),
    "support:quiz": Page(
        "/support/my/{support_engagement}/quiz/",
        7,
        user="support_applicant",
        why=f"{SEEN}; {ENGAGEMENT} (2); own attendance exists; own attempts; {HEADER}",
    ),
    "support:staff_invite": Page(
        "/support/my/{support_engagement}/staff/new/",
        5,
        user="support_applicant",
        why=f"{SEEN}; {ENGAGEMENT} (2); {HEADER}",
    ),
    "support:checkin": Page(
        "/support/training/{support_session}/check-in/",
        7,
        user="support_applicant",
        why=f"{SEEN}; session with engagement, firm, round, advisor; invitees; members; own attendance; {HEADER}",
    ),
    "support:invitation_accept": Page(
        "/support/invitations/accept/{support_invite_token}/",
        3,
        why=f"invitation with engagement, firm, round; existing account?; {HEADER}",
    ),
    "support:staff_engagements": Page(
        "/support/staff/",
        9,
        "secretariat",
        why=f"{SEEN}; engagements with counts; open invitations; {TRAINING}; rounds (filter); {HEADER}",
    ),
}

# Generic users belong to no firm and no company.
NOT_THEIRS = {ANON: 302} | {r: 404 for r in Role.values}
READ = NOT_THEIRS | {Role.SECRETARIAT: 200, Role.AUDITOR: 200}
ACT = NOT_THEIRS | {Role.SECRETARIAT: 403, Role.AUDITOR: 403}

EXPECTED: dict[str, dict[str, int]] = {
    # Applicants are sent to their own page, staff to their list; an advisor without a firm is told why.
    "support:dashboard": {ANON: 302}
    | {r: 403 for r in Role.values}
    | {Role.APPLICANT: 302, Role.SECRETARIAT: 302, Role.AUDITOR: 302},
    "support:engagement_create": {ANON: 302} | {r: 403 for r in Role.values},
    "support:engagement_detail": READ,
    "support:engagement_attendance": READ,
    "support:engagement_end": ACT,
    "support:hearing_create": ACT,
    "support:session_create": ACT,
    "support:hearing_detail": READ,
    "support:hearing_edit": ACT,
    "support:hearing_respond": ACT,
    "support:session_detail": READ,
    "support:session_code": ACT,
    "support:session_cancel": ACT,
    "support:invitation_resend": ACT,
    "support:invitation_revoke": ACT,
    "support:my_support": {ANON: 302} | {r: 403 for r in Role.values} | {Role.APPLICANT: 200},
    # Staff readers are sent to the read-only detail page.
    "support:my_engagement": NOT_THEIRS | {Role.SECRETARIAT: 302, Role.AUDITOR: 302},
    "support:quiz": ACT,
    "support:staff_invite": ACT,
    "support:checkin": ACT,
    # The link is the secret: anyone holding it sees the invitation (signed-in people are told
    # when it is not for their account).
    "support:invitation_accept": {who: 200 for who in EVERYONE},
    "support:staff_engagements": STAFF_READ,
}


def make_objects() -> dict[str, object]:
    programme = Programme.objects.get()
    firm = certified_firm(programme, name="支援ページ用の事業者")
    advisor = advisor_of(firm)
    representative = UserFactory(role=Role.APPLICANT)
    engagement = engagement_for(firm, advisor, open_round(programme), representative=representative)
    hearing = hearing_for(engagement)
    past = session_for(engagement, starts_at=timezone.now() - dt.timedelta(days=7))
    Attendance.objects.create(session=past, user=representative, checked_in_at=past.starts_at)
    running = session_for(engagement, curriculum_code="data_operations")
    future = session_for(engagement, starts_at=timezone.now() + dt.timedelta(days=7))
    invitation = invitations.create_invitation(
        actor=advisor,
        engagement=engagement,
        name="担当 次郎",
        email="support-staff@example.jp",
        role=EngagementRole.STAFF,
    )
    return {
        "support_engagement": engagement.pk,
        "support_hearing": hearing.pk,
        "support_session": running.pk,
        "support_future_session": future.pk,
        "support_invitation": invitation.pk,
        "support_invite_token": invitation.link_token(),
        "support_advisor": advisor,
        "support_applicant": representative,
    }

"""A firm's own pages: team, invitations, joining, the advisor course."""

from __future__ import annotations

from django.db import connection

from dxgrant.accounts.models import Role
from dxgrant.advisors.models import FirmMembership
from dxgrant.advisors.services import team
from dxgrant.programs.models import Programme
from tests.factories.advisors import add_advisor, certified_firm, firm_admin

from .base import ANON, EVERYONE, Page

NAMESPACES = {"firm"}
# Writing an audit entry: read the chain head and insert (and take the advisory lock on PostgreSQL).
AUDIT = 3 if connection.vendor == "postgresql" else 2
MEMBER = "session; user; membership with firm; programme (header)"

# Generic role users (tests' client_for) belong to no firm: all get 403 with the reason.
NO_FIRM = {ANON: 302} | {r: 403 for r in Role.values}

PAGES: dict[str, Page] = {
    "firm:home": Page(
        "/firm/",
        8,
        user="firm_admin",
        why=f"{MEMBER}; members; course passes; invitations; the admin's own course pass (can_invite)",
    ),
    "firm:invite": Page(
        "/firm/invitations/",
        4,
        user="firm_advisor",
        method="post",
        data={"name": "x", "email": "x@example.jp"},
        status=(403,),
        why=f"{MEMBER} (not an admin: the refusal page)",
    ),
    "firm:revoke_invitation": Page(
        "/firm/invitations/{advisor_invitation}/revoke/",
        5 + AUDIT,
        user="firm_admin",
        method="post",
        why="session; user; membership with firm; invitation; update; audit (head, insert; lock on PostgreSQL)",
    ),
    "firm:remove_member": Page(
        "/firm/members/{membership}/remove/",
        5 + AUDIT,
        user="firm_admin",
        method="post",
        why="session; user; membership with firm; target; update; audit (head, insert; lock on PostgreSQL)",
    ),
    "firm:join": Page("/firm/join/{join_token}/", 2, why="invitation with firm; programme (header)"),
    "firm:course": Page("/firm/course/", 5, user="firm_advisor", why=f"{MEMBER}; course progress"),
    "firm:course_quiz": Page(
        "/firm/course/quiz/",
        4,
        user="firm_advisor",
        status=(302,),
        why="session; user; membership with firm; course progress (unread: back to the course)",
    ),
    "firm:course_module": Page(
        "/firm/course/purpose/", 5, user="firm_advisor", why=f"{MEMBER}; course progress"
    ),
}

EXPECTED: dict[str, dict[str, int]] = {
    "firm:home": NO_FIRM,
    "firm:invite": NO_FIRM,
    "firm:revoke_invitation": NO_FIRM,
    "firm:remove_member": NO_FIRM,
    # The join page is for anyone holding the link (the link is the secret).
    "firm:join": {who: 200 for who in EVERYONE},
    "firm:course": NO_FIRM,
    "firm:course_quiz": NO_FIRM,
    "firm:course_module": NO_FIRM,
}


def make_objects() -> dict[str, object]:
    firm = certified_firm(Programme.objects.get())
    admin = firm_admin(firm)
    advisor = add_advisor(firm)
    invitation, raw = team.invite_advisor(
        actor=admin, firm=firm, name="招待 太郎", email="invitee@example.jp"
    )
    return {
        "advisor_invitation": invitation.pk,
        "membership": FirmMembership.objects.get(user=advisor).pk,
        "join_token": raw,
        "firm_admin": admin,
        "firm_advisor": advisor,
    }

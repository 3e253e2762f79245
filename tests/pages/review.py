"""The review (交付審査): the reviewer's pages (/review/: the work queue, the round's
confidentiality terms, the conflict declaration, the score sheet) and the secretariat's
(/staff/review/: the rounds, a round's progress with the pool and the draw, suggested conflicts,
one application's reviewers, and the acts).

Reviewer pages are counted as the reviewer they are for (`user=` from make_objects). In the
authorization matrix, a generic reviewer is in no pool and holds no place: the queue is empty
(200), every other reviewer page is 404 (missing and forbidden alike); other roles get 403.
The secretariat's pages: secretariat and auditors read (200); only the secretariat acts (302),
auditors and every other role get 403.
"""

from __future__ import annotations

from django.db import connection

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.programs.models import Programme
from dxgrant.review import lifecycle
from dxgrant.review.models import Score
from dxgrant.review.services import invitations
from tests.factories import UserFactory
from tests.factories.applications import fill_application, make_application, make_version
from tests.factories.review import assign, full_marks, reviewer_in_pool, scored
from tests.factories.rounds import open_round

from .base import ANON, EVERYONE, STAFF_READ, Page

NAMESPACES = {"review", "staff_review"}

SEEN = "session; user"
# The middleware checks that a reviewer's session passed the second factor.
REVIEWER = f"{SEEN} (the second factor is read from the session)"
HEADER = "programme (header)"
AUDIT = 3 if connection.vendor == "postgresql" else 2
WRITE = "audit lock (PostgreSQL only); audit head; audit insert"
PLACE = "the reviewer's assignment with application, round, firm and score (terms accepted in a subquery)"
ROUND = "round by code"
PROGRESS = (
    "applications in review (ids); places per application (grouped); places per reviewer and "
    "state (grouped); exclusions per reviewer (grouped); the pool with reviewers; screening "
    "decisions per outcome (grouped); submitted scores (for the scored and flagged counts); the "
    "last draws with who ran them"
)
EMAIL = "the email task runs on commit, after the count"

PAGES: dict[str, Page] = {
    "review:queue": Page(
        "/review/",
        5,
        user="review_reviewer",
        why=f"{REVIEWER}; one page of the reviewer's places with application, round, firm and score "
        f"(keyset); rounds whose terms wait; {HEADER}",
    ),
    "review:terms": Page(
        "/review/rounds/{review_round}/terms/",
        5,
        user="review_pending",
        why=f"{REVIEWER}; {ROUND}; membership; {HEADER}",
    ),
    "review:declare": Page(
        "/review/assignments/{review_awaiting}/declare/",
        4,
        user="review_reviewer",
        why=f"{REVIEWER}; {PLACE}; {HEADER}",
    ),
    "review:score": Page(
        "/review/assignments/{review_scoring}/",
        6,
        user="review_reviewer",
        why=f"{REVIEWER}; {PLACE}; the last submitted version (the plan, budget and "
        f"documents are read from its snapshot); declaration texts; {HEADER}",
    ),
    "staff_review:rounds": Page(
        "/staff/review/",
        4,
        Role.SECRETARIAT,
        why=f"{SEEN}; rounds with a pool or applications in review; {HEADER}",
    ),
    "staff_review:round": Page(
        "/staff/review/rounds/{review_round}/",
        13,
        Role.SECRETARIAT,
        why=f"{SEEN}; {ROUND}; {PROGRESS}; open invitations with who sent them; {HEADER}",
    ),
    "staff_review:add_reviewer": Page(
        "/staff/review/rounds/{review_round}/reviewers/",
        6 + AUDIT,
        Role.SECRETARIAT,
        method="post",
        data={"email": "review-pages-new@example.jp", "organisation": "例示大学"},
        why=f"{SEEN}; {ROUND}; the account by email; already in the pool?; membership insert; "
        f"{WRITE} ({EMAIL})",
    ),
    # An address without an account: an invitation, not a membership.
    "staff_review:add_reviewer (invited)": Page(
        "/staff/review/rounds/{review_round}/reviewers/",
        6 + AUDIT,
        Role.SECRETARIAT,
        method="post",
        data={"email": "review-pages-invitee@example.jp", "name": "招待 一郎", "organisation": "例示研究所"},
        why=f"{SEEN}; {ROUND}; the account by email (none); an open invitation already?; invitation "
        f"insert; {WRITE} ({EMAIL})",
    ),
    "staff_review:invitation_resend": Page(
        "/staff/review/invitations/{review_invitation}/resend/",
        5 + AUDIT,
        Role.SECRETARIAT,
        method="post",
        why=f"{SEEN}; invitation with round; invitation locked; update; {WRITE} ({EMAIL})",
    ),
    "staff_review:invitation_revoke": Page(
        "/staff/review/invitations/{review_invitation}/revoke/",
        5 + AUDIT,
        Role.SECRETARIAT,
        method="post",
        why=f"{SEEN}; invitation with round; invitation locked; update; {WRITE}",
    ),
    "review:invitation_accept": Page(
        "/review/invitations/{review_invite_token}/",
        3,
        why=f"invitation with round; an account with the address?; {HEADER}",
    ),
    "staff_review:draw": Page(
        "/staff/review/rounds/{review_round}/draw/",
        12 + AUDIT,
        Role.SECRETARIAT,
        method="post",
        data={"seed": "42"},
        why=f"{SEEN}; {ROUND}; round locked (draws of a round wait for each other); applications in "
        "review; the pool (is it empty?); the pool (the draw); known conflicts; former places; holding "
        f"places; the draw's record; every new place in one bulk insert; {WRITE} (one entry per draw; "
        f"{EMAIL}, one per reviewer)",
    ),
    "staff_review:conflicts": Page(
        "/staff/review/rounds/{review_round}/conflicts/",
        9,
        Role.SECRETARIAT,
        why=f"{SEEN}; {ROUND}; applications in review with firm; the companies' people's emails; the "
        f"firms' advisors' emails; exclusions; the pool with reviewers; {HEADER}",
    ),
    "staff_review:exclude": Page(
        "/staff/review/rounds/{review_round}/conflicts/exclude/",
        9 + AUDIT,
        Role.SECRETARIAT,
        method="post",
        data={
            "application": "{review_scoring_application}",
            "reviewer": "{review_spare_id}",
            "reason": "同じ大学",
        },
        why=f"{SEEN}; {ROUND}; the application; the reviewer; in the pool?; excluded already?; "
        f"exclusion insert; {WRITE}; a place the reviewer holds (none here)",
    ),
    "staff_review:application": Page(
        "/staff/review/applications/{review_scoring_application}/",
        6,
        Role.SECRETARIAT,
        why=f"{SEEN}; application with round and firm; places with reviewer, score and draw; pool; {HEADER}",
    ),
    "staff_review:add_by_hand": Page(
        "/staff/review/applications/{review_scoring_application}/add/",
        10 + AUDIT,
        Role.SECRETARIAT,
        method="post",
        data={"reviewer": "{review_spare_id}"},
        why=f"{SEEN}; application with round and firm; the pool's reviewers (the form's choices); the "
        "reviewer; application locked; in the pool?; excluded?; holds a place already?; place insert; "
        f"{WRITE} ({EMAIL})",
    ),
    "staff_review:remove": Page(
        "/staff/review/assignments/{review_awaiting}/remove/",
        5 + AUDIT,
        Role.SECRETARIAT,
        method="post",
        data={"reason": "担当の入替え"},
        why=f"{SEEN}; the place; the place locked with application and round; update; {WRITE}",
    ),
    "staff_review:reopen": Page(
        "/staff/review/assignments/{review_submitted}/reopen/",
        7 + AUDIT,
        Role.SECRETARIAT,
        method="post",
        data={"reason": "コメントが不足しています。"},
        why=f"{SEEN}; the place; the place locked with application and round; the score locked; score "
        f"update; place update; {WRITE} ({EMAIL})",
    ),
}

# Generic reviewers are in no pool and hold no place.
NOT_THEIRS = {ANON: 302} | {r: 403 for r in Role.values} | {Role.REVIEWER: 404}
ACT = {ANON: 302} | {r: 403 for r in Role.values} | {Role.SECRETARIAT: 302}

EXPECTED: dict[str, dict[str, int]] = {
    "review:queue": {ANON: 302} | {r: 403 for r in Role.values} | {Role.REVIEWER: 200},
    "review:terms": NOT_THEIRS,
    "review:declare": NOT_THEIRS,
    "review:score": NOT_THEIRS,
    "staff_review:rounds": STAFF_READ,
    "staff_review:round": STAFF_READ,
    "staff_review:add_reviewer": ACT,
    "staff_review:draw": ACT,
    "staff_review:invitation_resend": ACT,
    "staff_review:invitation_revoke": ACT,
    # The link is the secret: anyone holding it sees the invitation (signed-in people are told
    # when it is not for their account).
    "review:invitation_accept": {who: 200 for who in EVERYONE},
    "staff_review:conflicts": STAFF_READ,
    "staff_review:exclude": ACT,
    "staff_review:application": STAFF_READ,
    "staff_review:add_by_hand": ACT,
    "staff_review:remove": ACT,
    "staff_review:reopen": ACT,
}


def make_objects() -> dict[str, object]:
    """A round with three applications in review: one awaiting the reviewer's declaration, one
    being scored (with a submitted version), one whose score another reviewer submitted; a
    reviewer who has not accepted the terms yet; a spare reviewer in the pool; an account
    with the reviewer role that is in no pool (the one the pool page adds); and an open
    invitation of a person without an account."""
    programme = Programme.objects.get()
    round_obj = open_round(programme)
    secretariat = UserFactory(role=Role.SECRETARIAT)
    reviewer = reviewer_in_pool(round_obj, organisation="審査ページ用の大学")
    other = reviewer_in_pool(round_obj)
    spare = reviewer_in_pool(round_obj)
    pending = reviewer_in_pool(round_obj, accepted=False)
    UserFactory(role=Role.REVIEWER, email="review-pages-new@example.jp")

    def in_review(name: str):
        return make_application(programme, round_obj=round_obj, status=workflow.IN_REVIEW, company_name=name)

    awaiting = assign(in_review("審査ページ申告待ち株式会社"), reviewer, by=secretariat)
    being_scored = fill_application(in_review("審査ページ採点中株式会社"))
    make_version(being_scored)
    scoring = assign(being_scored, reviewer, status=lifecycle.SCORING, by=secretariat)
    Score.objects.create(assignment=scoring)
    submitted = assign(
        in_review("審査ページ提出済み株式会社"), other, status=lifecycle.SCORING, by=secretariat
    )
    scored(submitted, full_marks(round_obj))
    invitation = invitations.invite_reviewer(
        actor=secretariat,
        round_obj=round_obj,
        email="review-pages-invited@example.jp",
        name="招待 花子",
        organisation="審査ページ用の研究所",
    )
    return {
        "review_round": round_obj.code,
        "review_invitation": invitation.pk,
        "review_invite_token": invitation.link_token(),
        "review_awaiting": awaiting.pk,
        "review_scoring": scoring.pk,
        "review_scoring_application": being_scored.pk,
        "review_submitted": submitted.pk,
        "review_spare_id": spare.pk,
        "review_reviewer": reviewer,
        "review_pending": pending,
    }

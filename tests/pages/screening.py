"""The formal screening's pages (/staff/applications/screening/ and .../<pk>/screening/): the
queue, the checklist, and its acts (confirm an item, pass, reject as ineligible).

Secretariat and auditors read; only the secretariat acts (auditors get 403 with the reason);
every other role (reviewers and finance included) gets 403; anonymous visitors are sent to sign in.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import Application, ScreeningCheck
from dxgrant.programs.models import Programme
from tests.factories import UserFactory
from tests.factories.applications import fill_application, make_application, make_version

from .base import ANON, STAFF_READ, Page

SEEN = "session; user"
AUDIT = 3 if connection.vendor == "postgresql" else 2
WRITE = "audit lock (PostgreSQL only); audit head; audit insert"
HEADER = "programme (header)"
APPLICATION = "application with round, firm, engagement and lead advisor (visibility in a subquery)"
CHECKLIST = (
    "latest version; the secretariat's openings of its files with who; the round's declaration "
    "texts; the support record (four); the firm's history; who confirmed the disclosure; "
    "confirmations with who; the decision"
)

PAGES: dict[str, Page] = {
    "staff_applications:screening_queue": Page(
        "/staff/applications/screening/",
        6,
        Role.SECRETARIAT,
        why=f"{SEEN}; rounds (the chooser); the round of the oldest application waiting (the default); one page of the round's queue with firm and each one's "
        f"confirmed items counted in a subquery (keyset on submission time and id); {HEADER}",
    ),
    "staff_applications:screening": Page(
        "/staff/applications/{screening_application}/screening/",
        14,
        Role.AUDITOR,
        why=f"{SEEN}; {APPLICATION}; {CHECKLIST}; {HEADER}",
    ),
    "staff_applications:screening_confirm": Page(
        "/staff/applications/{screening_application}/screening/items/eligibility/",
        18 + 2 * AUDIT,
        Role.SECRETARIAT,
        method="post",
        data={"eligibility-answer": "met", "eligibility-note": ""},
        why=f"{SEEN}; {APPLICATION}; application locked; begin screening (lock, update, {WRITE}); "
        f"the checklist judged again ({CHECKLIST}); the confirmation saved (select, insert); {WRITE}",
    ),
    "staff_applications:screening_pass": Page(
        "/staff/applications/{screening_ready}/screening/pass/",
        19 + AUDIT,
        Role.SECRETARIAT,
        method="post",
        why=f"{SEEN}; {APPLICATION}; application locked; the checklist ({CHECKLIST}); transition "
        f"(lock, latest version, confirmed codes, update, {WRITE}); the decision saved",
    ),
    "staff_applications:screening_reject": Page(
        "/staff/applications/{screening_reject}/screening/reject/",
        20 + 2 * AUDIT,
        Role.SECRETARIAT,
        method="post",
        data={"reasons": "従業員数が申請要件を超えています。"},
        why=f"{SEEN}; {APPLICATION}; application locked; begin screening (lock, update, {WRITE}); "
        f"the checklist ({CHECKLIST}); transition (lock, latest version, update, {WRITE}); the "
        "decision saved; the email task enqueued on commit",
    ),
}

ACT_POST = {ANON: 302} | {r: 403 for r in Role.values} | {Role.SECRETARIAT: 302}

EXPECTED: dict[str, dict[str, int]] = {
    "staff_applications:screening_queue": STAFF_READ,
    "staff_applications:screening": STAFF_READ,
    "staff_applications:screening_confirm": ACT_POST,
    "staff_applications:screening_pass": ACT_POST,
    "staff_applications:screening_reject": ACT_POST,
}


def _submitted(programme: Programme, name: str) -> Application:
    application = fill_application(make_application(programme, company_name=name))
    make_version(application)
    return application


def make_objects() -> dict[str, object]:
    programme = Programme.objects.get()
    application = _submitted(programme, "形式審査ページ用株式会社")
    ready = _submitted(programme, "形式審査通過用株式会社")
    Application.objects.filter(pk=ready.pk).update(status=workflow.SCREENING)
    version = ready.versions.get()
    confirmer = UserFactory(role=Role.SECRETARIAT)
    ScreeningCheck.objects.bulk_create(
        ScreeningCheck(
            application=ready,
            version=version,
            code=item.code,
            kind=item.check,
            finding={"met": True, "evidence": []},
            met=True,
            confirmed_by=confirmer,
            confirmed_at=timezone.now(),
        )
        for item in ready.round.rules.review.screening
    )
    reject = _submitted(programme, "形式審査不採択用株式会社")
    return {
        "screening_application": application.pk,
        "screening_ready": ready.pk,
        "screening_reject": reject.pk,
    }

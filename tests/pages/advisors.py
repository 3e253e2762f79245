"""Advisor firm registration, the secretariat's review and the public register."""

from __future__ import annotations

from django.db import connection

from dxgrant.accounts.models import Role
from dxgrant.programs.models import Programme
from tests.factories.advisors import attach_document, certified_firm, draft_firm, submitted_firm

from .base import ANON, EVERYONE, PUBLIC, SIGNED_IN_SHOWN, STAFF_READ, Page

NAMESPACES = {"advisors"}
# An audit entry is two statements, plus the advisory lock that serialises appends on PostgreSQL.
AUDIT = 3 if connection.vendor == "postgresql" else 2
REGISTRANT = "session; user; membership with firm (firms_visible_to, is_firm_admin); firm with programme"
STAFF = SIGNED_IN_SHOWN

# Only the registrant reaches a registration; everyone else gets 404, as if it did not exist.
REGISTRANT_ONLY = {ANON: 302} | {r: 404 for r in Role.values}

PAGES: dict[str, Page] = {
    "advisors:register": Page("/advisors/", 2, why="programme (number example, header); one page of firms"),
    "advisors:register_detail": Page(
        "/advisors/{advisor_certified_number}/", 2, why="firm with programme; programme (header)"
    ),
    "advisors:registration_start": Page("/advisors/registration/start/", 1, why="programme"),
    "advisors:registration_sent": Page(
        "/advisors/registration/start/sent/",
        0,
        status=(302,),
        why="nothing sent in this session: back to the start",
    ),
    "advisors:my_registration": Page(
        "/advisors/registration/",
        3,
        user="advisor_registrant",
        status=(302,),
        why="session; user; membership (redirect to the registration)",
    ),
    "advisors:registration": Page(
        "/advisors/registration/{advisor_draft}/",
        8,
        user="advisor_registrant",
        why=f"{REGISTRANT}; proposed advisors; documents; decisions; programme (header)",
    ),
    "advisors:registration_section": Page(
        "/advisors/registration/{advisor_draft}/advisors/",
        6,
        user="advisor_registrant",
        why=f"{REGISTRANT}; proposed advisors; programme (header)",
    ),
    "advisors:registration_submit": Page(
        "/advisors/registration/{advisor_draft}/submit/",
        11,
        user="advisor_registrant",
        method="post",
        data={"revision": "0"},
        status=(400,),
        why=f"{REGISTRANT}; firm locked with programme; advisors; documents (incomplete: refused); "
        "the page: advisors; documents; decisions; programme (header)",
    ),
    "advisors:document_download": Page(
        "/advisors/registration/{advisor_draft}/documents/{advisor_document}/",
        4,
        user="advisor_registrant",
        why="session; user; membership (firms_visible_to); document",
    ),
    "advisors:document_delete": Page(
        "/advisors/registration/{advisor_draft}/documents/{advisor_document}/delete/",
        7 + AUDIT,
        user="advisor_registrant",
        method="post",
        status=(302,),
        why=f"{REGISTRANT}; document; firm locked; audit entry; delete",
    ),
    "advisors:review_queue": Page(
        "/advisors/review/",
        5,
        Role.SECRETARIAT,
        why=f"{STAFF}; programme (flags); one page of registrations with registrant; counts by status",
    ),
    "advisors:review_detail": Page(
        "/advisors/review/{advisor_submitted}/",
        8,
        Role.SECRETARIAT,
        why=f"{STAFF}; firm with programme and registrant; advisors; documents; decisions with actor; "
        "engagements with round; programme (header)",
    ),
    "advisors:review_decision": Page(
        "/advisors/review/{advisor_submitted}/decision/",
        6 + AUDIT,
        Role.SECRETARIAT,
        method="post",
        data={"action": "request_changes", "reason": "書類を添付してください。"},
        status=(302,),
        why=f"{STAFF}; firm; firm locked; update; event insert; audit entry",
    ),
    "api-v1:advisor": Page("/api/v1/advisors/{advisor_certified_number}", 2, why="rate count; firm"),
}

EXPECTED: dict[str, dict[str, int]] = {
    "advisors:register": PUBLIC,
    "advisors:register_detail": PUBLIC,
    # A visitor and an advisor without a firm may start; other accounts are told to use another address.
    "advisors:registration_start": {ANON: 200, Role.ADVISOR: 200}
    | {r: 403 for r in Role.values if r != Role.ADVISOR},
    "advisors:registration_sent": {who: 302 for who in EVERYONE},
    "advisors:my_registration": {who: 302 for who in EVERYONE},
    "advisors:registration": REGISTRANT_ONLY,
    "advisors:registration_section": REGISTRANT_ONLY,
    "advisors:registration_submit": REGISTRANT_ONLY,
    "advisors:document_download": REGISTRANT_ONLY | {Role.SECRETARIAT: 200, Role.AUDITOR: 200},
    "advisors:document_delete": REGISTRANT_ONLY,
    "advisors:review_queue": STAFF_READ,
    "advisors:review_detail": STAFF_READ,
    # Only the secretariat decides; the auditor reads but is refused; others do not see the firm.
    "advisors:review_decision": {ANON: 302}
    | {r: 404 for r in Role.values}
    | {Role.SECRETARIAT: 302, Role.AUDITOR: 403},
    "api-v1:advisor": PUBLIC,
}


def make_objects() -> dict[str, object]:
    programme = Programme.objects.get()
    draft = draft_firm(programme)
    document = attach_document(draft, "registry_certificate")
    return {
        "advisor_draft": draft.pk,
        "advisor_document": document.pk,
        "advisor_registrant": draft.created_by,
        "advisor_submitted": submitted_firm(programme).pk,
        "advisor_certified_number": certified_firm(programme).certification_number,
    }

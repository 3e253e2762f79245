"""The acceptance and payee account pages (awards/urls.py, namespace "payee").

Applicant pages (/applications/<pk>/acceptance/, /payee/, /payee/suggest/) are counted as the
company's representative (`user=`); generic users of each role belong to no company and no firm
and get 404; the secretariat and auditors read them (200) and cannot act (403 on POST, tested in
tests/awards). The staff pages: staff readers see the list of changes; only the secretariat
acknowledges a change or registers an account whose holder is not the company.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from dxgrant.accounts.models import Role, StepUpAttempt, StepUpOutcome, StepUpPurpose
from dxgrant.applications import workflow
from dxgrant.applications.services.transitions import transition
from dxgrant.awards.services import payee
from dxgrant.programs.models import Programme
from tests.factories import UserFactory
from tests.factories.accounts import enrol_totp
from tests.factories.applications import make_application
from tests.factories.support import representative_of

from .base import ANON, STAFF_READ, Page

NAMESPACES = {"payee"}

SEEN = "session; user"
APP = "application with round, firm, engagement (visibility subquery inside)"
SIDE = "applicant? (members)"
HEADER = "programme (header)"
AUDIT = 3 if connection.vendor == "postgresql" else 2

PAGES: dict[str, Page] = {
    "payee:accept": Page(
        "/applications/{payee_application}/acceptance/",
        8,
        user="payee_applicant",
        why=f"{SEEN}; {APP}; {SIDE}; the notify entry (period); acceptance; authenticator; {HEADER}",
    ),
    "payee:account": Page(
        "/applications/{payee_application}/payee/",
        6,
        user="payee_applicant",
        why=f"{SEEN}; {APP}; {SIDE}; current account (with an account after acceptance, also the authenticator); {HEADER}",
    ),
    "payee:suggest": Page(
        "/applications/{payee_application}/payee/suggest/?for=bank&bank=みずほ",
        3,
        user="payee_applicant",
        why=f"{SEEN}; {APP} (zengin-code data is in memory)",
    ),
    "payee:staff_changes": Page(
        "/staff/awards/payee/changes/",
        4,
        Role.SECRETARIAT,
        why=f"{SEEN}; changes awaiting acknowledgement with application, round and author; {HEADER}",
    ),
    "payee:staff_acknowledge": Page(
        "/staff/awards/payee/{payee_change}/acknowledge/",
        5 + AUDIT,
        Role.SECRETARIAT,
        method="post",
        why=f"{SEEN}; account; account locked; update; audit ({AUDIT})",
    ),
    "payee:staff_override": Page(
        "/staff/awards/payee/applications/{payee_application}/override/",
        5,
        Role.SECRETARIAT,
        why=f"{SEEN}; application with round, firm, lead advisor; current account; {HEADER}",
    ),
}

NOT_THEIRS = {ANON: 302} | {r: 404 for r in Role.values}
READ = NOT_THEIRS | {Role.SECRETARIAT: 200, Role.AUDITOR: 200}
SECRETARIAT_GET = {ANON: 302} | {r: 403 for r in Role.values} | {Role.SECRETARIAT: 200}
SECRETARIAT_POST = {ANON: 302} | {r: 403 for r in Role.values} | {Role.SECRETARIAT: 302}

EXPECTED: dict[str, dict[str, int]] = {
    "payee:accept": READ,
    "payee:account": READ,
    "payee:suggest": READ,
    "payee:staff_changes": STAFF_READ,
    "payee:staff_acknowledge": SECRETARIAT_POST,
    "payee:staff_override": SECRETARIAT_GET,
}


def make_objects() -> dict[str, object]:
    """An application notified (through the workflow), with its representative enrolled for
    codes; another, accepted, whose account was changed after acceptance (awaiting the
    secretariat)."""
    programme = Programme.objects.get()
    secretariat = UserFactory(role=Role.SECRETARIAT)
    columns = {
        "company_name": "株式会社ヤマダ製作所",
        "company_name_kana": "ヤマダセイサクショ",
        "legal_form": "株式会社",
    }
    application = make_application(programme, status=workflow.AWARDED, **columns)
    transition(application, name="notify", actor=secretariat)
    applicant = representative_of(application.engagement)
    enrol_totp(applicant)
    changed = make_application(programme, status=workflow.NOTIFIED, **columns)
    owner = representative_of(changed.engagement)
    details = payee.AccountDetails("0001", "001", "1", "1234567", "ｶ)ﾔﾏﾀﾞｾｲｻｸｼﾖ")
    payee.register_payee(application=changed, actor=owner, details=details)
    changed.status = workflow.ACCEPTED
    changed.save(update_fields=["status"])
    code = StepUpAttempt.objects.create(
        user=owner, purpose=StepUpPurpose.PAYEE_CHANGE, at=timezone.now(), outcome=StepUpOutcome.ACCEPTED
    )
    account = payee.register_payee(
        application=changed,
        actor=owner,
        details=payee.AccountDetails("0005", "001", "1", "7654321", "ｶ)ﾔﾏﾀﾞｾｲｻｸｼﾖ"),
        step_up=code,
    )
    return {"payee_application": application.pk, "payee_applicant": applicant, "payee_change": account.pk}

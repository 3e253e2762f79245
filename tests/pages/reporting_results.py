"""The results report's pages (reporting/results_urls.py, namespace "results_report").

Applicant/advisor pages (/applications/<pk>/results/...) are counted as the company's
representative or its advisor (`user=`); generic users of each role belong to no company and no
firm and get 404; the secretariat and auditors read them (200) and cannot act (403 on POST). The
staff pages: staff readers see the list and the review page (the review's POST is tested in
tests/reporting/test_results_pages.py, with the final amount's seam).
"""

from __future__ import annotations

from django.db import connection

from dxgrant.accounts.models import Role
from dxgrant.programs.models import Programme
from dxgrant.reporting.results_models import ResultsEvidence
from tests.factories import UserFactory
from tests.factories.rounds import open_round
from tests.reporting.results_builders import accepted_award, complete_report

from .base import ANON, STAFF_READ, Page

NAMESPACES = {"results_report"}

SEEN = "session; user"
APP = "application with round, firm, engagement (visibility subquery inside)"
SIDE = "applicant? (members)"
HEADER = "programme (header)"
CHECK = "lines; their evidence (prefetch)"
AUDIT = 3 if connection.vendor == "postgresql" else 2

PAGES: dict[str, Page] = {
    "results_report:edit": Page(
        "/applications/{results_application}/results/",
        11,
        user="results_applicant",
        why=(
            f"{SEEN}; {APP}; {SIDE}; report; firm (related-party check); {CHECK}; the plan in force "
            f"(an approved plan change, none: the filed version); {HEADER}"
        ),
    ),
    "results_report:ready": Page(
        "/applications/{results_application}/results/ready/",
        6,
        user="results_advisor",
        method="post",
        why=f"{SEEN}; {APP}; advisor side; report; report locked (already ready: refused, nothing written)",
    ),
    "results_report:confirm": Page(
        "/applications/{results_application}/results/confirm/",
        10,
        user="results_applicant",
        why=f"{SEEN}; {APP}; {SIDE}; report; firm (related-party check); {CHECK}; authenticator; {HEADER}",
    ),
    "results_report:evidence": Page(
        "/applications/{results_application}/results/evidence/{results_evidence}/",
        5,
        user="results_applicant",
        why=f"{SEEN}; {APP}; the evidence of this application",
    ),
    "results_report:remove_evidence": Page(
        "/applications/{results_application}/results/evidence/{results_evidence}/remove/",
        11 + AUDIT,
        user="results_applicant",
        method="post",
        why=f"{SEEN}; {APP}; {SIDE}; evidence; report; report locked; the service checks the side again (engagement, members); audit ({AUDIT}); delete; revision",
    ),
    "results_report:staff_list": Page(
        "/staff/results-reports/",
        5,
        Role.SECRETARIAT,
        why=f"{SEEN}; reports with application and round (one query); rounds (the filter); {HEADER}",
    ),
    "results_report:staff_review": Page(
        "/staff/results-reports/{results_report}/",
        6,
        Role.SECRETARIAT,
        why=f"{SEEN}; report with application, round, firm; {CHECK}; {HEADER}",
    ),
}

NOT_THEIRS = {ANON: 302} | {r: 404 for r in Role.values}
READ = NOT_THEIRS | {Role.SECRETARIAT: 200, Role.AUDITOR: 200}
ACT = NOT_THEIRS | {Role.SECRETARIAT: 403, Role.AUDITOR: 403}

EXPECTED: dict[str, dict[str, int]] = {
    "results_report:edit": READ,
    "results_report:ready": ACT,
    "results_report:confirm": READ,
    "results_report:evidence": READ,
    "results_report:remove_evidence": ACT,
    "results_report:staff_list": STAFF_READ,
    "results_report:staff_review": STAFF_READ,
}


def make_objects() -> dict[str, object]:
    """An award (paid) whose results report is complete, with evidence, and marked ready; in a
    round of its own, so that its round decision is not the one the decisions pages count."""
    programme = Programme.objects.get()
    secretariat = UserFactory(role=Role.SECRETARIAT)
    award = accepted_award(programme, secretariat, round_obj=open_round(programme, "dx-results-pages"))
    report = complete_report(award)
    evidence = ResultsEvidence.objects.filter(line__report=report).order_by("pk").first()
    assert evidence is not None
    return {
        "results_application": award.application.pk,
        "results_applicant": award.applicant,
        "results_advisor": award.advisor,
        "results_report": report.pk,
        "results_evidence": evidence.pk,
    }

"""Several people (or tabs) acting on the same thing at the same moment, in real threads.

Each thread has its own database connection and waits at a barrier, so the calls meet inside
the database: double submission (one token or two), two editors saving the same plan section or
profile from the same revision, two firms creating an application for the same company, and
receipt numbers taken by several submissions at once. After each run the audit chain must still
verify: concurrent appends must not fork it.

PostgreSQL only: the suite's SQLite test database is in memory (shared cache), where a second
writer is refused at once with "database table is locked" instead of waiting for the first, so
these tests would measure the test setup rather than the application. `make test` runs them on
PostgreSQL, the production database.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client

from dxgrant.applications import workflow
from dxgrant.applications.models import Application, ApplicationVersion, PlanSection, RefusedDuplicate
from dxgrant.applications.services import plan
from dxgrant.applications.services.creation import ensure_application
from dxgrant.applications.services.duplicates import DuplicateApplication
from dxgrant.applications.services.profile import update_profile
from dxgrant.applications.services.submission import mark_ready, submit_application
from dxgrant.core.editing import EditConflict
from dxgrant.core.models import NumberSequence, next_number
from dxgrant.integrity.models import AuditEntry
from dxgrant.integrity.services import verify_audit_chain
from tests.audit_triggers import POSTGRES_THREADS
from tests.factories.accounts import enrol_totp, totp_now
from tests.factories.advisors import advisor_of, certified_firm
from tests.factories.applications import Setup, complete, drafting
from tests.factories.rounds import open_round
from tests.factories.support import engagement_for

pytestmark = POSTGRES_THREADS

# Long enough for a loaded CI box; a thread still running after this is a deadlock.
JOIN_TIMEOUT = 60.0


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None
    started: float = 0.0
    finished: float = 0.0


def together(*calls: Callable[[], Any]) -> list[Outcome]:
    """Run each call in its own thread with its own connection, all released at one barrier."""
    barrier = threading.Barrier(len(calls))
    outcomes = [Outcome() for _ in calls]

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            connection.ensure_connection()  # connect before the barrier, so no thread lags behind
            barrier.wait(timeout=JOIN_TIMEOUT)
            outcomes[i].started = time.monotonic()
            outcomes[i].value = call()
        except BaseException as exc:  # noqa: BLE001 - every outcome is asserted by the test
            outcomes[i].error = exc
        finally:
            outcomes[i].finished = time.monotonic()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a thread is still waiting: deadlock?"
    return outcomes


def unexpected(outcomes: list[Outcome], *allowed: type[BaseException]) -> list[str]:
    """The errors that are not a refusal a user can read (an IntegrityError, a deadlock...)."""
    return [
        f"{type(o.error).__name__}: {o.error}"
        for o in outcomes
        if o.error is not None and not (isinstance(o.error, allowed) and _readable(o.error))
    ]


def _readable(exc: BaseException) -> bool:
    return isinstance(exc, ValidationError) and all(m.strip() for m in exc.messages)


def assert_chain_verifies() -> None:
    report = verify_audit_chain()
    assert report.ok, report
    assert report.checked == AuditEntry.objects.count()


# --- 1. Double submission -----------------------------------------------------------------------


@pytest.fixture
def ready(programme: Any) -> Setup:
    s = drafting(programme)
    complete(s.application)
    mark_ready(application=s.application, actor=s.advisor)
    s.application.refresh_from_db()
    mail.outbox.clear()  # the request for confirmation; what follows counts the submission's emails
    return s


def people_emailed(application: Application) -> list[str]:
    engagement = application.engagement
    people = [m.user.email for m in engagement.members.select_related("user")]
    return sorted([*people, engagement.lead_advisor.email])


def assert_submitted_once(application: Application) -> ApplicationVersion:
    app = Application.objects.get(pk=application.pk)
    version = ApplicationVersion.objects.get(application=app)  # exactly one
    assert app.status == workflow.SUBMITTED
    assert app.receipt_number and app.receipt_number.endswith("-000001")
    assert NumberSequence.objects.get().last == 1
    assert AuditEntry.objects.filter(action="application.version_frozen").count() == 1
    assert AuditEntry.objects.filter(action="application.submit").count() == 1
    # One set of emails: each person once, each naming the one receipt number.
    assert sorted(m.to[0] for m in mail.outbox) == people_emailed(app)
    assert all(app.receipt_number in m.subject for m in mail.outbox)
    assert_chain_verifies()
    return version


@pytest.mark.parametrize("threads", [2, 4])
def test_double_click_with_one_token_submits_once_and_every_request_gets_that_version(ready, threads):
    token = uuid.uuid4()

    def submit() -> ApplicationVersion:
        return submit_application(
            application=ready.application, actor=ready.applicant, submission_token=token
        )

    outcomes = together(*[submit] * threads)

    assert unexpected(outcomes) == []
    version = assert_submitted_once(ready.application)
    assert [o.value.pk for o in outcomes] == [version.pk] * threads


@pytest.mark.parametrize("threads", [2, 4])
def test_tabs_with_their_own_tokens_submit_once_and_the_others_are_refused(ready, threads):
    def submit() -> ApplicationVersion:
        return submit_application(
            application=ready.application, actor=ready.applicant, submission_token=uuid.uuid4()
        )

    outcomes = together(*[submit] * threads)

    assert unexpected(outcomes, ValidationError) == []
    version = assert_submitted_once(ready.application)
    assert [o.value.pk for o in outcomes if o.error is None] == [version.pk]
    refusals = [o.error for o in outcomes if o.error is not None]
    assert len(refusals) == threads - 1
    assert all(e.code == "already_submitted" for e in refusals)  # type: ignore[attr-defined]


class _HiddenInputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.values[str(a["name"])] = a.get("value") or ""


def hidden_inputs(html: str) -> dict[str, str]:
    """What the page's form carries unseen (its own submission token, ...), as a browser posts it."""
    parser = _HiddenInputs()
    parser.feed(html)
    parser.values.pop("csrfmiddlewaretoken", None)
    return parser.values


@pytest.mark.parametrize("both_codes_pass", [False, True], ids=["code-used-once", "both-codes-pass"])
def test_two_tabs_submitting_through_the_confirm_page_submit_once(ready, both_codes_pass, monkeypatch):
    """The whole request, with the step-up code: each tab loaded the page (its own token) and
    both post the same current code at once. A code is accepted once (allauth remembers it in
    the cache), so the second tab is usually stopped there; with `both_codes_pass` that memory is
    switched off, so both requests reach submit_application and its row lock decides."""
    if both_codes_pass:
        from allauth.mfa.totp.internal.auth import TOTP

        monkeypatch.setattr(TOTP, "_mark_code_used", lambda self, code: True)
    enrol_totp(ready.applicant)
    url = f"/applications/{ready.application.pk}/confirm/"
    tabs = []
    for _ in range(2):
        tab = Client()
        tab.force_login(ready.applicant)
        page = tab.get(url)
        assert page.status_code == 200
        tabs.append((tab, hidden_inputs(page.content.decode())))
    assert tabs[0][1]["submission_token"] != tabs[1][1]["submission_token"]
    code = totp_now(ready.applicant)

    def post(tab: Client, hidden: dict[str, str]) -> Callable[[], Any]:
        return lambda: tab.post(url, {**hidden, "code": code, "confirm": "on"})

    outcomes = together(*[post(tab, hidden) for tab, hidden in tabs])

    assert [f"{type(o.error).__name__}: {o.error}" for o in outcomes if o.error] == []
    responses = [o.value for o in outcomes]
    receipt = f"/applications/{ready.application.pk}/receipt/"
    submitted = [r for r in responses if r.status_code == 302 and r["Location"] == receipt]
    refused = [r for r in responses if r not in submitted]
    assert len(submitted) == 1, [r.status_code for r in responses]
    # The other tab is told why on the page: the code was used already, or it was submitted.
    assert [r.status_code for r in refused] == [400]
    body = refused[0].content.decode()
    if both_codes_pass:
        assert "この申請はすでに提出されています" in body
    else:
        assert "認証コードが正しくない" in body or "この申請はすでに提出されています" in body
    assert_submitted_once(ready.application)


# --- 2. Two editors, one revision ---------------------------------------------------------------


@pytest.mark.parametrize("already_saved", [False, True], ids=["new-section", "saved-section"])
def test_two_people_saving_one_plan_section_from_one_revision_one_wins(programme, already_saved):
    s = drafting(programme)
    revision = 0
    if already_saved:
        revision = plan.save_plan_section(
            actor=s.advisor, application=s.application, code="goals", text="最初の文", expected_revision=0
        ).revision
    texts = {s.advisor.pk: "アドバイザーが書いた三年後の姿", s.applicant.pk: "申請者が書いた三年後の姿"}

    def save(person: Any) -> Callable[[], PlanSection]:
        return lambda: plan.save_plan_section(
            actor=person,
            application=Application.objects.get(pk=s.application.pk),
            code="goals",
            text=texts[person.pk],
            expected_revision=revision,
        )

    outcomes = together(save(s.advisor), save(s.applicant))

    assert unexpected(outcomes, EditConflict) == []
    winners = [o.value for o in outcomes if o.error is None]
    conflicts = [o.error for o in outcomes if isinstance(o.error, EditConflict)]
    assert len(winners) == 1 and len(conflicts) == 1
    stored = PlanSection.objects.get(application=s.application, code="goals")
    # The winner's text is kept whole, at the next revision, and the loser is shown exactly it.
    assert (stored.text, stored.revision, stored.updated_by_id) == (
        texts[winners[0].updated_by_id],
        revision + 1,
        winners[0].updated_by_id,
    )
    assert conflicts[0].current.text == stored.text and conflicts[0].current.revision == stored.revision
    assert "保存していません" in conflicts[0].messages[0]
    saved = AuditEntry.objects.filter(action="application.plan_section_saved")
    assert saved.count() == revision + 1
    assert_chain_verifies()


def test_two_people_saving_the_profile_from_one_revision_one_wins(programme):
    s = drafting(programme)
    data = {s.advisor.pk: {"employees": 20, "phone": "03-1111-1111"}, s.applicant.pk: {"employees": 99}}

    def save(person: Any) -> Callable[[], Application]:
        return lambda: update_profile(
            application=Application.objects.get(pk=s.application.pk),
            actor=person,
            data=data[person.pk],
            revision=0,
        )

    outcomes = together(save(s.advisor), save(s.applicant))

    assert unexpected(outcomes, EditConflict) == []
    winner = [o for o in outcomes if o.error is None]
    conflicts = [o.error for o in outcomes if isinstance(o.error, EditConflict)]
    assert len(winner) == 1 and len(conflicts) == 1
    assert "ほかの方がこの項目を先に保存しました" in conflicts[0].messages[0]
    winner_pk = s.advisor.pk if winner[0] is outcomes[0] else s.applicant.pk
    stored = Application.objects.get(pk=s.application.pk)
    assert stored.profile_revision == 1
    # Nothing of the loser's data got in, none of the winner's was lost.
    assert stored.employees == data[winner_pk]["employees"]
    assert stored.phone == data[winner_pk].get("phone", s.application.phone)
    entry = AuditEntry.objects.get(action="application.profile_saved")
    assert entry.actor_id == winner_pk
    assert_chain_verifies()


# --- 3. Two firms, one company, one round -------------------------------------------------------


@pytest.mark.parametrize("recognised_by", ["corporate_number", "normalised_name"])
def test_two_firms_creating_an_application_for_one_company_at_once_make_one(programme, recognised_by):
    round_obj = open_round(programme)
    if recognised_by == "corporate_number":
        names = ["株式会社同時製作所", "同時製作所"]
    else:  # full-width spaces do not make it another company
        names = ["山田 商店", "山田\u3000商店"]
    people = []
    for i, name in enumerate(names):
        firm = certified_firm(programme, name=f"同時支援{i}株式会社")
        advisor = advisor_of(firm)
        engagement = engagement_for(firm, advisor, round_obj, corporate_number="", company_name=name)
        people.append((engagement, advisor))
    if recognised_by == "corporate_number":
        # The engagements cannot both hold the number in the database (their own constraint);
        # as in test_core_services, the second learns it only in memory, as a form would give it.
        for engagement, _advisor in people:
            engagement.corporate_number = "1234567890123"

    outcomes = together(
        *[
            (lambda e=engagement, a=advisor: ensure_application(engagement=e, actor=a))
            for engagement, advisor in people
        ]
    )

    assert unexpected(outcomes, DuplicateApplication) == []
    created = [o.value for o in outcomes if o.error is None]
    refused = [o.error for o in outcomes if isinstance(o.error, DuplicateApplication)]
    assert len(created) == 1 and len(refused) == 1
    assert Application.objects.filter(round=round_obj).count() == 1
    assert Application.objects.get(round=round_obj).pk == created[0].pk
    assert "すでに申請を進めています" in refused[0].messages[0]
    assert refused[0].attempt["company_key"] == created[0].company_key
    assert AuditEntry.objects.filter(action="application.created").count() == 1
    assert_chain_verifies()


def test_opening_the_application_of_one_engagement_twice_at_once_gives_both_the_same_one(programme):
    """Advisor and applicant (or one double click) create the engagement's application together.

    PRODUCT RACE (failing until fixed): ensure_application looks for the engagement's
    application, finds none in both threads, and the second insert fails on the constraints; the
    IntegrityError is turned into DuplicateApplication, so the second person is told the company
    already applies "with another firm" and the caller files a false RefusedDuplicate."""
    round_obj = open_round(programme)
    firm = certified_firm(programme, name="同時作成支援株式会社")
    advisor = advisor_of(firm)
    engagement = engagement_for(firm, advisor, round_obj)
    applicant = engagement.members.get().user

    outcomes = together(
        lambda: ensure_application(engagement=engagement, actor=advisor),
        lambda: ensure_application(engagement=engagement, actor=applicant),
    )

    assert [f"{type(o.error).__name__}: {o.error}" for o in outcomes if o.error] == []
    assert Application.objects.filter(engagement=engagement).count() == 1
    assert {o.value.pk for o in outcomes} == {Application.objects.get(engagement=engagement).pk}
    assert_chain_verifies()


def test_double_click_on_create_application_opens_one_application_and_files_no_refusal(programme):
    """The same race through the button of the support page (its docstring promises that
    pressing it twice makes one application). PRODUCT RACE (failing until fixed), see above."""
    round_obj = open_round(programme)
    firm = certified_firm(programme, name="二度押し支援株式会社")
    advisor = advisor_of(firm)
    engagement = engagement_for(firm, advisor, round_obj)
    clicks = []
    for _ in range(2):
        click = Client()
        click.force_login(advisor)
        clicks.append(click)
    url = f"/applications/from-engagement/{engagement.pk}/"

    outcomes = together(*[(lambda c=c: c.post(url)) for c in clicks])

    assert [f"{type(o.error).__name__}: {o.error}" for o in outcomes if o.error] == []
    application = Application.objects.get(engagement=engagement)
    assert [o.value["Location"] for o in outcomes] == [f"/applications/{application.pk}/"] * 2
    assert not RefusedDuplicate.objects.exists()
    assert_chain_verifies()


# --- 4. Receipt numbers -------------------------------------------------------------------------


def test_applications_submitted_at_once_get_distinct_gap_free_receipt_numbers(programme):
    setups = []
    for i in range(4):
        s = drafting(programme, firm_name=f"受付番号支援{i}合同会社")
        complete(s.application)
        mark_ready(application=s.application, actor=s.advisor)
        setups.append(s)
    mail.outbox.clear()  # the requests for confirmation; what follows counts the receipts
    assert len({s.application.round_id for s in setups}) == 1  # one round, one number series

    outcomes = together(
        *[
            (
                lambda s=s: submit_application(
                    application=s.application, actor=s.applicant, submission_token=uuid.uuid4()
                )
            )
            for s in setups
        ]
    )

    assert unexpected(outcomes) == []
    receipts = list(
        Application.objects.filter(pk__in=[s.application.pk for s in setups]).values_list(
            "receipt_number", flat=True
        )
    )
    numbers = sorted(int(r.rsplit("-", 1)[1]) for r in receipts)
    assert numbers == [1, 2, 3, 4], receipts
    assert len({r.rsplit("-", 1)[0] for r in receipts}) == 1  # same prefix and year
    assert NumberSequence.objects.get().last == 4
    assert ApplicationVersion.objects.count() == 4
    assert AuditEntry.objects.filter(action="application.version_frozen").count() == 4
    # Each application's people got their own receipt, once.
    for s in setups:
        app = Application.objects.get(pk=s.application.pk)
        mine = sorted(m.to[0] for m in mail.outbox if app.receipt_number in m.subject)
        assert mine == people_emailed(app)
    assert len(mail.outbox) == sum(len(people_emailed(s.application)) for s in setups)
    assert_chain_verifies()


def test_the_chain_stays_whole_when_many_edits_are_audited_at_once(programme):
    """Many writers appending to the audit log together: no seq twice, no fork, no gap."""
    apps = [drafting(programme, firm_name=f"監査支援{i}合同会社") for i in range(4)]
    before = AuditEntry.objects.count()

    def edits(s: Any) -> Callable[[], None]:
        def run() -> None:
            for revision, code in enumerate(["goals", "current_state", "goals", "current_state"]):
                plan.save_plan_section(
                    actor=s.advisor,
                    application=s.application,
                    code=code,
                    text=f"{code}の第{revision}版",
                    expected_revision=revision // 2,
                )

        return run

    outcomes = together(*[edits(s) for s in apps])

    assert unexpected(outcomes) == []
    assert AuditEntry.objects.count() == before + 4 * 4
    assert_chain_verifies()


def test_number_series_taken_at_once_from_its_first_number_are_distinct_and_gap_free():
    """next_number on its own (submissions are also serialised by the audit log's lock): four
    writers, the series not yet created, each holding its transaction open a moment."""

    def take() -> list[int]:
        numbers = []
        for _ in range(5):
            with transaction.atomic():
                numbers.append(next_number("concurrency-test", 2026))
                time.sleep(0.005)  # a transaction doing more work after taking its number
        return numbers

    outcomes = together(*[take] * 4)

    assert unexpected(outcomes) == []
    taken = sorted(n for o in outcomes for n in o.value)
    assert taken == list(range(1, 21))
    assert NumberSequence.objects.get(series="concurrency-test", year=2026).last == 20

"""The applicant is told when it is their turn (issue 9, item 8): when the advisor asks for the
final confirmation, the applicant's people are emailed a link to that application (once per
request, through a claim column), the next step is the first thing on their task list and check
page, and every email about an application links to that application (the return notice too)."""

from __future__ import annotations

import pytest
from django.core import mail

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.applications.models import Application
from dxgrant.applications.services import screening
from dxgrant.applications.services.submission import mark_ready, reopen
from dxgrant.applications.tasks import send_confirmation_request
from dxgrant.support.models import EngagementMember, EngagementRole
from tests.factories import UserFactory
from tests.factories.accounts import signed_in
from tests.factories.applications import complete, drafting, make_application, make_version

pytestmark = pytest.mark.django_db


def ready_to_confirm(programme, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    s = drafting(programme)
    colleague = UserFactory(role=Role.APPLICANT, email="staff-member@example.jp", preferred_language="en")
    EngagementMember.objects.create(
        engagement=s.application.engagement, user=colleague, role=EngagementRole.STAFF
    )
    complete(s.application)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mark_ready(application=s.application, actor=s.advisor)
    return s, colleague


def test_asking_for_the_final_confirmation_emails_the_applicants_people_a_link_to_it(
    programme, django_capture_on_commit_callbacks
):
    s, colleague = ready_to_confirm(programme, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([s.applicant.email, colleague.email])
    link = f"/applications/{s.application.pk}/"
    by_address = {m.to[0]: m for m in mail.outbox}
    japanese = by_address[s.applicant.email]
    assert "最終確認" in japanese.subject
    assert link in japanese.body and "/me/" not in japanese.body
    assert s.application.company_name in japanese.body
    english = by_address[colleague.email]
    assert "final confirmation" in english.subject.lower()
    assert link in english.body
    application = Application.objects.get(pk=s.application.pk)
    assert application.confirmation_requested_notified_at is not None


def test_the_request_is_sent_once_and_again_after_the_next_request(
    programme, django_capture_on_commit_callbacks
):
    s, _colleague = ready_to_confirm(programme, django_capture_on_commit_callbacks)
    send_confirmation_request.call(s.application.pk)
    assert len(mail.outbox) == 2  # a task run twice sends nothing the second time
    reopen(application=s.application, actor=s.advisor)
    send_confirmation_request.call(s.application.pk)
    assert len(mail.outbox) == 2  # no longer awaiting the applicant: nothing to ask
    with django_capture_on_commit_callbacks(execute=True):
        mark_ready(application=s.application, actor=s.advisor)
    assert len(mail.outbox) == 4


def test_the_next_step_is_the_first_thing_on_the_applicants_pages(
    programme, django_capture_on_commit_callbacks
):
    s, _colleague = ready_to_confirm(programme, django_capture_on_commit_callbacks)
    pk = s.application.pk
    client = signed_in(s.applicant)
    for path in (f"/applications/{pk}/", f"/applications/{pk}/check/"):
        page = client.get(path).content.decode()
        main = page[page.index("<main") :]
        assert "次にすること" in main, path
        step = main.index("次にすること")
        assert step < main.index("<h2"), path  # before every section of the page
        box = main[step : step + 800]
        assert f'href="/applications/{pk}/confirm/"' in box, path
    # The advisor is told they are waiting for the applicant, not asked to submit.
    advisor_page = signed_in(s.advisor).get(f"/applications/{pk}/").content.decode()
    advisor_main = advisor_page[advisor_page.index("<main") :]
    assert "申請者の確認と提出を待っています" in advisor_main
    assert f'href="/applications/{pk}/confirm/"' not in advisor_main


def test_the_advisor_is_shown_the_next_step_when_the_application_is_complete(programme):
    s = drafting(programme)
    complete(s.application)
    page = signed_in(s.advisor).get(f"/applications/{s.application.pk}/").content.decode()
    main = page[page.index("<main") :]
    step = main.index("次にすること")
    assert step < main.index("<h2")
    assert "申請者に最終確認を依頼" in main[step : step + 800]


def test_the_return_notice_links_to_the_application(programme, django_capture_on_commit_callbacks):
    app = make_application(programme, status=workflow.SCREENING)
    make_version(app)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        screening.return_for_correction(
            app, actor=UserFactory(role=Role.SECRETARIAT), comments={"profile": "住所を確認してください。"}
        )
    assert mail.outbox
    for message in mail.outbox:
        assert f"/applications/{app.pk}/" in message.body
        assert "/me/" not in message.body

"""The applicant's and advisor's pages: the task list, the profile with autosave and conflicts,
declarations (forged as an advisor: refused), the disclosure, confirmation with TOTP, withdrawal,
and the links from the support pages."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core import mail
from django.core.cache import cache

from dxgrant.accounts.models import Role
from dxgrant.applications import completeness, workflow
from dxgrant.applications.models import Application, DeclarationAcceptance
from dxgrant.applications.services.submission import mark_ready, reopen, submit_application
from dxgrant.support.models import ClientInvitation
from dxgrant.support.services import engagements as support_engagements
from dxgrant.support.services import invitations as support_invitations
from tests.factories import UserFactory
from tests.factories.accounts import enrol_totp, signed_in, totp_now, wait_out_code_rollover
from tests.factories.advisors import advisor_of, certified_firm
from tests.factories.applications import complete, drafting
from tests.factories.rounds import open_round
from tests.factories.support import engagement_for

pytestmark = pytest.mark.django_db


def profile_post(app: Application, **values: object) -> dict[str, object]:
    data: dict[str, object] = {"revision": app.profile_revision, "company_name": app.company_name}
    data.update(values)
    return data


def test_task_list_shows_sections_and_statuses(programme):
    s = drafting(programme)
    page = signed_in(s.applicant).get(f"/applications/{s.application.pk}/").content.decode()
    for label in ("会社概要", "事業計画", "経費明細", "添付書類", "宣誓・同意", "報酬・独立性の開示"):
        assert label in page
    assert "未着手" in page and "まだ開始できません" in page


def test_outsiders_get_404(programme):
    s = drafting(programme)
    stranger = advisor_of(certified_firm(programme, name="無関係支援株式会社"))
    for user in (stranger, UserFactory(role=Role.APPLICANT)):
        assert signed_in(user).get(f"/applications/{s.application.pk}/").status_code == 404
        assert signed_in(user).get(f"/applications/{s.application.pk}/profile/").status_code == 404


def test_profile_save_and_return(programme):
    s = drafting(programme)
    client = signed_in(s.applicant)
    response = client.post(
        f"/applications/{s.application.pk}/profile/",
        profile_post(
            s.application,
            employees="１２",
            capital_yen="5,000,000",
            postal_code="１００－０００１",
            **{"return": "1"},
        ),
    )
    assert response.status_code == 302 and response["Location"] == f"/applications/{s.application.pk}/"
    app = Application.objects.get(pk=s.application.pk)
    assert (app.employees, app.capital_yen, app.postal_code) == (12, 5_000_000, "100-0001")
    assert completeness.profile_status(app) == completeness.IN_PROGRESS


def test_profile_autosave_answers_with_the_time(programme):
    s = drafting(programme)
    response = signed_in(s.advisor).post(
        f"/applications/{s.application.pk}/profile/",
        profile_post(s.application, employees="8"),
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "保存しました" in body
    assert 'value="1"' in body  # the new revision, for the next save
    assert Application.objects.get(pk=s.application.pk).employees == 8


def test_bad_input_names_the_field_and_keeps_values(programme):
    s = drafting(programme)
    response = signed_in(s.applicant).post(
        f"/applications/{s.application.pk}/profile/",
        profile_post(s.application, corporate_number="1234567890123", employees="十二", city="千代田区"),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_corporate_number"' in body and 'href="#id_employees"' in body
    assert "千代田区" in body
    assert Application.objects.get(pk=s.application.pk).profile_revision == 0


def test_stale_save_shows_conflict_and_keeps_typed_values(programme):
    s = drafting(programme)
    stale = profile_post(s.application, city="横浜市")
    signed_in(s.advisor).post(
        f"/applications/{s.application.pk}/profile/", profile_post(s.application, city="千代田区")
    )
    response = signed_in(s.applicant).post(f"/applications/{s.application.pk}/profile/", stale)
    body = response.content.decode()
    assert response.status_code == 409
    assert "ほかの方がこの項目を先に保存しました" in body and "横浜市" in body
    assert Application.objects.get(pk=s.application.pk).city == "千代田区"


def test_live_eligibility_reasons_on_profile_page(programme):
    s = drafting(programme)
    client = signed_in(s.applicant)
    client.post(
        f"/applications/{s.application.pk}/profile/",
        profile_post(
            s.application,
            entity_type="corporation",
            employees="300",
            capital_yen="1000000",
            antisocial_ties="false",
            legal_compliance="true",
        ),
    )
    page = client.get(f"/applications/{s.application.pk}/profile/").content.decode()
    assert "常時使用する従業員が100人以下である必要があります。" in page


def test_eligibility_waits_for_the_facts(programme):
    s = drafting(programme)
    page = signed_in(s.applicant).get(f"/applications/{s.application.pk}/").content.decode()
    assert "申請要件を満たしているかを判定します" in page
    assert "100人以下である必要があります" not in page


def test_declarations_start_unticked_and_advisor_post_is_refused(programme):
    s = drafting(programme)
    url = f"/applications/{s.application.pk}/declarations/"
    ids = [d.pk for d in completeness.current_declarations(s.application)]
    page = signed_in(s.applicant).get(url).content.decode()
    assert "checked" not in page
    forged = {f"declaration_{pk}": "on" for pk in ids}
    assert signed_in(s.advisor).post(url, forged).status_code == 403
    assert not DeclarationAcceptance.objects.filter(application=s.application).exists()
    response = signed_in(s.applicant).post(url, forged, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302
    accepted = DeclarationAcceptance.objects.filter(application=s.application)
    assert accepted.count() == len(ids)
    assert {a.ip_address for a in accepted} == {"192.0.2.7"}


def test_declarations_need_a_tick(programme):
    s = drafting(programme)
    response = signed_in(s.applicant).post(f"/applications/{s.application.pk}/declarations/", {})
    assert response.status_code == 400
    assert "チェックを入れてください" in response.content.decode()


def test_disclosure_page_flow(programme):
    s = drafting(programme)
    url = f"/applications/{s.application.pk}/disclosure/"
    data = {
        "revision": 0,
        "fee_amount_yen": "550,000",
        "fee_basis": "時間単価 × 作業時間",
        "fee_timing": "on_payment",
        "success_fee_percent": "",
        "advisor_sells_budget_items": "false",
        "advisor_sales_disclosure": "",
    }
    assert signed_in(s.applicant).post(url, data).status_code == 403
    assert signed_in(s.advisor).post(url, data).status_code == 302
    confirm_url = f"/applications/{s.application.pk}/disclosure/confirm/"
    assert signed_in(s.advisor).post(confirm_url, {"revision": 1}).status_code == 403
    assert not completeness.disclosure_confirmed(Application.objects.get(pk=s.application.pk))
    signed_in(s.applicant).post(confirm_url, {"revision": 1})
    assert completeness.disclosure_confirmed(Application.objects.get(pk=s.application.pk))
    page = signed_in(s.applicant).get(url).content.decode()
    assert "550,000" in page and "確認しました" in page


def test_check_answers_lists_what_is_left(programme):
    s = drafting(programme)
    page = signed_in(s.advisor).get(f"/applications/{s.application.pk}/check/").content.decode()
    assert "提出までに必要なこと" in page
    assert f'href="/applications/{s.application.pk}/profile/"' in page


def test_confirm_requires_totp_enrolment(programme):
    s = drafting(programme)
    complete(s.application)
    mark_ready(application=s.application, actor=s.advisor)
    page = signed_in(s.applicant).get(f"/applications/{s.application.pk}/confirm/").content.decode()
    assert "/accounts/2fa/totp/activate/" in page


def test_confirm_and_submit_with_totp(programme, django_capture_on_commit_callbacks):
    s = drafting(programme)
    complete(s.application)
    mark_ready(application=s.application, actor=s.advisor)
    enrol_totp(s.applicant)
    url = f"/applications/{s.application.pk}/confirm/"
    client = signed_in(s.applicant)
    seen = digest_on(client.get(url))
    token = str(uuid.uuid4())
    fields = {"confirm": "on", "submission_token": token, "content_digest": seen}
    wrong = client.post(url, {"code": "000000", **fields})
    assert wrong.status_code == 400 and "認証コードが正しくない" in wrong.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"code": totp_now(s.applicant), **fields})
    assert response["Location"] == f"/applications/{s.application.pk}/receipt/"
    # The retried request (same token) lands on the receipt, nothing new is created.
    again = client.post(url, {"code": "000000", "confirm": "on", "submission_token": token})
    assert again["Location"] == f"/applications/{s.application.pk}/receipt/"
    app = Application.objects.get(pk=s.application.pk)
    assert app.status == workflow.SUBMITTED and app.versions.count() == 1
    receipt = client.get(f"/applications/{s.application.pk}/receipt/").content.decode()
    assert app.receipt_number in receipt
    pdf = client.get(f"/applications/{s.application.pk}/receipt/1.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert mail.outbox


def digest_on(response) -> str:  # type: ignore[no-untyped-def]
    """The fingerprint of the content the confirm page showed (its hidden field)."""
    match = re.search(r'name="content_digest" value="([0-9a-f]{64})"', response.content.decode())
    assert match, "the confirm page carries the content digest"
    return match.group(1)


def test_submission_refused_when_the_content_changed_after_the_page_was_shown(programme):
    s = drafting(programme)
    complete(s.application)
    mark_ready(application=s.application, actor=s.advisor)
    enrol_totp(s.applicant)
    url = f"/applications/{s.application.pk}/confirm/"
    client = signed_in(s.applicant)
    seen = digest_on(client.get(url))
    # Behind the applicant's back: reopened, the phone number changed, marked ready again.
    reopen(application=s.application, actor=s.advisor)
    Application.objects.filter(pk=s.application.pk).update(phone="03-9999-0000")
    mark_ready(application=Application.objects.get(pk=s.application.pk), actor=s.advisor)
    wait_out_code_rollover()
    fields = {"confirm": "on", "submission_token": str(uuid.uuid4()), "content_digest": seen}
    refused = client.post(url, {"code": totp_now(s.applicant), **fields})
    page = refused.content.decode()
    assert refused.status_code == 400 and "確認画面を開いた後に申請の内容が変わりました" in page
    assert "03-9999-0000" in page  # the current content is shown for a second look
    app = Application.objects.get(pk=s.application.pk)
    assert app.status == workflow.AWAITING_CONFIRMATION and not app.versions.exists()
    # Having looked again, the applicant submits what the page now shows, with a fresh code
    # (allauth refuses a code twice: forget the one used, as if the next period had come).
    cache.clear()
    fields["content_digest"] = digest_on(refused)
    assert digest_on(refused) != seen
    done = client.post(url, {"code": totp_now(s.applicant), **fields})
    assert done.status_code == 302
    assert Application.objects.get(pk=s.application.pk).versions.get().snapshot["profile"]["phone"] == (
        "03-9999-0000"
    )


def test_nothing_can_be_edited_while_the_applicant_confirms_until_reopened(programme):
    s = drafting(programme)
    complete(s.application)
    mark_ready(application=s.application, actor=s.advisor)
    advisor = signed_in(s.advisor)
    profile_url = f"/applications/{s.application.pk}/profile/"
    before = Application.objects.get(pk=s.application.pk).phone
    forged = advisor.post(profile_url, profile_post(s.application, phone="03-1111-2222"))
    assert forged.status_code == 403
    assert Application.objects.get(pk=s.application.pk).phone == before
    task_list = advisor.get(f"/applications/{s.application.pk}/").content.decode()
    assert "修正に戻す" in task_list
    # Staff cannot reopen; another applicant or advisor does not even see it.
    assert (
        signed_in(UserFactory(role=Role.SECRETARIAT))
        .post(f"/applications/{s.application.pk}/reopen/")
        .status_code
        == 403
    )
    assert (
        signed_in(UserFactory(role=Role.ADVISOR))
        .post(f"/applications/{s.application.pk}/reopen/")
        .status_code
        == 404
    )
    response = advisor.post(f"/applications/{s.application.pk}/reopen/", follow=True)
    assert "作成中に戻しました" in response.content.decode()
    app = Application.objects.get(pk=s.application.pk)
    assert app.status == workflow.DRAFTING and app.ready_at is None
    # A second click explains instead of failing.
    again = advisor.post(f"/applications/{s.application.pk}/reopen/", follow=True)
    assert "現在の状態ではこの操作はできません" in again.content.decode()
    assert advisor.post(profile_url, profile_post(app, phone="03-1111-2222")).status_code == 302
    assert Application.objects.get(pk=s.application.pk).phone == "03-1111-2222"


def test_a_reopened_correction_stays_a_correction(programme):
    from dxgrant.applications.services import screening

    s = drafting(programme)
    complete(s.application)
    mark_ready(application=s.application, actor=s.advisor)
    submit_application(application=s.application, actor=s.applicant, submission_token=uuid.uuid4())
    app = Application.objects.get(pk=s.application.pk)
    screening.return_for_correction(
        app, actor=UserFactory(role=Role.SECRETARIAT), comments={"profile": "電話番号を確認してください。"}
    )
    app.refresh_from_db()
    mark_ready(application=app, actor=s.advisor)
    app.refresh_from_db()
    reopen(application=app, actor=s.applicant)
    app.refresh_from_db()
    assert app.status == workflow.RETURNED and app.returned_until is not None


def test_advisor_cannot_open_confirm_or_forge_submit(programme):
    s = drafting(programme)
    complete(s.application)
    mark_ready(application=s.application, actor=s.advisor)
    enrol_totp(s.advisor)
    url = f"/applications/{s.application.pk}/confirm/"
    client = signed_in(s.advisor)
    assert client.get(url).status_code == 403
    forged = {"code": totp_now(s.advisor), "confirm": "on", "submission_token": str(uuid.uuid4())}
    assert client.post(url, forged).status_code == 403
    assert Application.objects.get(pk=s.application.pk).status == workflow.AWAITING_CONFIRMATION


def test_mark_ready_page_refuses_incomplete_with_reasons(programme):
    s = drafting(programme)
    response = signed_in(s.advisor).post(f"/applications/{s.application.pk}/ready/", follow=True)
    assert "会社概要" in response.content.decode()
    assert Application.objects.get(pk=s.application.pk).status == workflow.DRAFTING


def test_withdraw_with_confirmation_step(programme):
    s = drafting(programme)
    url = f"/applications/{s.application.pk}/withdraw/"
    assert signed_in(s.advisor).get(url).status_code == 403
    client = signed_in(s.applicant)
    assert "元に戻せません" in client.get(url).content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400
    assert Application.objects.get(pk=s.application.pk).status == workflow.DRAFTING
    assert client.post(url, {"reason": "", "confirm": "on"}).status_code == 302
    assert Application.objects.get(pk=s.application.pk).status == workflow.WITHDRAWN


def test_support_pages_offer_to_create_then_link(programme):
    firm = certified_firm(programme, name="リンク支援株式会社")
    advisor = advisor_of(firm)
    engagement = engagement_for(firm, advisor, open_round(programme))
    create = f"/applications/from-engagement/{engagement.pk}/"
    page = signed_in(advisor).get(f"/support/engagements/{engagement.pk}/").content.decode()
    assert f'action="{create}"' in page and 'method="post"' in page
    # A GET (a prefetching browser, a crawler) creates nothing.
    assert signed_in(advisor).get(create).status_code == 405
    assert not Application.objects.filter(engagement=engagement).exists()
    response = signed_in(advisor).post(create)
    app = Application.objects.get(engagement=engagement)
    assert response["Location"] == f"/applications/{app.pk}/"
    assert signed_in(advisor).post(create)["Location"] == f"/applications/{app.pk}/"
    assert Application.objects.filter(engagement=engagement).count() == 1
    page = signed_in(advisor).get(f"/support/engagements/{engagement.pk}/").content.decode()
    assert f'href="/applications/{app.pk}/"' in page and f'action="{create}"' not in page
    stranger = UserFactory(role=Role.APPLICANT)
    assert signed_in(stranger).post(create).status_code == 404


def test_accepting_the_invitation_creates_the_application(programme, django_capture_on_commit_callbacks):
    firm = certified_firm(programme, name="招待支援株式会社")
    advisor = advisor_of(firm)
    engagement = support_engagements.start_engagement(
        actor=advisor,
        round=open_round(programme),
        company_name="山田商店",
        corporate_number="",
        representative_name="山田 一郎",
        representative_email="ichiro@yamada.example.jp",
        submission_token=uuid.uuid4(),
    )
    invitation = ClientInvitation.objects.get(engagement=engagement)
    person = UserFactory(role=Role.APPLICANT, email="ichiro@yamada.example.jp")
    support_invitations.accept_invitation(actor=person, invitation=invitation)
    assert Application.objects.filter(engagement=engagement, status=workflow.DRAFTING).exists()


def test_confirm_with_a_garbled_token_is_a_form_error_not_a_crash(programme):
    s = drafting(programme)
    Application.objects.filter(pk=s.application.pk).update(status=workflow.AWAITING_CONFIRMATION)
    enrol_totp(s.applicant)
    url = f"/applications/{s.application.pk}/confirm/"
    response = signed_in(s.applicant).post(url, {"code": "123456", "confirm": "on", "submission_token": "x"})
    assert response.status_code == 400
    assert Application.objects.get(pk=s.application.pk).status == workflow.AWAITING_CONFIRMATION


def test_applicant_cannot_mark_ready(programme):
    s = drafting(programme)
    complete(s.application)
    assert signed_in(s.applicant).post(f"/applications/{s.application.pk}/ready/").status_code == 403
    assert Application.objects.get(pk=s.application.pk).status == workflow.DRAFTING


def test_secretariat_reads_the_profile_but_cannot_save(programme, client_for):
    s = drafting(programme)
    client = client_for(Role.SECRETARIAT)
    page = client.get(f"/applications/{s.application.pk}/profile/").content.decode()
    assert 'name="employees"' in page and "disabled" in page
    assert "保存して戻る" not in page
    response = client.post(
        f"/applications/{s.application.pk}/profile/", profile_post(s.application, employees="5")
    )
    assert response.status_code == 403
    assert Application.objects.get(pk=s.application.pk).profile_revision == 0

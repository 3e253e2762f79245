"""A firm registers: the account, the sections saved and resumed, bad input, two tabs, the
declarations, the documents and the submission."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dxgrant.accounts.models import Role, User
from dxgrant.advisors.models import (
    AdvisorFirm,
    FirmDocument,
    FirmMembership,
    FirmReviewEvent,
    MembershipRole,
    ProposedAdvisor,
    RegistrationEmail,
    RegistrationStatus,
)
from dxgrant.advisors.services import registration as services
from dxgrant.advisors.tasks import send_registration_account_exists, send_registration_confirmation
from dxgrant.integrity.models import AuditEntry
from tests.factories import PASSWORD, UserFactory
from tests.factories.accounts import enrol_on_the_page, signed_in
from tests.factories.advisors import (
    INVALID_CORPORATE_NUMBER,
    VALID_CORPORATE_NUMBER,
    complete_firm,
    draft_firm,
)
from tests.factories.files import PDF_BYTES, PNG_BYTES

pytestmark = pytest.mark.django_db

START = "/advisors/registration/start/"


def section_url(firm: AdvisorFirm, section: str) -> str:
    return f"/advisors/registration/{firm.pk}/{section}/"


def start_data(**overrides: str) -> dict[str, str]:
    return {
        "firm_name": "みらいDX支援合同会社",
        "display_name": "未来 太郎",
        "email": "taro@mirai-dx.example.jp",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


# --- Starting -----------------------------------------------------------------------------------


def test_a_visitor_starts_a_registration_confirms_the_email_and_continues(
    programme, django_capture_on_commit_callbacks
):
    client = Client()
    assert client.get(START).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(START, start_data(email="ｔａｒｏ＠mirai-dx.example.jp"))
    assert response.status_code == 302 and response["Location"] == "/advisors/registration/start/sent/"
    page = client.get(response["Location"]).content.decode()
    assert "taro@mirai-dx.example.jp" in page

    user = User.objects.get(email="taro@mirai-dx.example.jp")
    assert user.role == Role.ADVISOR and user.display_name == "未来 太郎"
    assert user.check_password(PASSWORD)
    assert not EmailAddress.objects.get(user=user).verified
    firm = AdvisorFirm.objects.get(created_by=user)
    assert firm.name == "みらいDX支援合同会社" and firm.registration_status == RegistrationStatus.DRAFT
    assert FirmMembership.objects.get(user=user).role == MembershipRole.ADMIN
    assert AuditEntry.objects.filter(
        action="advisor_firm.registration_started", object_id=str(firm.pk)
    ).exists()

    # Not signed in until the address is confirmed (allauth's mandatory verification).
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["taro@mirai-dx.example.jp"]
    assert "メールアドレスの確認" in message.subject
    assert "みらいDX支援合同会社" in message.body
    confirm = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
    assert confirm is not None
    path = "/" + confirm.group(0).split("/", 3)[3]
    assert client.post(path).status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    signed = client.post(
        "/accounts/login/?next=/advisors/registration/",
        {"login": user.email, "password": PASSWORD},
    )
    assert signed.status_code == 302
    # Advisors need a second factor: the first thing after signing in is setting up the app.
    first = client.get("/advisors/registration/")
    assert first["Location"] == "/accounts/2fa/totp/activate/?next=/advisors/registration/"
    enrol_on_the_page(client)
    mine = client.get("/advisors/registration/")
    assert mine["Location"] == f"/advisors/registration/{firm.pk}/"
    overview = client.get(mine["Location"]).content.decode()
    assert "チェックリスト" in overview and "みらいDX支援合同会社" in overview


def test_bad_start_input_is_listed_and_creates_nothing(programme):
    response = Client().post(START, start_data(email="not-an-email", password1="12345", password2="54321"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "入力内容を確認してください" in page
    assert "メールアドレスの形式が正しくありません" in page
    assert "パスワードが一致しません。" in page
    assert 'value="みらいDX支援合同会社"' in page  # what was typed is kept
    assert not User.objects.filter(role=Role.ADVISOR).exists() and not AdvisorFirm.objects.exists()


def test_a_weak_password_is_refused(programme):
    response = Client().post(START, start_data(password1="password123", password2="password123"))
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not AdvisorFirm.objects.exists()


def test_an_existing_address_says_the_same_and_tells_only_its_owner(
    programme, django_capture_on_commit_callbacks
):
    owner = UserFactory(email="owner@example.jp", role=Role.APPLICANT)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(START, start_data(email="owner@example.jp"))
    # The visitor sees what any other visitor sees: no hint that the account exists.
    assert response["Location"] == "/advisors/registration/start/sent/"
    assert not AdvisorFirm.objects.exists()
    assert User.objects.filter(email="owner@example.jp").count() == 1
    assert User.objects.get(pk=owner.pk).check_password(PASSWORD)  # untouched
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["owner@example.jp"]
    assert "すでにあります" in mail.outbox[0].subject


def test_starting_twice_before_confirming_sends_the_link_again(programme, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(START, start_data())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(START, start_data())
    assert AdvisorFirm.objects.count() == 1 and User.objects.filter(role=Role.ADVISOR).count() == 1
    assert [m.subject for m in mail.outbox] == [
        "【認定事業者の登録申請】メールアドレスの確認をお願いします"
    ] * 2


def test_the_registration_emails_go_once_even_if_their_tasks_run_again(
    programme, django_capture_on_commit_callbacks
):
    UserFactory(email="owner@example.jp", role=Role.APPLICANT)
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(START, start_data())
        Client().post(START, start_data(email="owner@example.jp"))
    assert len(mail.outbox) == 2
    confirmation, notice = RegistrationEmail.objects.order_by("pk")
    assert confirmation.sent_at is not None and notice.sent_at is not None
    # A retry of either task, or a second worker: nothing more is sent.
    send_registration_confirmation.call(confirmation.pk)
    send_registration_account_exists.call(notice.pk)
    assert len(mail.outbox) == 2


def test_the_confirmation_is_not_sent_once_the_address_is_confirmed(
    programme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Client().post(START, start_data())
    EmailAddress.objects.filter(email="taro@mirai-dx.example.jp").update(verified=True)
    for callback in callbacks:
        callback()
    assert mail.outbox == []


def test_an_existing_account_is_told_in_its_own_language(programme, django_capture_on_commit_callbacks):
    UserFactory(email="owner@example.jp", role=Role.APPLICANT, preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(START, start_data(email="owner@example.jp"))
    assert mail.outbox[0].to == ["owner@example.jp"]
    assert "An account with this email address already exists" in mail.outbox[0].subject


def test_a_signed_in_advisor_without_a_firm_only_names_it(programme):
    advisor = UserFactory(role=Role.ADVISOR)
    client = signed_in(advisor)
    page = client.get(START).content.decode()
    assert "パスワード" not in page and "事業者名" in page
    response = client.post(START, {"firm_name": "個人DX事務所"})
    firm = AdvisorFirm.objects.get(created_by=advisor)
    assert response["Location"] == f"/advisors/registration/{firm.pk}/"
    # A second visit goes to the same registration instead of making another.
    assert client.get(START)["Location"] == "/advisors/registration/"
    assert AdvisorFirm.objects.count() == 1


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.SECRETARIAT, Role.REVIEWER])
def test_other_accounts_cannot_register_a_firm(client_for, programme, role):
    client = client_for(role)
    assert client.get(START).status_code == 403
    assert client.post(START, {"firm_name": "X"}).status_code == 403
    assert not AdvisorFirm.objects.exists()


# --- Sections -------------------------------------------------------------------------------------


def test_a_section_is_saved_as_a_draft_and_shown_again(programme):
    firm = draft_firm(programme)
    client = signed_in(firm.created_by)
    page = client.get(section_url(firm, "identity")).content.decode()
    assert 'name="revision"' in page
    response = client.post(
        section_url(firm, "identity"),
        {"revision": firm.revision, "name": firm.name, "name_kana": "てすと", "draft": "1"},
    )
    assert response.status_code == 302 and response["Location"] == section_url(firm, "identity")
    firm.refresh_from_db()
    assert firm.name_kana == "テスト"  # hiragana turned into katakana
    assert firm.revision == 1
    assert 'value="テスト"' in client.get(section_url(firm, "identity")).content.decode()
    entry = AuditEntry.objects.filter(action="advisor_firm.registration_saved").get()
    assert entry.changes["fields"]["name_kana"] == ["", "テスト"]


def test_continue_requires_the_sections_answers_and_keeps_what_was_typed(programme):
    firm = draft_firm(programme)
    client = signed_in(firm.created_by)
    response = client.post(
        section_url(firm, "identity"),
        {
            "revision": firm.revision,
            "legal_form": "kabushiki_kaisha",
            "corporate_number": INVALID_CORPORATE_NUMBER,
            "invoice_number": "T123",
            "name": firm.name,
            "website": "example.jp",
            "continue": "1",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_corporate_number"' in summary and "チェックディジット" in summary
    assert 'href="#id_invoice_number"' in summary
    assert 'href="#id_name_kana"' in summary
    assert f'value="{INVALID_CORPORATE_NUMBER}"' in page
    firm.refresh_from_db()
    assert firm.corporate_number == "" and firm.revision == 0  # nothing saved


def test_continue_goes_to_the_next_section(programme):
    firm = draft_firm(programme)
    client = signed_in(firm.created_by)
    response = client.post(
        section_url(firm, "identity"),
        {
            "revision": 0,
            "legal_form": "kabushiki_kaisha",
            "corporate_number": "５８３５-６７８２-５６２４６",  # full-width digits and hyphens
            "invoice_number": "ｔ" + VALID_CORPORATE_NUMBER,
            "name": firm.name,
            "name_kana": "テスト",
            "continue": "1",
        },
    )
    assert response["Location"] == section_url(firm, "address")
    firm.refresh_from_db()
    assert firm.corporate_number == VALID_CORPORATE_NUMBER
    assert firm.invoice_number == "T" + VALID_CORPORATE_NUMBER


def test_a_corporations_invoice_number_must_carry_its_corporate_number(programme):
    firm = draft_firm(programme)
    other = "T" + "1" + "0" * 12  # some other valid-looking number
    response = signed_in(firm.created_by).post(
        section_url(firm, "identity"),
        {
            "revision": 0,
            "legal_form": "kabushiki_kaisha",
            "corporate_number": VALID_CORPORATE_NUMBER,
            "invoice_number": other,
            "name": firm.name,
            "draft": "1",
        },
    )
    assert response.status_code == 400


def test_the_postal_code_is_normalised(programme):
    firm = draft_firm(programme)
    client = signed_in(firm.created_by)
    client.post(
        section_url(firm, "address"),
        {"revision": 0, "postal_code": "〒１００００１３", "prefecture": "東京都", "draft": "1"},
    )
    firm.refresh_from_db()
    assert firm.postal_code == "100-0013"
    bad = client.post(section_url(firm, "address"), {"revision": 1, "postal_code": "12-345", "draft": "1"})
    assert bad.status_code == 400 and "7桁の数字" in bad.content.decode()


def test_two_tabs_never_silently_overwrite_each_other(programme):
    firm = draft_firm(programme)
    client = signed_in(firm.created_by)
    # Both tabs opened the form at revision 0; the first one saves.
    first = client.post(
        section_url(firm, "competence"), {"revision": 0, "qualifications": "診断士", "draft": "1"}
    )
    assert first.status_code == 302
    second = client.post(
        section_url(firm, "competence"), {"revision": 0, "qualifications": "ITコーディネータ", "draft": "1"}
    )
    assert second.status_code == 409
    page = second.content.decode()
    assert "別の画面（タブ）で、この登録内容が先に保存されています" in page
    assert "ITコーディネータ" in page  # the second tab's typing is still there
    firm.refresh_from_db()
    assert firm.qualifications == "診断士"
    # Saving again, knowingly, overwrites with the second tab's text.
    assert 'name="revision" id="id_revision" value="1"' in page
    again = client.post(
        section_url(firm, "competence"), {"revision": 1, "qualifications": "ITコーディネータ", "draft": "1"}
    )
    assert again.status_code == 302
    firm.refresh_from_db()
    assert firm.qualifications == "ITコーディネータ" and firm.revision == 2


def test_autosave_says_when_it_saved_and_hands_back_the_new_revision(programme, time_machine):
    time_machine.move_to("2026-05-11 14:05:00+09:00", tick=False)
    firm = draft_firm(programme)
    client = signed_in(firm.created_by)
    response = client.post(
        section_url(firm, "competence"),
        {"revision": 0, "experience": "30件", "autosave": "1"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "保存しました 14:05" in body
    assert 'id="id_revision" value="1" hx-swap-oob="true"' in body
    firm.refresh_from_db()
    assert firm.experience == "30件"
    stale = client.post(
        section_url(firm, "competence"),
        {"revision": 0, "experience": "古いタブ", "autosave": "1"},
        headers={"HX-Request": "true"},
    )
    assert "自動保存していません" in stale.content.decode()
    firm.refresh_from_db()
    assert firm.experience == "30件"


def test_proposed_advisors_are_listed_and_replaced(programme):
    firm = draft_firm(programme)
    client = signed_in(firm.created_by)
    data = {
        "revision": 0,
        "advisors-TOTAL_FORMS": "2",
        "advisors-INITIAL_FORMS": "0",
        "advisors-MIN_NUM_FORMS": "0",
        "advisors-MAX_NUM_FORMS": "20",
        "advisors-0-name": "支援 一郎",
        "advisors-0-email": "ICHIRO@example.jp",
        "advisors-0-qualifications": "中小企業診断士",
        "advisors-1-name": "",
        "advisors-1-email": "",
        "continue": "1",
    }
    response = client.post(section_url(firm, "advisors"), data)
    assert response["Location"] == section_url(firm, "competence")
    assert list(ProposedAdvisor.objects.values_list("name", "email")) == [("支援 一郎", "ichiro@example.jp")]
    page = client.get(section_url(firm, "advisors")).content.decode()
    assert 'value="支援 一郎"' in page and "2人目" in page  # one empty row to add another
    # A half-filled row is an error, shown with its row number; nothing changes.
    data |= {"revision": 1, "advisors-1-name": "二郎"}
    bad = client.post(section_url(firm, "advisors"), data)
    assert bad.status_code == 400 and "2人目 メールアドレス" in bad.content.decode()
    assert ProposedAdvisor.objects.count() == 1


def test_declarations_start_unticked_and_record_who_when_and_where(programme):
    firm = draft_firm(programme)
    client = signed_in(firm.created_by)
    page = client.get(section_url(firm, "declarations")).content.decode()
    keys = [d["key"] for d in programme.advisor_certification["declarations"]]
    for key in keys:
        box = re.search(rf'<input type="checkbox" name="{key}"[^>]*>', page)
        assert box is not None and "checked" not in box.group(0)
    # "Continue" needs every box.
    partial = client.post(section_url(firm, "declarations"), {"revision": 0, keys[0]: "on", "continue": "1"})
    assert partial.status_code == 400
    response = client.post(
        section_url(firm, "declarations"),
        {"revision": 0, **dict.fromkeys(keys, "on"), "continue": "1"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    firm.refresh_from_db()
    assert set(firm.declarations) == set(keys)
    record = firm.declarations[keys[0]]
    assert record["ip"] == "203.0.113.9" and record["by"] == firm.created_by_id and record["version"] == 1
    # Unticking one removes its record.
    client.post(
        section_url(firm, "declarations"), {"revision": 1, **dict.fromkeys(keys[1:], "on"), "draft": "1"}
    )
    firm.refresh_from_db()
    assert keys[0] not in firm.declarations and set(firm.declarations) == set(keys[1:])


def test_nobody_else_ticks_the_declarations(programme, client_for):
    firm = draft_firm(programme)
    keys = [d["key"] for d in programme.advisor_certification["declarations"]]
    for role in (Role.SECRETARIAT, Role.ADVISOR):
        response = client_for(role).post(
            section_url(firm, "declarations"), {"revision": 0, **dict.fromkeys(keys, "on"), "draft": "1"}
        )
        assert response.status_code == 404
    colleague = UserFactory(role=Role.ADVISOR)
    FirmMembership.objects.create(firm=firm, user=colleague, role=MembershipRole.ADVISOR)
    with pytest.raises(Exception, match="登録者"):
        services.set_declarations(
            actor=colleague, firm=firm, ticked=keys, expected_revision=0, ip_address="192.0.2.1"
        )
    firm.refresh_from_db()
    assert firm.declarations == {}


# --- Documents ----------------------------------------------------------------------------------


def upload(client: Client, firm: AdvisorFirm, code: str, name: str, content: bytes, content_type: str):
    return client.post(
        section_url(firm, "documents"),
        {"code": code, "file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def test_a_document_is_checked_by_its_content_and_served_only_to_those_who_may_see_it(programme, client_for):
    firm = draft_firm(programme)
    owner = signed_in(firm.created_by)
    # A PNG renamed to .pdf is refused for a PDF-only document, with a clear message.
    refused = upload(owner, firm, "registry_certificate", "touki.pdf", PNG_BYTES, "application/pdf")
    assert refused.status_code == 400 and "PDF形式で提出してください" in refused.content.decode()
    assert not FirmDocument.objects.exists()
    # The same PNG is fine where images are allowed.
    assert upload(owner, firm, "qualifications", "shikaku.png", PNG_BYTES, "image/png").status_code == 302
    assert (
        upload(owner, firm, "registry_certificate", "登記.pdf", PDF_BYTES, "application/pdf").status_code
        == 302
    )
    document = FirmDocument.objects.get(kind="registry_certificate")
    assert document.content_type == "application/pdf" and document.size == len(PDF_BYTES)
    assert len(document.sha256) == 64
    url = f"/advisors/registration/{firm.pk}/documents/{document.pk}/"
    download = owner.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert "attachment" in download["Content-Disposition"]
    assert client_for(Role.SECRETARIAT).get(url).status_code == 200
    assert client_for(Role.AUDITOR).get(url).status_code == 200
    for role in (Role.ADVISOR, Role.APPLICANT, Role.REVIEWER, Role.FINANCE):
        assert client_for(role).get(url).status_code == 404, role
    assert Client().get(url).status_code == 302
    # Another firm's id in the URL does not reach this file either.
    other = draft_firm(programme)
    assert signed_in(other.created_by).get(url).status_code == 404


def test_a_file_over_10_mb_is_refused(programme):
    firm = draft_firm(programme)
    big = PDF_BYTES + b"0" * (10 * 1024 * 1024)
    response = upload(
        signed_in(firm.created_by), firm, "registry_certificate", "big.pdf", big, "application/pdf"
    )
    assert response.status_code == 400 and "10MB以下" in response.content.decode()
    assert not FirmDocument.objects.exists()


def test_a_document_can_be_removed_while_the_draft_is_open(programme):
    firm = draft_firm(programme)
    client = signed_in(firm.created_by)
    upload(client, firm, "fee_schedule", "fees.pdf", PDF_BYTES, "application/pdf")
    document = FirmDocument.objects.get()
    response = client.post(f"/advisors/registration/{firm.pk}/documents/{document.pk}/delete/")
    assert response.status_code == 302 and not FirmDocument.objects.exists()
    assert AuditEntry.objects.filter(action="advisor_firm.document_deleted").exists()


# --- Submitting ---------------------------------------------------------------------------------


def test_an_incomplete_registration_cannot_be_submitted_and_says_what_is_missing(programme):
    firm = draft_firm(programme)
    client = signed_in(firm.created_by)
    overview = client.get(f"/advisors/registration/{firm.pk}/").content.decode()
    assert "未完了" in overview
    response = client.post(f"/advisors/registration/{firm.pk}/submit/", {"revision": 0})
    assert response.status_code == 400
    page = response.content.decode()
    assert "まだ提出できません" in page
    assert f'href="/advisors/registration/{firm.pk}/identity/#id_legal_form"' in page
    assert "「履歴事項全部証明書（法人）／開業届の写し（個人事業主）」を添付してください。" in page
    assert "すべての宣誓項目を確認してチェックしてください。" in page
    assert "アドバイザーとして活動する方を1人以上登録してください。" in page
    firm.refresh_from_db()
    assert firm.registration_status == RegistrationStatus.DRAFT


def test_a_complete_registration_is_submitted_once(programme, django_capture_on_commit_callbacks):
    firm = complete_firm(programme)
    client = signed_in(firm.created_by)
    assert "すべての項目がそろいました" in client.get(f"/advisors/registration/{firm.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/advisors/registration/{firm.pk}/submit/", {"revision": firm.revision})
        second = client.post(f"/advisors/registration/{firm.pk}/submit/", {"revision": firm.revision})
    assert first.status_code == second.status_code == 302
    firm.refresh_from_db()
    assert firm.registration_status == RegistrationStatus.SUBMITTED and firm.submitted_at is not None
    assert FirmReviewEvent.objects.filter(firm=firm, action="submitted").count() == 1
    assert AuditEntry.objects.filter(action="advisor_firm.submitted").count() == 1
    receipts = [m for m in mail.outbox if "提出を受け付けました" in m.subject]
    assert len(receipts) == 1 and "contact@firm.example.jp" in receipts[0].to
    page = client.get(f"/advisors/registration/{firm.pk}/").content.decode()
    assert "この登録はすでに提出されています。" in page
    # Once submitted, the sections are read-only.
    locked = client.post(
        section_url(firm, "competence"), {"revision": firm.revision, "experience": "x", "draft": "1"}
    )
    assert locked.status_code == 302
    firm.refresh_from_db()
    assert firm.experience == "製造業のDX支援 30件"


def test_a_stale_submit_is_refused(programme):
    firm = complete_firm(programme)
    client = signed_in(firm.created_by)
    client.post(f"/advisors/registration/{firm.pk}/submit/", {"revision": firm.revision - 1})
    firm.refresh_from_db()
    assert firm.registration_status == RegistrationStatus.DRAFT


def test_a_failure_midway_leaves_no_half_saved_section(programme, monkeypatch):
    firm = complete_firm(programme)
    before = list(ProposedAdvisor.objects.filter(firm=firm).values_list("name", flat=True))

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("dxgrant.advisors.services.registration.audit_record", broken)
    # The failure is ours (not AuditOutsideTransaction or another RuntimeError of the code).
    with pytest.raises(RuntimeError, match="^disk full$"):
        services.save_registration_section(
            actor=firm.created_by,
            firm=firm,
            section="advisors",
            values={},
            expected_revision=firm.revision,
            advisors=[{"name": "新人", "email": "new@example.jp", "qualifications": ""}],
        )
    assert list(ProposedAdvisor.objects.filter(firm=firm).values_list("name", flat=True)) == before
    assert AdvisorFirm.objects.get(pk=firm.pk).revision == firm.revision


def test_other_people_get_404_for_a_registration(programme, client_for):
    firm = draft_firm(programme)
    for role in Role.values:
        client = client_for(role)
        assert client.get(f"/advisors/registration/{firm.pk}/").status_code == 404
        assert client.get(section_url(firm, "identity")).status_code == 404
    assert signed_in(firm.created_by).get(section_url(firm, "nonsense")).status_code == 404
    missing = signed_in(firm.created_by).get("/advisors/registration/999999/")
    assert missing.status_code == 404


def test_starting_is_rate_limited_per_address(programme, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/m/ip"}
    client = Client()
    for n in range(2):
        assert client.post(START, start_data(email=f"a{n}@example.jp")).status_code == 302
    refused = client.post(START, start_data(email="a9@example.jp"))
    assert refused.status_code == 429 and "一時的に停止" in refused.content.decode()
    assert not User.objects.filter(email="a9@example.jp").exists()
    assert AdvisorFirm.objects.count() == 2


def test_an_advisor_of_a_firm_is_sent_to_the_firm_page_not_the_registration(programme):
    firm = draft_firm(programme)
    colleague = UserFactory(role=Role.ADVISOR)
    FirmMembership.objects.create(firm=firm, user=colleague, role=MembershipRole.ADVISOR)
    client = signed_in(colleague)
    assert client.get("/advisors/registration/")["Location"] == "/firm/"
    assert client.get(f"/advisors/registration/{firm.pk}/").status_code == 404

import uuid

import pytest
from django.core import mail

from dxgrant.integrity.models import AuditEntry
from dxgrant.public.models import Inquiry, InquiryNote, InquiryStatus
from tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = {
        "name": "山田 太郎",
        "organisation": "株式会社やまだ",
        "email": "taro@example.jp",
        "phone": "",
        "category": "eligibility",
        "message": "従業員が100人ちょうどでも申請できますか。",
        "agree": "on",
        "submission_token": str(uuid.uuid4()),
    }
    return data | overrides


def test_an_inquiry_is_stored_acknowledged_and_audited(client, programme, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/contact/", form(), REMOTE_ADDR="198.51.100.1")
    assert len(callbacks) == 1
    assert response.status_code == 302 and response["Location"] == "/contact/thanks/"
    inquiry = Inquiry.objects.get()
    assert inquiry.status == InquiryStatus.NEW and inquiry.ip_address == "198.51.100.1"
    assert inquiry.acknowledged_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["taro@example.jp"]
    assert inquiry.reference in mail.outbox[0].subject
    assert "従業員が100人ちょうど" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="inquiry.received", object_id=str(inquiry.pk)).exists()
    thanks = client.get("/contact/thanks/").content.decode()
    assert inquiry.reference in thanks and "taro@example.jp" in thanks


def test_full_width_email_and_phone_are_normalised(client, programme):
    client.post("/contact/", form(email="ＴＡＲＯ＠ｅｘａｍｐｌｅ．ｊｐ", phone="０３－１２３４－５６７８"))
    inquiry = Inquiry.objects.get()
    assert (inquiry.email, inquiry.phone) == ("taro@example.jp", "03-1234-5678")


def test_bad_input_changes_nothing_and_says_why(client, programme):
    response = client.post("/contact/", form(email="not-an-email", message="", agree=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert "入力内容を確認してください" in page
    assert 'href="#id_email"' in page and 'href="#id_message"' in page
    assert "同意いただけない場合は送信できません" in page
    # What was typed is kept, the refused address included, so it can be corrected.
    assert 'value="山田 太郎"' in page and 'value="株式会社やまだ"' in page
    assert 'value="not-an-email"' in page
    # The message is kept too when something else is refused.
    page = client.post("/contact/", form(email="not-an-email")).content.decode()
    assert "従業員が100人ちょうどでも申請できますか。</textarea>" in page
    assert not Inquiry.objects.exists() and not mail.outbox


def test_a_double_submit_stores_one_inquiry_and_sends_one_email(
    client, programme, django_capture_on_commit_callbacks
):
    data = form()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/contact/", data)
        second = client.post("/contact/", data)
    assert first.status_code == second.status_code == 302
    assert Inquiry.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_acknowledgement_task_is_idempotent(programme):
    from dxgrant.public.tasks import send_inquiry_acknowledgement

    inquiry = InquiryFactory()
    send_inquiry_acknowledgement.call(inquiry.pk)
    send_inquiry_acknowledgement.call(inquiry.pk)
    assert len(mail.outbox) == 1


def test_rate_limit_per_ip(client, programme, settings):
    settings.DXGRANT_INQUIRY_LIMIT_PER_HOUR = 2
    for _ in range(2):
        assert client.post("/contact/", form(), REMOTE_ADDR="198.51.100.9").status_code == 302
    blocked = client.post("/contact/", form(), REMOTE_ADDR="198.51.100.9")
    assert blocked.status_code == 429
    assert "一時的に停止" in blocked.content.decode()
    assert Inquiry.objects.count() == 2
    # Another address is not affected.
    assert client.post("/contact/", form(), REMOTE_ADDR="198.51.100.10").status_code == 302


def test_thanks_page_without_an_inquiry_goes_back_to_the_form(client, programme):
    assert client.get("/contact/thanks/")["Location"] == "/contact/"


# --- the secretariat inbox --------------------------------------------------------------------


def test_inbox_needs_sign_in(client, programme):
    response = client.get("/staff/inquiries/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["applicant", "advisor", "reviewer", "finance"])
def test_inbox_is_refused_to_other_roles(client_for, programme, role):
    inquiry = InquiryFactory()
    client = client_for(role)
    assert client.get("/staff/inquiries/").status_code == 403
    assert client.get(f"/staff/inquiries/{inquiry.pk}/").status_code == 403


def test_secretariat_filters_assigns_and_notes(client_for, programme):
    staff = client_for("secretariat")
    new = InquiryFactory(name="新規の人")
    done = InquiryFactory(name="完了の人", status=InquiryStatus.CLOSED)
    page = staff.get("/staff/inquiries/?status=new").content.decode()
    assert "新規の人" in page and "完了の人" not in page
    response = staff.post(
        f"/staff/inquiries/{new.pk}/", {"status": "in_progress", "assignee": staff.user.pk, "update": "1"}
    )
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.status == InquiryStatus.IN_PROGRESS and new.assignee == staff.user
    assert "新規の人" in staff.get("/staff/inquiries/?mine=1").content.decode()
    staff.post(f"/staff/inquiries/{new.pk}/", {"body": "電話で回答済み。", "add_note": "1"})
    assert InquiryNote.objects.get().body == "電話で回答済み。"
    detail = staff.get(f"/staff/inquiries/{new.pk}/").content.decode()
    assert "電話で回答済み。" in detail
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"inquiry.updated", "inquiry.note_added"} <= actions
    assert done.status == InquiryStatus.CLOSED


def test_auditor_reads_but_cannot_change(client_for, programme):
    auditor = client_for("auditor")
    inquiry = InquiryFactory()
    assert auditor.get(f"/staff/inquiries/{inquiry.pk}/").status_code == 200
    response = auditor.post(f"/staff/inquiries/{inquiry.pk}/", {"status": "closed", "update": "1"})
    assert response.status_code == 403
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.NEW


def test_unknown_inquiry_is_404(client_for, programme):
    assert client_for("secretariat").get("/staff/inquiries/999999/").status_code == 404


def test_inbox_pages_by_key(client_for, programme):
    from dxgrant.public.selectors import INBOX_PAGE_SIZE

    InquiryFactory.create_batch(INBOX_PAGE_SIZE + 5)
    staff = client_for("secretariat")
    first = staff.get("/staff/inquiries/")
    assert len(first.context["inquiries"]) == INBOX_PAGE_SIZE
    before = first.context["next_before"]
    second = staff.get(f"/staff/inquiries/?before={before}")
    assert len(second.context["inquiries"]) == 5
    assert second.context["next_before"] is None


def test_assignee_must_be_secretariat(client_for, make_user, programme):
    staff = client_for("secretariat")
    outsider = make_user("advisor")
    inquiry = InquiryFactory()
    response = staff.post(
        f"/staff/inquiries/{inquiry.pk}/", {"status": "new", "assignee": outsider.pk, "update": "1"}
    )
    assert response.status_code == 200  # the form refuses the choice and says so
    inquiry.refresh_from_db()
    assert inquiry.assignee is None

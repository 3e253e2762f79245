"""What is changed in the Django admin is in the audit log, in the same transaction; what has
its own services (programmes and rounds, inquiries, firms, support) cannot be changed there."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator

from dxgrant.accounts.models import Role
from dxgrant.integrity.models import AuditEntry
from dxgrant.integrity.services import verify_audit_chain
from dxgrant.programs.models import Round
from tests.factories import TOTP_SECRET, InquiryFactory, UserFactory
from tests.factories.accounts import signed_in
from tests.factories.rounds import open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():  # type: ignore[no-untyped-def]
    return signed_in(UserFactory(role=Role.SECRETARIAT, is_staff=True, is_superuser=True))


def test_a_role_changed_in_the_admin_is_audited_with_before_and_after(admin_client):
    target = UserFactory(role=Role.APPLICANT, display_name="山田 花子")
    response = admin_client.post(
        f"/django-admin/accounts/user/{target.pk}/change/",
        {
            "email": target.email,
            "display_name": "山田 花子",
            "role": Role.SECRETARIAT,
            "preferred_language": "ja",
            "is_active": "on",
            "is_staff": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    target.refresh_from_db()
    assert target.role == Role.SECRETARIAT and target.is_staff
    entry = AuditEntry.objects.get(
        action="admin.changed", object_type="accounts.user", object_id=str(target.pk)
    )
    assert entry.actor == admin_client.user
    assert entry.changes["fields"]["role"] == {"from": "applicant", "to": "secretariat"}
    assert entry.changes["fields"]["is_staff"] == {"from": False, "to": True}
    assert verify_audit_chain().ok


def test_a_password_set_in_the_admin_is_audited_without_the_password(admin_client):
    target = UserFactory(role=Role.FINANCE)
    new = "Tq8#vw-admin-reset-2026"
    response = admin_client.post(
        f"/django-admin/accounts/user/{target.pk}/password/",
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="admin.changed", object_id=str(target.pk))
    assert new not in str(entry.changes) and "password" in str(entry.changes).lower()


def test_an_authenticator_deleted_in_the_admin_is_audited(admin_client):
    target = UserFactory(role=Role.AUDITOR)
    authenticator = Authenticator.objects.get(user=target, type=Authenticator.Type.TOTP)
    response = admin_client.post(
        f"/django-admin/mfa/authenticator/{authenticator.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(pk=authenticator.pk).exists()
    entry = AuditEntry.objects.get(action="admin.deleted", object_type="mfa.authenticator")
    assert entry.object_id == str(authenticator.pk) and entry.actor == admin_client.user
    assert entry.changes["user"] == target.email


def test_the_admin_does_not_show_authenticator_secrets(admin_client):
    target = UserFactory(role=Role.AUDITOR)
    authenticator = Authenticator.objects.get(user=target, type=Authenticator.Type.TOTP)
    page = admin_client.get(f"/django-admin/mfa/authenticator/{authenticator.pk}/change/")
    assert page.status_code == 200
    assert authenticator.data["secret"] not in page.content.decode()
    assert TOTP_SECRET not in page.content.decode()


def test_models_with_services_are_read_only_in_the_admin(admin_client, programme):
    round_obj = open_round(programme)
    page = admin_client.get(f"/django-admin/programs/round/{round_obj.pk}/change/")
    assert page.status_code == 200
    refused = admin_client.post(
        f"/django-admin/programs/round/{round_obj.pk}/change/", {"code": round_obj.code, "name_ja": "書換"}
    )
    assert refused.status_code == 403
    assert Round.objects.get(pk=round_obj.pk).name_ja != "書換"
    inquiry = InquiryFactory()
    assert (
        admin_client.post(f"/django-admin/public/inquiry/{inquiry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )

"""The demo data: every stage that exists, written through the services, created once, and
refused where demo data is disabled."""

from __future__ import annotations

from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from dxgrant.accounts.models import Role, User
from dxgrant.advisors.models import AdvisorFirm, RegistrationStatus
from dxgrant.advisors.sections import registration_missing
from dxgrant.applications import completeness, workflow
from dxgrant.applications.completeness import readiness_problems
from dxgrant.applications.models import Application
from dxgrant.config.settings import base
from dxgrant.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from dxgrant.demo.firms import DEMO_FIRMS
from dxgrant.demo.seed import seed_demo
from dxgrant.integrity.models import AuditEntry
from dxgrant.integrity.services import verify_audit_chain
from dxgrant.support.models import Engagement, HearingRecord, TrainingSession

pytestmark = pytest.mark.django_db
DEMO_ACCOUNTS_EMAILS = [a.email for a in DEMO_ACCOUNTS]


def sign_in(client: Client, email: str, password: str = DEMO_PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_demo_accounts_sign_in_with_the_printed_code(programme, capsys):
    seed_demo()
    assert {a.role for a in DEMO_ACCOUNTS} == set(Role.values)
    assert Authenticator.objects.filter(user__role=Role.SECRETARIAT).count() == 1
    assert not Authenticator.objects.filter(user__role=Role.APPLICANT).exists()
    client = Client()
    sign_in(client, "secretariat@demo.dxgrant.jp")
    call_command("demo_otp", "secretariat@demo.dxgrant.jp")
    code = capsys.readouterr().out.strip()
    assert len(code) == 6 and code.isdigit()
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert client.get("/staff/inquiries/").status_code == 200


def test_the_seed_command_prints_every_account(programme, capsys):
    # Without the review's 34 applications (tests/demo/test_review_demo.py seeds those; make run's
    # test runs the command in full).
    call_command("seed_demo", without_review=True)
    out = capsys.readouterr().out
    for email in DEMO_ACCOUNTS_EMAILS:
        assert email in out
    assert "demo-pass-2026" in out and "demo-otp secretariat@demo.dxgrant.jp" in out
    assert "demo-otp finance2@demo.dxgrant.jp" in out


def test_seeding_twice_is_harmless(programme):
    seed_demo()
    counts = (
        User.objects.count(),
        Authenticator.objects.count(),
        AdvisorFirm.objects.count(),
        Engagement.objects.count(),
        Application.objects.count(),
        HearingRecord.objects.count(),
        TrainingSession.objects.count(),
    )
    seed_demo()
    assert (
        User.objects.count(),
        Authenticator.objects.count(),
        AdvisorFirm.objects.count(),
        Engagement.objects.count(),
        Application.objects.count(),
        HearingRecord.objects.count(),
        TrainingSession.objects.count(),
    ) == counts
    assert set(DEMO_ACCOUNTS_EMAILS) <= set(User.objects.values_list("email", flat=True))
    # Every role but the applicant needs a second factor (advisors too).
    assert Authenticator.objects.filter(user__email__in=DEMO_ACCOUNTS_EMAILS).count() == 5


def test_demo_data_is_refused_where_demo_is_disabled(programme, settings):
    settings.DXGRANT_DEMO_ENABLED = False
    with pytest.raises(ImproperlyConfigured):
        seed_demo()
    assert not User.objects.exists()


def test_the_demo_app_is_not_installed_by_default():
    """Production and any settings that do not ask for demo data never have the demo app."""
    assert "dxgrant.demo" not in base.INSTALLED_APPS
    assert "dxgrant.demo" in django_settings.INSTALLED_APPS  # the test settings enable it


def test_domain_code_does_not_branch_on_the_demo_setting():
    package = Path(base.PACKAGE_DIR)
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "DXGRANT_DEMO_ENABLED" in path.read_text(encoding="utf-8")
        and path.parts[len(package.parts)] not in ("demo", "config")
    ]
    assert offenders == []


def test_every_demo_stage_is_written_through_the_services(programme):
    """The audit log shows the acts the pages would write: registrations submitted and decided
    by the secretariat, the course passed, support started and accepted, the hearing and the
    training recorded by the advisor, the application submitted by its applicant."""
    seed_demo()
    actions = {(e.action, e.actor_label) for e in AuditEntry.objects.all()}
    secretariat = "secretariat@demo.dxgrant.jp"
    lead = "advisor-lead@demo.dxgrant.jp"
    expected = {
        ("advisor_firm.submitted", "advisor@demo.dxgrant.jp"),
        ("advisor_firm.certified", secretariat),
        ("advisor_firm.suspended", secretariat),
        ("advisor_firm.revoked", secretariat),
        ("advisor.invited", "advisor@demo.dxgrant.jp"),
        ("advisor.joined", lead),
        ("advisor_course.quiz_taken", lead),
        ("support.engagement_started", lead),
        ("support.invitation_accepted", "applicant@demo.dxgrant.jp"),
        ("support.hearing_recorded", lead),
        ("support.training_scheduled", lead),
        ("application.profile_saved", "applicant@demo.dxgrant.jp"),
        ("application.submit", "sakura@demo.dxgrant.jp"),
    }
    assert expected <= actions, sorted(expected - actions)
    assert verify_audit_chain().ok


def test_demo_firms_cover_every_state(programme):
    seed_demo()
    firms = [
        f
        for f in AdvisorFirm.objects.filter(created_by__email__endswith="@demo.dxgrant.jp")
        if f.created_by.email.startswith("firm-")
    ]
    assert len(firms) == len(DEMO_FIRMS)
    statuses = sorted(str(f.public_status() or f.registration_status) for f in firms)
    assert statuses == ["active", "active", "expired", "revoked", "submitted", "suspended"]
    for firm in firms:
        assert registration_missing(firm) == [], firm.name
    numbers = [f.certification_number for f in firms if f.certification_number]
    assert len(set(numbers)) == len(numbers) == 5
    page = Client().get("/advisors/").content.decode()
    assert "くすのきビジネス研究所" in page and "さくらデジタル経営支援株式会社" not in page
    submitted = AdvisorFirm.objects.get(registration_status=RegistrationStatus.SUBMITTED)
    assert submitted.documents.count() == 2


def test_the_demo_applicant_finds_an_application_begun(programme):
    seed_demo()
    seed_demo()
    application = Application.objects.get(company_name="株式会社やまだ製作所")
    client = Client()
    sign_in(client, "applicant@demo.dxgrant.jp")
    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert "作成中" in page and "会社概要" in page
    assert completeness.profile_status(application) == completeness.IN_PROGRESS


def test_the_demo_applicant_has_a_hearing_to_confirm_and_a_session_running(programme):
    seed_demo()
    client = Client()
    sign_in(client, "applicant@demo.dxgrant.jp")
    page = client.get("/support/my/").content.decode()
    assert "株式会社やまだ製作所" in page
    hearing = HearingRecord.objects.get(engagement__company_name="株式会社やまだ製作所")
    assert hearing.responded_at is None
    session = TrainingSession.objects.get(engagement__company_name="株式会社やまだ製作所")
    assert session.starts_at <= timezone.now() < session.ends_at


def test_the_demo_secretariat_finds_a_submitted_application(programme, client_for):
    seed_demo()
    application = Application.objects.get(company_name="株式会社さくら食品")
    assert application.status == workflow.SUBMITTED and application.receipt_number
    assert application.versions.count() == 1 and readiness_problems(application) == []
    assert application.documents.filter(budget_line__isnull=False).count() == 3  # 相見積 on the large line
    page = client_for(Role.SECRETARIAT).get("/staff/applications/").content.decode()
    assert application.receipt_number in page

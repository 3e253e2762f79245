"""Certified firms and their people for tests, built directly (the registration flow has its own tests)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dxgrant.accounts.models import Role, User
from dxgrant.advisors.models import (
    AdvisorFirm,
    CertificationState,
    CourseProgress,
    FirmMembership,
    MembershipRole,
    RegistrationStatus,
)
from dxgrant.programs.models import Programme
from tests.factories import UserFactory

_counter = iter(range(1, 10**6))


def certified_firm(
    programme: Programme,
    *,
    name: str = "DX支援合同会社",
    state: str = CertificationState.ACTIVE,
    valid_until: dt.date | None = None,
    admin: User | None = None,
) -> AdvisorFirm:
    today = timezone.localdate()
    admin = admin or UserFactory(role=Role.ADVISOR)
    n = next(_counter)
    firm = AdvisorFirm.objects.create(
        programme=programme,
        registration_status=RegistrationStatus.CERTIFIED,
        name=name,
        prefecture="東京都",
        certification_number=f"DXA-2026-{n:05d}",
        certification_state=state,
        valid_from=today - dt.timedelta(days=30),
        valid_until=valid_until or today + dt.timedelta(days=700),
        created_by=admin,
    )
    FirmMembership.objects.create(firm=firm, user=admin, role=MembershipRole.ADMIN)
    return firm


def add_advisor(firm: AdvisorFirm, *, passed_course: bool = False, **user_kwargs: object) -> User:
    user = UserFactory(role=Role.ADVISOR, **user_kwargs)
    FirmMembership.objects.create(firm=firm, user=user, role=MembershipRole.ADVISOR)
    if passed_course:
        pass_course(user, firm.programme)
    return user


def pass_course(user: User, programme: Programme) -> None:
    CourseProgress.objects.update_or_create(
        user=user,
        programme=programme,
        course_version=programme.course.version,
        defaults={
            "passed_at": timezone.now(),
            "best_score_percent": 100,
            "modules_read": [m.code for m in programme.course.modules],
        },
    )


def firm_admin(firm: AdvisorFirm) -> User:
    return FirmMembership.objects.get(firm=firm, role=MembershipRole.ADMIN, is_active=True).user

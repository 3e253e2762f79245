"""Reads about advisor firms: a registration for its registrant or for review, the secretariat's
queue, the public register, a firm's team, an invitation by its link, course progress, and who
hears about a decision. Every read that depends on who asks is filtered here."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dxgrant.accounts.models import User, Visitor
from dxgrant.core.pagination import KeysetPage, keyset_page
from dxgrant.core.search import matching
from dxgrant.core.tokens import hash_token
from dxgrant.programs.models import Programme

from .models import (
    AdvisorFirm,
    AdvisorInvitation,
    CertificationState,
    CourseProgress,
    FirmMembership,
    MembershipRole,
    PublicStatus,
    RegistrationStatus,
)
from .policies import can_read_registrations, firms_visible_to, is_firm_admin

PAGE_SIZE = 50
CERTIFICATION_NUMBER_RE = re.compile(r"[A-Z]{2,5}-[0-9]{4}-[0-9]{5,}")
# What IMEs produce where a hyphen was meant, the long vowel mark included.
_HYPHENS = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u30fc\uff70", "-"))


# --- A registration -------------------------------------------------------------------------------


def get_firm_for_registrant(user: Visitor, pk: int) -> AdvisorFirm:
    """The registration this person administers; 404 for a missing and a forbidden one alike."""
    firm = firms_visible_to(user).select_related("programme").filter(pk=pk).first()
    if firm is None or not is_firm_admin(user, firm):
        raise Http404
    return firm


def get_firm_for_review(user: Visitor, pk: int) -> AdvisorFirm:
    """A registration as the secretariat or an auditor sees it; 404 for anyone else."""
    firm = (
        firms_visible_to(user).select_related("programme", "created_by").filter(pk=pk).first()
        if can_read_registrations(user)
        else None
    )
    if firm is None:
        raise Http404
    return firm


def review_queue(
    user: Visitor,
    *,
    status: str = RegistrationStatus.SUBMITTED,
    query: str = "",
    after: str = "",
    limit: int = PAGE_SIZE,
) -> KeysetPage[AdvisorFirm]:
    """Registrations in one status, oldest first, paged by id (no OFFSET: page 300 costs what page 1 does)."""
    firms = firms_visible_to(user) if can_read_registrations(user) else AdvisorFirm.objects.none()
    if status in RegistrationStatus.values:
        firms = firms.filter(registration_status=status)
    firms = named(firms, query)
    return keyset_page(
        firms.select_related("created_by"), cursor=after, size=limit, key="id", descending=False
    )


def whole_certification_number(text: str) -> str:
    """`text` as a certification number if it is a whole one however typed (full-width, lower
    case, a long vowel mark for a hyphen), else ""."""
    candidate = unicodedata.normalize("NFKC", text).translate(_HYPHENS).strip().upper()
    return candidate if CERTIFICATION_NUMBER_RE.fullmatch(candidate) else ""


def named(firms: QuerySet[AdvisorFirm], text: str) -> QuerySet[AdvisorFirm]:
    """The firms of `firms` that `text` names: the one firm of a whole certification number
    (DX-2026-00001 must not also find DX-2026-000010), else every firm whose name, reading,
    certification number or 法人番号 contains it, however typed (dxgrant.core.search)."""
    number = whole_certification_number(text)
    if number:
        return firms.filter(certification_number=number)
    return matching(firms, text)


# --- The public register --------------------------------------------------------------------------


def status_filter(status: str, today: dt.date) -> Q:
    """The public status as a database condition (expired is computed from valid_until)."""
    active = Q(certification_state=CertificationState.ACTIVE)
    conditions: dict[str, Q] = {
        PublicStatus.ACTIVE: active & Q(valid_until__gte=today),
        PublicStatus.EXPIRED: active & Q(valid_until__lt=today),
        PublicStatus.SUSPENDED: Q(certification_state=CertificationState.SUSPENDED),
        PublicStatus.REVOKED: Q(certification_state=CertificationState.REVOKED),
    }
    return conditions.get(status, Q())


def public_register(
    *,
    query: str = "",
    prefecture: str = "",
    status: str = "",
    after: str = "",
    today: dt.date | None = None,
    limit: int = PAGE_SIZE,
) -> KeysetPage[AdvisorFirm]:
    """Certified firms for the public register, in certification-number order, paged by key.
    Revoked and expired firms are listed too, marked as such."""
    today = today or timezone.localdate()
    firms: QuerySet[AdvisorFirm] = AdvisorFirm.objects.filter(
        registration_status=RegistrationStatus.CERTIFIED, certification_number__isnull=False
    ).filter(status_filter(status, today))
    firms = named(firms, query)
    if prefecture:
        firms = firms.filter(prefecture=prefecture)
    return keyset_page(firms, cursor=after.strip(), size=limit, key="certification_number", descending=False)


def get_public_firm(certification_number: str) -> AdvisorFirm:
    firm = (
        AdvisorFirm.objects.filter(
            registration_status=RegistrationStatus.CERTIFIED,
            certification_number=certification_number.upper(),
        )
        .select_related("programme")
        .first()
    )
    if firm is None:
        raise Http404(certification_number)
    return firm


# --- A firm's people ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Team:
    """What the firm's page shows about its people: members (each with `course_passed`) and,
    for an administrator, the invitations not yet accepted or revoked."""

    members: list[FirmMembership]
    invitations: list[AdvisorInvitation]


def firm_team(membership: FirmMembership) -> Team:
    firm = membership.firm
    programme = firm.programme
    members = list(
        FirmMembership.objects.filter(firm=firm, is_active=True)
        .select_related("user")
        .order_by("role", "joined_at")
    )
    passed = set(
        CourseProgress.objects.filter(
            user__in=[m.user_id for m in members],
            programme=programme,
            course_version=programme.course.version,
            passed_at__isnull=False,
        ).values_list("user_id", flat=True)
    )
    for member in members:
        member.course_passed = member.user_id in passed  # type: ignore[attr-defined]
    invitations = (
        list(AdvisorInvitation.objects.filter(firm=firm, accepted_at__isnull=True, revoked_at__isnull=True))
        if membership.role == MembershipRole.ADMIN
        else []
    )
    return Team(members, invitations)


class InvitationUnusable(Exception):
    """The link is unknown, expired, revoked or already used."""


def find_invitation(raw_token: str) -> AdvisorInvitation:
    """The invitation a link carries, if it can still be used (InvitationUnusable otherwise)."""
    invitation = (
        AdvisorInvitation.objects.select_related("firm").filter(token_hash=hash_token(raw_token)).first()
    )
    if invitation is None or not invitation.is_usable:
        raise InvitationUnusable
    return invitation


def course_progress_for(user: User, programme: Programme) -> CourseProgress:
    """The person's progress on the programme's current course version; an unsaved blank one
    if they have not started (the services create it on the first write)."""
    keys = {"user": user, "programme": programme, "course_version": programme.course.version}
    return CourseProgress.objects.filter(**keys).first() or CourseProgress(**keys, modules_read=[])


# --- Who hears about a decision ---------------------------------------------------------------


def firm_recipients(firm: AdvisorFirm) -> list[str]:
    """The firm's contact address and its administrators, each once."""
    emails = [firm.contact_email] if firm.contact_email else []
    emails += list(
        User.objects.filter(
            firm_memberships__firm=firm,
            firm_memberships__role=MembershipRole.ADMIN,
            firm_memberships__is_active=True,
        )
        .order_by("pk")
        .values_list("email", flat=True)
    )
    seen: dict[str, None] = {}
    for email in emails:
        seen.setdefault(email.lower(), None)
    return list(seen)


def affected_applicants(firm: AdvisorFirm) -> list[User]:
    """Everyone of every applicant company the firm supports (support.EngagementMember), once each."""
    return list(
        User.objects.filter(engagement_memberships__engagement__firm=firm, is_active=True)
        .distinct()
        .order_by("pk")
    )

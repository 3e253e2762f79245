"""Reads for the public site and the secretariat's inquiry inbox."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dxgrant.accounts.models import Role, User, Visitor
from dxgrant.core.pagination import KeysetPage, keyset_page
from dxgrant.programs.models import Programme, Round
from dxgrant.programs.selectors import public_rounds

from .models import Inquiry, InquiryStatus
from .policies import inquiries_visible_to

INBOX_PAGE_SIZE = 50


@dataclass(frozen=True)
class ProgrammeOverview:
    """What every page about the programme shows: its rounds, each with today's status."""

    programme: Programme
    rounds: list[Round]
    # The round people are most likely asking about: an open one, else the latest real one.
    featured_round: Round | None
    demo_rounds: list[Round]
    today: dt.date

    @property
    def open_round(self) -> Round | None:
        """The round taking applications today, where the self-check leads: a real one before a
        demo one (the demo round is labelled as such on the pages)."""
        taking = [r for r in self.rounds if r.status == "open"]  # type: ignore[attr-defined]
        return next((r for r in taking if not r.is_demo), None) or next(iter(taking), None)

    @property
    def last_closed_round(self) -> Round | None:
        """The latest real round whose window has closed: its rules, when none is open."""
        return next((r for r in reversed(self.rounds) if r.status == "closed" and not r.is_demo), None)  # type: ignore[attr-defined]


def programme_overview(programme: Programme, *, today: dt.date | None = None) -> ProgrammeOverview:
    today = today or timezone.localdate()
    rounds = public_rounds(programme)
    for round_obj in rounds:
        # The templates read `round.status` (one computation for the page).
        round_obj.status = round_obj.application_status(today)  # type: ignore[attr-defined]
    featured = next((r for r in rounds if r.status == "open" and not r.is_demo), None)  # type: ignore[attr-defined]
    featured = featured or next((r for r in reversed(rounds) if not r.is_demo), None)
    return ProgrammeOverview(
        programme=programme,
        rounds=rounds,
        featured_round=featured,
        demo_rounds=[r for r in rounds if r.is_demo],
        today=today,
    )


def inquiries_from_ip_last_hour(ip_address: str | None) -> int:
    """How many inquiries this address sent in the last hour (the rate limit counts stored rows,
    so it holds across web processes without a shared cache)."""
    if not ip_address:
        return 0
    since = timezone.now() - dt.timedelta(hours=1)
    return Inquiry.objects.filter(ip_address=ip_address, created_at__gte=since).count()


def sent_inquiry(pk: int | None) -> Inquiry | None:
    """The inquiry this browser just sent, for the thank-you page (its number and address)."""
    if not pk:
        return None
    return Inquiry.objects.filter(pk=pk).only("id", "email").first()


def inbox_page(
    user: Visitor, *, status: str, mine: bool, before: str | None, size: int = INBOX_PAGE_SIZE
) -> KeysetPage[Inquiry]:
    """One page of the inbox, newest first, filtered by status and by assignee."""
    inquiries = inquiries_visible_to(user).select_related("assignee")
    if status in InquiryStatus.values:
        inquiries = inquiries.filter(status=status)
    if mine:
        inquiries = inquiries.filter(assignee_id=user.pk)
    return keyset_page(inquiries, cursor=before, size=size)


def get_inquiry_for(user: Visitor, pk: int) -> Inquiry:
    """The inquiry with its assignee; 404 for missing and forbidden alike."""
    return get_object_or_404(inquiries_visible_to(user).select_related("assignee"), pk=pk)


def inquiry_assignees() -> QuerySet[User]:
    """Who an inquiry may be assigned to: active secretariat staff."""
    return User.objects.filter(role=Role.SECRETARIAT, is_active=True).order_by("email")

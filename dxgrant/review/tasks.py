"""Emails of the review, sent the one house way (core.notify): services enqueue these on commit
with ids; each claims its row's "sent" column and sends in the same transaction."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from dxgrant.accounts.models import User
from dxgrant.core import notify

from . import lifecycle
from .models import Assignment, ReviewerInvitation, ReviewerMembership, Score


@task()
def send_pool_invitation(membership_id: int) -> None:
    """Tell a reviewer they were added to a round's pool, with the link to accept its terms.
    Claims ReviewerMembership.invited_emailed_at."""
    with transaction.atomic():
        membership = (
            ReviewerMembership.objects.select_related("round", "reviewer").filter(pk=membership_id).first()
        )
        if membership is None or not notify.claim(ReviewerMembership, membership.pk, "invited_emailed_at"):
            return
        link = notify.site_url(reverse("review:terms", args=[membership.round.code]))
        context = {"membership": membership, "round": membership.round, "link": link}
        notify.send_email("review/email/pool_invitation", context, to=membership.reviewer)


@task()
def send_reviewer_invitation(invitation_id: int) -> None:
    """Email a person without an account the link to become a reviewer of the round. Claims
    ReviewerInvitation.sent_at (cleared by each resend); an accepted or revoked invitation is not
    sent. The link is rebuilt from the stored nonce (the raw token is stored nowhere). Bilingual:
    the invitee has no account and so no chosen language."""
    with transaction.atomic():
        invitation = (
            ReviewerInvitation.objects.select_related("round")
            .filter(pk=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True)
            .first()
        )
        if invitation is None or not notify.claim(ReviewerInvitation, invitation.pk, "sent_at"):
            return
        context = {
            "invitation": invitation,
            "round": invitation.round,
            "link": notify.site_url(reverse("review:invitation_accept", args=[invitation.link_token()])),
        }
        # The invitee has no account, so no language of their own: Japanese, then English.
        notify.send_bilingual_email("review/email/reviewer_invitation", context, to=invitation.email)


@task()
def send_assignments(reviewer_id: int, round_id: int) -> None:
    """One email to a reviewer for all the places they were given in a round and not yet told of
    (a draw, a refill, a place added by hand). Claims Assignment.notified_at of those places with
    one conditional UPDATE: a task run twice finds nothing left to announce."""
    with transaction.atomic():
        reviewer = User.objects.filter(pk=reviewer_id, is_active=True).first()
        if reviewer is None:
            return
        waiting = Assignment.objects.filter(
            reviewer_id=reviewer_id,
            application__round_id=round_id,
            status__in=lifecycle.HOLDING,
            notified_at__isnull=True,
        )
        due = sorted(waiting.values_list("due_on", flat=True))
        claimed = waiting.update(notified_at=timezone.now())
        if not claimed:
            return
        membership = ReviewerMembership.objects.select_related("round").get(
            round_id=round_id, reviewer_id=reviewer_id
        )
        context = {
            "round": membership.round,
            "count": claimed,
            "due_on": due[0] if due else None,
            "link": notify.site_url(reverse("review:queue")),
        }
        notify.send_email("review/email/assigned", context, to=reviewer)


@task()
def send_score_reopened(score_id: int) -> None:
    """Tell the reviewer the secretariat reopened their submitted score, and why. Claims
    Score.reopen_emailed_at (cleared by each reopening)."""
    with transaction.atomic():
        score = (
            Score.objects.select_related("assignment__reviewer", "assignment__application__round")
            .filter(pk=score_id)
            .first()
        )
        if score is None or not notify.claim(Score, score.pk, "reopen_emailed_at"):
            return
        assignment = score.assignment
        context = {
            "score": score,
            "round": assignment.application.round,
            "link": notify.site_url(reverse("review:score", args=[assignment.pk])),
        }
        notify.send_email("review/email/reopened", context, to=assignment.reviewer)

"""The engagement's lifecycle (伴走支援の状態), declared as data in one place.

An engagement starts `invited` when an advisor invites the company's representative, becomes
`active` when the representative accepts the invitation, and `ended` when the representative
or the firm ends the support. Nothing leaves `ended`.

Keys are untranslated constants. Each transition names who may fire it (the side of the
engagement the person is on, see `policies.side_of`) and its guards, which the services
evaluate (`services.transitions`). Transitions are fired through `services.transitions.fire`
only: it checks this table, evaluates the guards, saves the new state and writes the audit
entry in the same transaction. The status column carries a check constraint built from it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dxgrant.core.lifecycle import Lifecycle, transition


class EngagementStatus(models.TextChoices):
    INVITED = "invited", _("招待中")
    ACTIVE = "active", _("支援中")
    ENDED = "ended", _("終了")


# The sides of an engagement a person can be on (who may fire a transition).
REPRESENTATIVE = "representative"  # the applicant company's representative
COMPANY_STAFF = "company_staff"  # delegated staff of the applicant company
ADVISOR = "advisor"  # an advisor of the supporting firm

# Guards (evaluated by services.transitions).
APPLICATION_NOT_SUBMITTED = "application_not_submitted"

ENGAGEMENT = Lifecycle.of(
    "engagement",
    {status.value: status.label for status in EngagementStatus},
    [
        # The representative accepting the emailed invitation starts the support. The database
        # keeps one active engagement per company (法人番号) and round: the first accepted wins.
        transition(
            "accept",
            [EngagementStatus.INVITED],
            EngagementStatus.ACTIVE,
            [REPRESENTATIVE],
            _("招待を承諾する"),
        ),
        # Ending the support: the company's right to choose its advisor, or the firm's to stop.
        # An application not yet submitted closes with it.
        transition(
            "end",
            [EngagementStatus.INVITED, EngagementStatus.ACTIVE],
            EngagementStatus.ENDED,
            [REPRESENTATIVE, ADVISOR],
            _("支援を終了する"),
            guards=[APPLICATION_NOT_SUBMITTED],
        ),
    ],
)

# States in which the support goes on: hearings, training and invitations can be managed.
ONGOING = frozenset({EngagementStatus.INVITED.value, EngagementStatus.ACTIVE.value})

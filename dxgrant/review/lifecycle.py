"""A reviewer's assignment to an application, declared as one table (core.lifecycle).

The reviewer first sees only the company's name, its advisor firm and prefecture, and declares
whether they have a conflict of interest (利益相反). Without one they score; a declared conflict
ends the assignment (the application is reassigned). A submitted score is locked; only the
secretariat reopens it, with a reason, or removes a reviewer from an application.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dxgrant.core.lifecycle import Lifecycle, transition

AWAITING_DECLARATION = "awaiting_declaration"
SCORING = "scoring"
SUBMITTED = "submitted"
CONFLICTED = "conflicted"
REMOVED = "removed"

STATES: dict[str, Promise] = {
    AWAITING_DECLARATION: _("利益相反の申告待ち"),
    SCORING: _("採点中"),
    SUBMITTED: _("採点提出済み"),
    CONFLICTED: _("利益相反により辞退"),
    REMOVED: _("担当から外れた"),
}

# States in which the reviewer still holds a place on the application.
HOLDING = frozenset({AWAITING_DECLARATION, SCORING, SUBMITTED})

REVIEWER = "reviewer"
SECRETARIAT = "secretariat"

ASSIGNMENT = Lifecycle.of(
    "assignment",
    STATES,
    [
        transition("declare_none", [AWAITING_DECLARATION], SCORING, [REVIEWER], _("利益相反はない")),
        transition("declare_conflict", [AWAITING_DECLARATION], CONFLICTED, [REVIEWER], _("利益相反がある")),
        transition("submit", [SCORING], SUBMITTED, [REVIEWER], _("採点を提出する")),
        transition("reopen", [SUBMITTED], SCORING, [SECRETARIAT], _("採点を差し戻す")),
        transition(
            "remove", [AWAITING_DECLARATION, SCORING, SUBMITTED], REMOVED, [SECRETARIAT], _("担当から外す")
        ),
    ],
)

"""The application's state machine, declared as data in one place (a core.lifecycle Lifecycle).

Keys are untranslated constants (never translate them: labels are separate). Each transition
names who may fire it and the guards that must hold; the guards are functions registered by
name in `guards.py`, and `services.transitions.transition` checks the actor's side, the source
state and every guard before it saves the new state and writes the audit entry in the same
transaction.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dxgrant.core.lifecycle import Lifecycle, Transition, transition

INVITED = "invited"
DRAFTING = "drafting"
AWAITING_CONFIRMATION = "awaiting_applicant_confirmation"
SUBMITTED = "submitted"
SCREENING = "screening"
RETURNED = "returned"
IN_REVIEW = "in_review"
AWARDED = "awarded"
REJECTED = "rejected"
NOTIFIED = "notified"
ACCEPTED = "accepted"
PAID = "paid"
REPORTING = "reporting"
COMPLETED = "completed"
WITHDRAWN = "withdrawn"
CANCELLED = "cancelled"
REPAYMENT_DUE = "repayment_due"
REPAID = "repaid"

STATES: dict[str, Promise] = {
    INVITED: _("招待中"),
    DRAFTING: _("作成中"),
    AWAITING_CONFIRMATION: _("申請者の確認待ち"),
    SUBMITTED: _("提出済み"),
    SCREENING: _("形式審査中"),
    RETURNED: _("差戻し（修正中）"),
    IN_REVIEW: _("交付審査中"),
    AWARDED: _("採択"),
    REJECTED: _("不採択"),
    NOTIFIED: _("交付通知済み"),
    ACCEPTED: _("受諾済み"),
    PAID: _("交付済み"),
    REPORTING: _("実績報告中"),
    COMPLETED: _("完了"),
    WITHDRAWN: _("取下げ"),
    CANCELLED: _("交付決定取消"),
    REPAYMENT_DUE: _("返還請求中"),
    REPAID: _("返還済み"),
}

# States in which the application still occupies the company's one place in the round.
ENDED = frozenset({WITHDRAWN, REJECTED, REPAID, COMPLETED})
# States in which the applicant and advisor may edit the content. Not while the applicant is
# confirming: what they review is what they submit; "reopen" puts it back to editing.
EDITABLE = frozenset({DRAFTING, RETURNED})

# Who fires a transition (the person's side of the application, policies.side_of).
APPLICANT = "applicant"
ADVISOR = "advisor"
SECRETARIAT = "secretariat"
# The association's finance staff: they pay (awards/services/payments.py).
FINANCE = "finance"
SYSTEM = "system"

# Guards (guards.py evaluates each by name).
READY_TO_SUBMIT = "ready_to_submit"  # every section complete and the eligibility rules met
WINDOW_OPEN = "window_open"  # the round's application window (a first submission)
CORRECTION_NOT_OVERDUE = "correction_not_overdue"  # a correction by the due date of its return
HAS_FILED_VERSION = "has_filed_version"  # a return comments on a submitted version
# The round's conditions of submission: a confirmed hearing, the training hours, the quiz.
SUPPORT_REQUIREMENTS_MET = "support_requirements_met"
# Every item of the round's screening checklist confirmed as met for the latest version.
SCREENING_CONFIRMED = "screening_confirmed"

LIFECYCLE = Lifecycle.of(
    "application",
    STATES,
    [
        transition("start", {INVITED}, DRAFTING, {APPLICANT, SYSTEM}, _("作成を開始")),
        transition(
            "mark_ready",
            {DRAFTING, RETURNED},
            AWAITING_CONFIRMATION,
            {ADVISOR},
            _("申請者の確認へ回す"),
            guards=[READY_TO_SUBMIT, SUPPORT_REQUIREMENTS_MET],
        ),
        transition("reopen", {AWAITING_CONFIRMATION}, DRAFTING, {ADVISOR, APPLICANT}, _("修正に戻す")),
        # The same, for a correction after a return: it stays a correction (its due date holds).
        transition(
            "reopen_correction", {AWAITING_CONFIRMATION}, RETURNED, {ADVISOR, APPLICANT}, _("修正に戻す")
        ),
        transition(
            "submit",
            {AWAITING_CONFIRMATION},
            SUBMITTED,
            {APPLICANT},
            _("提出"),
            guards=[CORRECTION_NOT_OVERDUE, WINDOW_OPEN, READY_TO_SUBMIT, SUPPORT_REQUIREMENTS_MET],
        ),
        transition("begin_screening", {SUBMITTED}, SCREENING, {SECRETARIAT}, _("形式審査を開始")),
        transition(
            "return", {SUBMITTED, SCREENING}, RETURNED, {SECRETARIAT}, _("差戻し"), guards=[HAS_FILED_VERSION]
        ),
        transition(
            "pass_screening",
            {SCREENING},
            IN_REVIEW,
            {SECRETARIAT},
            _("交付審査へ"),
            guards=[HAS_FILED_VERSION, SCREENING_CONFIRMED],
        ),
        # The formal screening's refusal: the reasons the applicant reads are required
        # (services.screening.reject_as_ineligible) and kept on a ScreeningDecision.
        transition(
            "reject_ineligible",
            {SCREENING},
            REJECTED,
            {SECRETARIAT},
            _("要件を満たさないため不採択"),
            guards=[HAS_FILED_VERSION],
        ),
        transition("award", {IN_REVIEW}, AWARDED, {SECRETARIAT}, _("採択")),
        # The committee's refusal after review; from screening it is reject_ineligible.
        transition("reject", {IN_REVIEW}, REJECTED, {SECRETARIAT}, _("不採択")),
        transition("notify", {AWARDED}, NOTIFIED, {SECRETARIAT}, _("交付通知")),
        transition("accept", {NOTIFIED}, ACCEPTED, {APPLICANT}, _("受諾")),
        transition("pay", {ACCEPTED}, PAID, {SECRETARIAT, FINANCE}, _("交付")),
        # The applicant's confirmation of the results report; from accepted too when the round
        # pays nothing before it (the later payment finds it in reporting and leaves it there).
        transition(
            "start_reporting", {ACCEPTED, PAID}, REPORTING, {APPLICANT, SECRETARIAT, SYSTEM}, _("実績報告へ")
        ),
        transition("complete", {REPORTING}, COMPLETED, {SECRETARIAT}, _("完了")),
        # Support ended before submission: the unsubmitted application closes with it.
        transition(
            "close_with_support",
            {INVITED, DRAFTING, AWAITING_CONFIRMATION},
            WITHDRAWN,
            {APPLICANT, ADVISOR},
            _("支援の終了により終了"),
        ),
        transition(
            "withdraw",
            {INVITED, DRAFTING, AWAITING_CONFIRMATION, SUBMITTED, SCREENING, RETURNED, IN_REVIEW},
            WITHDRAWN,
            {APPLICANT},
            _("取下げ"),
        ),
        transition(
            "cancel",
            # COMPLETED: fraud found after the final amount (docs/final-amount.md).
            {AWARDED, NOTIFIED, ACCEPTED, PAID, REPORTING, COMPLETED},
            CANCELLED,
            {SECRETARIAT},
            _("交付決定取消"),
        ),
        transition("demand_repayment", {CANCELLED}, REPAYMENT_DUE, {SECRETARIAT}, _("返還請求")),
        transition("record_repayment", {REPAYMENT_DUE}, REPAID, {SECRETARIAT, FINANCE}, _("返還を記録")),
    ],
)

# The table by name (support and the staff pages read labels and sources from it).
TRANSITIONS: dict[str, Transition] = dict(LIFECYCLE.transitions)

"""The application's state machine, declared as data in one place.

Keys are untranslated constants (never translate them: labels are separate). Each transition
names who may fire it; guards that need data (window open, eligible, complete) live in the
services that fire the transition. Every transition is written to the audit log in the same
transaction (services.transition).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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

APPLICANT = "applicant"
ADVISOR = "advisor"
SECRETARIAT = "secretariat"
SYSTEM = "system"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    actors: frozenset[str]
    label: Promise


def _t(name: str, sources: set[str], target: str, actors: set[str], label: Promise) -> Transition:
    return Transition(name, frozenset(sources), target, frozenset(actors), label)


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _t("start", {INVITED}, DRAFTING, {APPLICANT, SYSTEM}, _("作成を開始")),
        _t("mark_ready", {DRAFTING, RETURNED}, AWAITING_CONFIRMATION, {ADVISOR}, _("申請者の確認へ回す")),
        _t("reopen", {AWAITING_CONFIRMATION}, DRAFTING, {ADVISOR, APPLICANT}, _("修正に戻す")),
        # The same, for a correction after a return: it stays a correction (its due date holds).
        _t("reopen_correction", {AWAITING_CONFIRMATION}, RETURNED, {ADVISOR, APPLICANT}, _("修正に戻す")),
        _t("submit", {AWAITING_CONFIRMATION}, SUBMITTED, {APPLICANT}, _("提出")),
        _t("begin_screening", {SUBMITTED}, SCREENING, {SECRETARIAT}, _("形式審査を開始")),
        _t("return", {SUBMITTED, SCREENING}, RETURNED, {SECRETARIAT}, _("差戻し")),
        _t("pass_screening", {SCREENING}, IN_REVIEW, {SECRETARIAT}, _("交付審査へ")),
        _t("award", {IN_REVIEW}, AWARDED, {SECRETARIAT}, _("採択")),
        _t("reject", {IN_REVIEW, SCREENING}, REJECTED, {SECRETARIAT}, _("不採択")),
        _t("notify", {AWARDED}, NOTIFIED, {SECRETARIAT}, _("交付通知")),
        _t("accept", {NOTIFIED}, ACCEPTED, {APPLICANT}, _("受諾")),
        _t("pay", {ACCEPTED}, PAID, {SECRETARIAT}, _("交付")),
        _t("start_reporting", {PAID}, REPORTING, {SECRETARIAT, SYSTEM}, _("実績報告へ")),
        _t("complete", {REPORTING}, COMPLETED, {SECRETARIAT}, _("完了")),
        # Support ended before submission: the unsubmitted application closes with it.
        _t(
            "close_with_support",
            {INVITED, DRAFTING, AWAITING_CONFIRMATION},
            WITHDRAWN,
            {APPLICANT, ADVISOR},
            _("支援の終了により終了"),
        ),
        _t(
            "withdraw",
            {INVITED, DRAFTING, AWAITING_CONFIRMATION, SUBMITTED, SCREENING, RETURNED, IN_REVIEW},
            WITHDRAWN,
            {APPLICANT},
            _("取下げ"),
        ),
        _t(
            "cancel",
            {AWARDED, NOTIFIED, ACCEPTED, PAID, REPORTING},
            CANCELLED,
            {SECRETARIAT},
            _("交付決定取消"),
        ),
        _t("demand_repayment", {CANCELLED}, REPAYMENT_DUE, {SECRETARIAT}, _("返還請求")),
        _t("record_repayment", {REPAYMENT_DUE}, REPAID, {SECRETARIAT}, _("返還を記録")),
    ]
}


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]

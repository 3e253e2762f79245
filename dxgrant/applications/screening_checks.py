"""The automatic findings of the formal screening (形式審査), without the database.

Each function judges one kind of checklist item (`ScreeningItem.check` in the round's data) from
facts the caller read (screening_selectors.py): the submitted version's frozen snapshot, the
firm's certification history, the support record, the staff's openings of the documents. A
finding is `met` (True/False; None for a manual item, which only the person judges) and the
evidence, in words, that the checklist shows beside it and the audit entry keeps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from dxgrant.programs.eligibility import Rules, evaluate

ELIGIBILITY = "eligibility"
DOCUMENTS = "documents"
DECLARATIONS = "declarations"
TRAINING = "training"
FIRM_CERTIFIED = "firm_certified"
FEE_DISCLOSURE = "fee_disclosure"
MANUAL = "manual"

# The profile facts the eligibility rules read (completeness.ELIGIBILITY_FACTS), from the snapshot.
ELIGIBILITY_FACTS = ("entity_type", "employees", "capital_yen", "antisocial_ties", "legal_compliance")


@dataclass(frozen=True)
class Finding:
    """What the system found for one item: met (None: the person judges) and why."""

    met: bool | None
    evidence: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"met": self.met, "evidence": list(self.evidence)}


def manual() -> Finding:
    return Finding(None, [_("自動では確認できない項目です。内容を確認して判断してください。")])


def eligibility(rules: Rules, profile: Mapping[str, Any]) -> Finding:
    """The round's eligibility rules (programs.eligibility, the one engine) applied to the
    profile as SUBMITTED (the version's snapshot), never to the live application."""
    facts = {name: profile.get(name) for name in ELIGIBILITY_FACTS}
    result = evaluate(rules, facts)
    shown = "、".join(f"{name}={facts[name]!r}" for name in ELIGIBILITY_FACTS)
    evidence = [_("提出された版の回答: %(facts)s") % {"facts": shown}]
    if result.eligible:
        evidence.append(_("申請要件をすべて満たしています。"))
    else:
        evidence.extend(_("満たさない要件: %(reason)s") % {"reason": r.message} for r in result.reasons)
    return Finding(result.eligible, evidence)


@dataclass(frozen=True)
class Opening:
    """A staff member's first download of a file."""

    email: str
    at: dt.datetime


@dataclass(frozen=True)
class SubmittedDocument:
    """A file of the submitted version, with the staff who opened it (matched by SHA-256)."""

    code: str
    name: str
    openings: Sequence[Opening] = ()


def documents(required: Sequence[tuple[str, str]], submitted: Sequence[SubmittedDocument]) -> Finding:
    """Every required document (code, name) attached to the submitted version, and each attached
    file opened by the secretariat at least once."""
    evidence: list[str] = []
    met = True
    for code, name in required:
        files = [d for d in submitted if d.code == code]
        if not files:
            met = False
            evidence.append(_("「%(name)s」: 提出された版に添付がありません。") % {"name": name})
            continue
        for document in files:
            if document.openings:
                first = document.openings[0]
                evidence.append(
                    _("「%(name)s」: %(file)s（%(who)sが%(at)sに開封）")
                    % {"name": name, "file": document.name, "who": first.email, "at": _stamp(first.at)}
                )
            else:
                met = False
                evidence.append(
                    _("「%(name)s」: %(file)s（事務局がまだ開いていません）")
                    % {"name": name, "file": document.name}
                )
    if not required:
        evidence.append(_("この公募回に必須の添付書類はありません。"))
    return Finding(met, evidence)


def declarations(required: Sequence[tuple[str, str]], made: Iterable[Mapping[str, Any]]) -> Finding:
    """Every declaration of the round (key, title) made in the submitted version: which, in
    which version of its wording, by whom and when (the snapshot's record)."""
    by_key = {d.get("key"): d for d in made}
    evidence: list[str] = []
    met = True
    for key, title in required:
        record = by_key.get(key)
        if record is None:
            met = False
            evidence.append(_("「%(title)s」: 宣誓・同意がありません。") % {"title": title})
        else:
            evidence.append(
                _("「%(title)s」: 第%(version)s版に%(who)sが%(at)sに同意")
                % {
                    "title": title,
                    "version": record.get("version"),
                    "who": record.get("accepted_by"),
                    "at": _stamp_text(record.get("accepted_at")),
                }
            )
    if not required:
        evidence.append(_("この公募回に宣誓・同意はありません。"))
    return Finding(met, evidence)


@dataclass(frozen=True)
class Condition:
    """One of the round's conditions of submission as the support record judges it."""

    label: str
    met: bool
    detail: str


def training(conditions: Sequence[Condition]) -> Finding:
    """The round's conditions of submission (a confirmed hearing, the training hours by the
    company's own check-ins, the quiz) from the support record, as the guard
    `support_requirements_met` reads them: never anyone's say-so."""
    if not conditions:
        return Finding(True, [_("この公募回は研修の受講を提出の条件にしていません。")])
    evidence = [f"{c.label}: {c.detail}" for c in conditions]
    return Finding(all(c.met for c in conditions), evidence)


# The certification events (advisors.ReviewAction) and the state each leaves.
_STATE_AFTER = {
    "certified": "active",
    "reinstated": "active",
    "suspended": "suspended",
    "revoked": "revoked",
}


@dataclass(frozen=True)
class FirmHistory:
    name: str
    certification_number: str
    # (action, when) in time order: advisors.FirmReviewEvent
    events: Sequence[tuple[str, dt.datetime]]
    valid_from: dt.date | None
    valid_until: dt.date | None


def firm_state_at(history: FirmHistory, at: dt.datetime) -> str:
    """The firm's certification state at `at` replayed from its history: "" (not certified
    yet), active, suspended or revoked."""
    state = ""
    for action, when in history.events:
        if when > at:
            break
        state = _STATE_AFTER.get(action, state)
    return state


def completed_events(
    events: Sequence[tuple[str, dt.datetime]],
    *,
    certified_at: dt.datetime | None,
    current_state: str,
    state_changed_at: dt.datetime | None,
) -> list[tuple[str, dt.datetime]]:
    """The firm's history with what its columns say and no event records: the certification
    (`decided_at`) when no "certified" event was kept, and the current state (since
    `state_changed_at`) when the events do not end in it. Sorted by time."""
    complete = list(events)
    if certified_at is not None and not any(action == "certified" for action, _at in complete):
        complete.append(("certified", certified_at))
    complete.sort(key=lambda event: event[1])
    replayed = ""
    for action, _at in complete:
        replayed = _STATE_AFTER.get(action, replayed)
    if (
        current_state in ("suspended", "revoked")
        and replayed != current_state
        and state_changed_at is not None
    ):
        complete.append((current_state, state_changed_at))
        complete.sort(key=lambda event: event[1])
    return complete


def firm_certified(history: FirmHistory, submitted_at: dt.datetime, day: dt.date) -> Finding:
    """The advisor's firm certified and neither suspended nor revoked when the version was
    submitted (`day` is its date in Asia/Tokyo, for the validity period); what happened to the
    firm afterwards does not change the finding."""
    state = firm_state_at(history, submitted_at)
    shown = {"firm": history.name, "number": history.certification_number or "-", "at": _stamp(submitted_at)}
    evidence = [_("%(firm)s（認定番号 %(number)s）の提出時点（%(at)s）の状態:") % shown]
    if state == "":
        evidence.append(_("認定されていませんでした。"))
        return Finding(False, evidence)
    if state == "suspended":
        evidence.append(_("認定が停止されていました。"))
        return Finding(False, evidence)
    if state == "revoked":
        evidence.append(_("認定が取り消されていました。"))
        return Finding(False, evidence)
    period = {"from": _day(history.valid_from), "until": _day(history.valid_until)}
    if (
        history.valid_from is None
        or history.valid_until is None
        or not (history.valid_from <= day <= history.valid_until)
    ):
        evidence.append(_("認定の有効期間（%(from)s〜%(until)s）の外でした。") % period)
        return Finding(False, evidence)
    evidence.append(_("認定は有効でした（有効期間 %(from)s〜%(until)s）。") % period)
    return Finding(True, evidence)


def fee_disclosure(
    disclosure: Mapping[str, Any],
    confirmed_by: str | None,
    confirmed_at: dt.datetime | None,
    timing_labels: Mapping[str, str] | None = None,
) -> Finding:
    """The applicant confirmed the advisor's fee disclosure as submitted: the snapshot records
    the revision confirmed; the application records who confirmed it and when."""
    revision = disclosure.get("confirmed_revision")
    if revision is None or not confirmed_by:
        return Finding(False, [_("申請者による報酬・独立性の開示の確認が、提出された版にありません。")])
    amount = disclosure.get("fee_amount_yen")
    timing = disclosure.get("fee_timing") or ""
    timing_shown = (timing_labels or {}).get(timing, timing) or "-"
    evidence = [
        _("報酬 %(amount)s円（%(timing)s）") % {"amount": _yen(amount), "timing": timing_shown},
        _("%(who)sが%(at)sに確認（開示の第%(revision)s版）")
        % {"who": confirmed_by, "at": _stamp(confirmed_at), "revision": revision},
    ]
    return Finding(True, evidence)


def _yen(value: Any) -> str:
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "-"


def _stamp(value: dt.datetime | None) -> str:
    if value is None:
        return "-"
    return value.astimezone(_TOKYO).strftime("%Y-%m-%d %H:%M")


def _stamp_text(value: Any) -> str:
    if not value:
        return "-"
    try:
        return _stamp(dt.datetime.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else "-"


_TOKYO = dt.timezone(dt.timedelta(hours=9), "Asia/Tokyo")

"""An advisor firm's two lifecycles as data: its registration (登録) and, once certified, its
certification (認定).

The states are the stored values of `models.RegistrationStatus` and `models.CertificationState`
(untranslated keys; the labels are the choices' labels), and the status columns carry database
check constraints built from the same lists. Each transition names who may fire it and the
guards that must hold:

- `registration_complete`: every section answered, the required documents attached and every
  declaration ticked (`sections.registration_missing`); refused with the list of what is missing.
- `reason_given`: the secretariat writes a reason, which the firm reads in the email.
- `irreversibility_confirmed`: the secretariat ticks that a revocation cannot be undone.
- `registration_certified`, `certification_not_revoked`: conditions on the firm's own columns
  (`STATE_GUARDS`), checked by the services when firing and by the review page, which offers
  only the decisions the firm's state allows (`decisions_offered`).

The services fire the transitions (services/registration.py: submit; services/certification.py:
the secretariat's decisions), each in one transaction with its review event and audit entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.translation import gettext_lazy as _

from dxgrant.core.lifecycle import Lifecycle, Transition, transition

from .models import AdvisorFirm, CertificationState, RegistrationStatus

# Who fires transitions: the firm's administrator who registers it, and the secretariat.
REGISTRANT = "registrant"
SECRETARIAT = "secretariat"

# A registration is filled in (and saved as a draft) in these states.
EDITABLE = frozenset({RegistrationStatus.DRAFT, RegistrationStatus.CHANGES_REQUESTED})

REGISTRATION = Lifecycle.of(
    "advisor_firm.registration",
    {status.value: status.label for status in RegistrationStatus},
    [
        transition(
            "submit",
            EDITABLE,
            RegistrationStatus.SUBMITTED,
            [REGISTRANT],
            _("提出"),
            guards=["registration_complete"],
        ),
        transition(
            "certify",
            [RegistrationStatus.SUBMITTED],
            RegistrationStatus.CERTIFIED,
            [SECRETARIAT],
            _("認定する"),
            guards=["registration_complete"],
        ),
        transition(
            "request_changes",
            [RegistrationStatus.SUBMITTED],
            RegistrationStatus.CHANGES_REQUESTED,
            [SECRETARIAT],
            _("修正を依頼する"),
            guards=["reason_given"],
        ),
        transition(
            "reject",
            [RegistrationStatus.SUBMITTED],
            RegistrationStatus.REJECTED,
            [SECRETARIAT],
            _("認定しない（不認定）"),
            guards=["reason_given"],
        ),
        # Renewal extends the validity period: the firm stays certified, and a suspended
        # certification stays suspended.
        transition(
            "renew",
            [RegistrationStatus.CERTIFIED],
            RegistrationStatus.CERTIFIED,
            [SECRETARIAT],
            _("認定を更新する"),
            guards=["registration_certified", "certification_not_revoked", "reason_given"],
        ),
    ],
)

# Certification starts `active` when the registration is certified; revoked is final.
CERTIFICATION = Lifecycle.of(
    "advisor_firm.certification",
    {state.value: state.label for state in CertificationState},
    [
        transition(
            "suspend",
            [CertificationState.ACTIVE],
            CertificationState.SUSPENDED,
            [SECRETARIAT],
            _("認定を停止する"),
            guards=["registration_certified", "certification_not_revoked", "reason_given"],
        ),
        transition(
            "reinstate",
            [CertificationState.SUSPENDED],
            CertificationState.ACTIVE,
            [SECRETARIAT],
            _("停止を解除する"),
            guards=["registration_certified", "certification_not_revoked", "reason_given"],
        ),
        transition(
            "revoke",
            [CertificationState.ACTIVE, CertificationState.SUSPENDED],
            CertificationState.REVOKED,
            [SECRETARIAT],
            _("認定を取り消す"),
            guards=[
                "registration_certified",
                "certification_not_revoked",
                "reason_given",
                "irreversibility_confirmed",
            ],
        ),
    ],
)

# Guards that are conditions on the firm's own columns.
STATE_GUARDS: dict[str, Callable[[AdvisorFirm], bool]] = {
    "registration_certified": lambda firm: firm.registration_status == RegistrationStatus.CERTIFIED,
    "certification_not_revoked": lambda firm: firm.certification_state != CertificationState.REVOKED,
}

# The secretariat's decisions, in the order the review page offers them.
DECISIONS: tuple[Transition, ...] = tuple(
    t
    for t in (*REGISTRATION.transitions.values(), *CERTIFICATION.transitions.values())
    if SECRETARIAT in t.actors
)


def decision(name: str) -> Transition:
    """One of the secretariat's decisions by name (KeyError for anything else)."""
    return {t.name: t for t in DECISIONS}[name]


def state_guards_hold(transition: Transition, firm: AdvisorFirm) -> bool:
    return all(STATE_GUARDS[g](firm) for g in transition.guards if g in STATE_GUARDS)


def in_source_state(transition: Transition, firm: AdvisorFirm) -> bool:
    """The firm is in a state the transition starts from, in the lifecycle it belongs to."""
    if transition.name in REGISTRATION.transitions:
        return REGISTRATION.allows(transition.name, firm.registration_status)
    return CERTIFICATION.allows(transition.name, firm.certification_state)


def decisions_offered(firm: AdvisorFirm, actor_kinds: Iterable[str]) -> list[Transition]:
    """The decisions these kinds of actor may take about the firm now, in table order: the
    registration's, then the certification's. Guards about what is typed (a reason) or about
    completeness are checked when the decision is taken, not here."""
    kinds = set(actor_kinds)
    offered = [
        *REGISTRATION.available(firm.registration_status, kinds),
        *CERTIFICATION.available(firm.certification_state, kinds),
    ]
    return [t for t in offered if state_guards_hold(t, firm)]

"""A lifecycle declared as data: its states, the transitions between them, who may fire each,
and the named guards that must hold.

One table per lifecycle (`applications/workflow.py`, `advisors/lifecycle.py`,
`support/lifecycle.py`). Keys are untranslated constants; labels are separate. Pages derive
the actions they offer from `available(...)`, the services fire transitions through one
function per app that checks `allows(...)`, evaluates the guards, saves the new state and
writes the audit entry in the same transaction, and the status column carries a database
check constraint built by `status_constraint(...)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import CheckConstraint, Q
from django.utils.functional import Promise


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    # Who may fire it: role words of the lifecycle ("applicant", "advisor", "secretariat", ...).
    actors: frozenset[str]
    label: Promise
    # Names of the conditions that must hold, each a function the app's services evaluate
    # (see `Lifecycle.guards`); listed here so the table says everything about a transition.
    guards: tuple[str, ...] = ()


def transition(
    name: str,
    sources: Iterable[str],
    target: str,
    actors: Iterable[str],
    label: Promise,
    guards: Iterable[str] = (),
) -> Transition:
    return Transition(name, frozenset(sources), target, frozenset(actors), label, tuple(guards))


@dataclass(frozen=True)
class Lifecycle:
    name: str
    states: Mapping[str, Promise]
    transitions: Mapping[str, Transition] = field(default_factory=dict)

    @classmethod
    def of(cls, name: str, states: Mapping[str, Promise], transitions: Iterable[Transition]) -> Lifecycle:
        table = {t.name: t for t in transitions}
        for t in table.values():
            unknown = (set(t.sources) | {t.target}) - set(states)
            if unknown:
                raise ValueError(f"{name}.{t.name}: unknown states {sorted(unknown)}")
        return cls(name, dict(states), table)

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def label(self, state: str) -> str:
        return str(self.states.get(state, state))

    def allows(self, name: str, state: str, actor_kind: str | None = None) -> bool:
        """The transition exists, starts from `state`, and (if given) `actor_kind` may fire it."""
        t = self.transitions.get(name)
        if t is None or state not in t.sources:
            return False
        return actor_kind is None or actor_kind in t.actors

    def available(self, state: str, actor_kinds: Iterable[str]) -> list[Transition]:
        """The transitions these kinds of actor may fire from `state`, in table order."""
        kinds = set(actor_kinds)
        return [t for t in self.transitions.values() if state in t.sources and kinds & t.actors]

    def from_state(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources]

    def guards_of(self, name: str) -> tuple[str, ...]:
        return self.transitions[name].guards


def status_constraint(field_name: str, lifecycle: Lifecycle | Iterable[str], name: str) -> CheckConstraint:
    """A database check that the status column holds one of the lifecycle's states."""
    states = sorted(lifecycle.states if isinstance(lifecycle, Lifecycle) else lifecycle)
    return CheckConstraint(condition=Q(**{f"{field_name}__in": states}), name=name)

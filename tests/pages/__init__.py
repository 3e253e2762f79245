"""All pages, merged from the per-app registries."""

from . import (
    advisors,
    applications,
    applications_plan,
    awards_cancellation,
    awards_notices,
    awards_payee,
    awards_payments,
    decisions,
    exports,
    firm,
    public,
    reporting_dashboard,
    reporting_kpi,
    reporting_plans,
    reporting_reminders,
    reporting_results,
    reporting_support,
    review,
    screening,
    staff_applications,
    support,
    surveys,
)
from .base import ANON, EVERYONE, PUBLIC, SIGNED_IN, STAFF_READ, Page

_MODULES = [
    public,
    firm,
    support,
    advisors,
    applications,
    applications_plan,
    staff_applications,
    screening,
    review,
    decisions,
    awards_notices,
    awards_payments,
    awards_payee,
    awards_cancellation,
    reporting_dashboard,
    exports,
    surveys,
    reporting_kpi,
    reporting_plans,
    reporting_support,
    reporting_results,
    reporting_reminders,
]

PAGES: dict[str, Page] = {}
EXPECTED: dict[str, dict[str, int]] = {}
WRITES: dict[str, dict] = {}
NAMESPACES: set[str] = set()
for _module in _MODULES:
    PAGES |= _module.PAGES
    EXPECTED |= _module.EXPECTED
    WRITES |= getattr(_module, "WRITES", {})
    NAMESPACES |= getattr(_module, "NAMESPACES", set())


def make_objects() -> dict[str, object]:
    """Objects the registered URLs refer to ({inquiry}, ...), created in the calling test's database."""
    objects: dict[str, object] = {}
    for module in _MODULES:
        if hasattr(module, "make_objects"):
            objects |= module.make_objects()
    return objects


__all__ = [
    "make_objects",
    "ANON",
    "EVERYONE",
    "EXPECTED",
    "NAMESPACES",
    "PAGES",
    "PUBLIC",
    "SIGNED_IN",
    "STAFF_READ",
    "WRITES",
    "Page",
]

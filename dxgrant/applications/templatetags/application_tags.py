"""Template tags of the application pages."""

from __future__ import annotations

from typing import Any

from django import template

from dxgrant.applications import plan_rules, selectors
from dxgrant.applications.models import Application

register = template.Library()


@register.inclusion_tag("applications/_return_comments.html")
def return_comments(application: Application, section: str) -> dict[str, Any]:
    """The secretariat's correction request for one part, beside that part's own page.

    `section` is a return section code ("profile", "budget", a plan section's code...), or
    "plan" for every plan section at once (the plan overview)."""
    if section == "plan":
        codes = [spec.code for spec in plan_rules.section_specs(application.round)]
    else:
        codes = [section]
    return {"open_return": selectors.open_return(application, codes)}

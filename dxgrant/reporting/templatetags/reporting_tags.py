"""`{{ evidence|evidence_kind:round }}`: an evidence kind's name from the round's rules
(`round.rules.reporting.evidence`), for the results report's lines (no query: the round is the
page's)."""

from __future__ import annotations

from django import template

from dxgrant.programs.models import Round

from .. import results_rules
from ..results_models import ResultsEvidence

register = template.Library()


@register.filter
def evidence_kind(evidence: ResultsEvidence, round_obj: Round) -> str:
    return results_rules.kind_label(round_obj.rules.reporting.evidence, evidence.kind)

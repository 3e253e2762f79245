"""`{{ transfer.result_code|result_meaning }}`: what a bank's result code means (ja/en), or "" for
a code not in the 全銀 table (one typed by hand from a bank's own report)."""

from __future__ import annotations

from django import template

from .. import zengin_results

register = template.Library()


@register.filter
def result_meaning(code: str) -> str:
    return zengin_results.meaning(code) or ""

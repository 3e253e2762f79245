"""/staff/decisions/<round>/export/<scores|decisions>.<csv|xlsx>: the secretariat's exports."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from .. import exports, selectors
from .committee import secretariat

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@secretariat
def export(request: HttpRequest, code: str, kind: str, fmt: str) -> HttpResponse:
    round_obj = selectors.get_round_for_staff(request.user, code)
    if kind == "scores":
        header, rows = exports.score_rows(round_obj)
    elif kind == "decisions":
        header, rows = exports.decision_rows(round_obj)
    else:
        raise Http404(kind)
    filename = f"{round_obj.code}-{kind}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(header, rows), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(exports.as_xlsx(kind, header, rows), content_type=XLSX)
    else:
        raise Http404(fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

"""/staff/awards/<code>/notices/: the round's notices and the "issue the notices" button
(the secretariat; auditors and finance read), with the job's progress; and the applicant's and
advisor's notice page with its PDF (/applications/<pk>/notice/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dxgrant.accounts.models import User
from dxgrant.core.gates import requires
from dxgrant.decisions.selectors import get_round_for_staff

from .. import policies, selectors
from ..services import issuing

staff_readers = requires(policies.can_read_notices)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_GET
@staff_readers
def round_notices(request: HttpRequest, code: str) -> HttpResponse:
    round_obj = get_round_for_staff(request.user, code)
    progress = selectors.issuing_progress(round_obj)
    context = {
        "round": round_obj,
        "progress": progress,
        "notices": list(selectors.round_notices(round_obj)),
        "may_issue": policies.can_issue_notices(request.user, progress.round_decision),
    }
    return render(request, "awards/round_notices.html", context)


@require_POST
@staff_readers
def issue(request: HttpRequest, code: str) -> HttpResponse:
    round_obj = get_round_for_staff(request.user, code)
    try:
        issuing.start_issuing(actor=_user(request), round_obj=round_obj)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("通知書の発行を始めました。進み具合はこのページに表示されます。"))
    return redirect("notices:round", code=round_obj.code)


@login_required
@require_GET
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.notice_for(request.user, pk)
    return render(request, "awards/notice.html", {"notice": found, "application": found.application})


@login_required
@require_GET
def notice_pdf(request: HttpRequest, pk: int) -> FileResponse:
    found = selectors.notice_for(request.user, pk)
    return FileResponse(
        found.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{found.number}.pdf",
    )

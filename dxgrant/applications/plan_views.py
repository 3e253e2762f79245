"""The business plan pages: the list of sections and one section's editor (autosave with htmx,
a normal submit without JavaScript, optimistic locking between two editors)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dxgrant.core.i18n import localised

from . import plan
from .models import Application, PlanSection
from .plan_forms import PlanSectionForm
from .policies import can_edit_content, get_application_for


def application_for(request: HttpRequest, pk: int) -> Application:
    """The application with its round and firm; 404 when missing or not the user's to see."""
    return get_application_for(request.user, pk, queryset=Application.objects.select_related("round", "firm"))


def edit_decision(request: HttpRequest, application: Application) -> tuple[bool, str]:
    return can_edit_content(request.user, application)


@login_required
@require_GET
def plan_overview(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request, pk)
    sections = {s.code: s for s in application.plan_sections.select_related("updated_by")}
    rows = []
    for spec in plan.section_specs(application.round):
        section = sections.get(spec["code"])
        count = plan.char_count(section.text) if section else 0
        rows.append(
            {
                "spec": spec,
                "title": localised(spec, "title"),
                "section": section,
                "count": count,
                "over": count > int(spec["max_chars"]),
            }
        )
    editable, reason = edit_decision(request, application)
    problems = plan._problems(application, sections)
    if not sections:
        status = plan.NOT_STARTED
    else:
        status = plan.IN_PROGRESS if problems else plan.COMPLETED
    context = {
        "application": application,
        "rows": rows,
        "problems": problems,
        "status": status,
        "editable": editable,
        "reason": reason,
    }
    return render(request, "applications/plan/overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_section(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    application = application_for(request, pk)
    spec = plan.spec_for(application.round, code)
    if spec is None:
        raise Http404(code)
    section = (
        PlanSection.objects.select_related("updated_by").filter(application=application, code=code).first()
    )
    editable, reason = edit_decision(request, application)
    autosave = bool(request.headers.get("HX-Request")) and request.POST.get("autosave") == "1"
    revision = section.revision if section else 0
    conflict: PlanSection | None = None
    status = 200
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(reason)
        form = PlanSectionForm(request.POST, round_obj=application.round, spec=spec, section=section)
        try:
            revision = int(request.POST.get("revision", ""))
        except ValueError:
            revision = -1
        if form.is_valid():
            try:
                saved = plan.save_plan_section(
                    actor=request.user,
                    application=application,
                    code=code,
                    text=form.text(),
                    data=form.structured(),
                    expected_revision=revision,
                )
            except plan.PlanConflict as exc:
                if autosave:
                    return _autosave_status(request, conflict=True)
                conflict = exc.current
                form.add_error(None, exc.messages[0])
                # Shown what the other person saved, a deliberate second save may replace it.
                revision = conflict.revision
                status = 409
            except ValidationError as exc:
                if autosave:
                    return _autosave_status(request, invalid=True)
                _add_errors(form, exc)
                status = 400
            else:
                if autosave:
                    return _autosave_status(request, revision=saved.revision)
                messages.success(
                    request, _("「%(title)s」を保存しました。") % {"title": localised(spec, "title")}
                )
                if "return" in request.POST:
                    return redirect("applications:plan", pk=application.pk)
                return redirect("applications:plan_section", pk=application.pk, code=code)
        else:
            if autosave:
                return _autosave_status(request, invalid=True)
            status = 400
    else:
        form = PlanSectionForm(round_obj=application.round, spec=spec, section=section)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    specs = plan.section_specs(application.round)
    codes = [s["code"] for s in specs]
    index = codes.index(code)
    context = {
        "application": application,
        "spec": spec,
        "title": localised(spec, "title"),
        "form": form,
        "rows": form.rows(),
        "section": section,
        "revision": revision,
        "conflict": conflict,
        "editable": editable,
        "reason": reason,
        "specs": specs,
        "next_code": codes[index + 1] if index + 1 < len(codes) else None,
        "technologies": dict(plan.technology_choices(application.round)),
    }
    return render(request, "applications/plan/section.html", context, status=status)


def _add_errors(form: Any, exc: ValidationError) -> None:
    """Errors keyed by a field of the form go next to it; anything else goes on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _autosave_status(
    request: HttpRequest, *, revision: int | None = None, conflict: bool = False, invalid: bool = False
) -> HttpResponse:
    context = {
        "revision": revision,
        "conflict": conflict,
        "invalid": invalid,
        "saved_at": timezone.localtime(),
    }
    return render(request, "applications/plan/_autosave_status.html", context)

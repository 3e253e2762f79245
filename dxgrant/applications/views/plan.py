"""The business plan pages: the list of sections and one section's editor (autosave with htmx,
a normal submit without JavaScript, optimistic locking between two editors)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dxgrant.core.editing import EditConflict, autosave_status, is_autosave, posted_revision, refusal_status
from dxgrant.core.forms import add_errors
from dxgrant.core.i18n import localised

from .. import plan_rules
from ..forms.plan import PlanSectionForm
from ..models import PlanSection
from ..policies import can_edit_content
from ..services import plan
from .common import content_application, read_only, user_of


@login_required
@require_GET
def plan_overview(request: HttpRequest, pk: int) -> HttpResponse:
    application = content_application(request, pk)
    sections = {s.code: s for s in application.plan_sections.select_related("updated_by")}
    rows = []
    for spec in plan_rules.section_specs(application.round):
        section = sections.get(spec.code)
        count = plan_rules.char_count(section.text) if section else 0
        rows.append(
            {
                "spec": spec,
                "title": localised(spec, "title"),
                "section": section,
                "count": count,
                "over": count > spec.max_chars,
            }
        )
    editable, reason = can_edit_content(request.user, application)
    problems = plan_rules.problems(application.round, sections)
    context = {
        "application": application,
        "rows": rows,
        "problems": problems,
        "status": plan_rules.status(sections, problems),
        "editable": editable,
        "reason": reason,
    }
    return render(request, "applications/plan/overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_section(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    application = content_application(request, pk)
    spec = plan_rules.spec_for(application.round, code)
    if spec is None:
        raise Http404(code)
    section = (
        PlanSection.objects.select_related("updated_by").filter(application=application, code=code).first()
    )
    decision = can_edit_content(request.user, application)
    editable, reason = decision
    autosave = is_autosave(request)
    revision = section.revision if section else 0
    conflict: PlanSection | None = None
    status = 200
    if request.method == "POST":
        decision.require()
        form = PlanSectionForm(request.POST, round_obj=application.round, spec=spec, section=section)
        revision = posted_revision(request)
        if form.is_valid():
            try:
                saved = plan.save_plan_section(
                    actor=user_of(request),
                    application=application,
                    code=code,
                    text=form.text(),
                    data=form.structured(),
                    expected_revision=revision,
                )
            except EditConflict as exc:
                if autosave:
                    return autosave_status(request, "applications/plan/_autosave_status.html", conflict=True)
                conflict = exc.current
                form.add_error(None, exc.messages[0])
                # Shown what the other person saved, a deliberate second save may replace it.
                revision = exc.current_revision if exc.current_revision is not None else revision
                status = refusal_status(exc)
            except ValidationError as exc:
                if autosave:
                    return autosave_status(request, "applications/plan/_autosave_status.html", invalid=True)
                add_errors(form, exc)
                status = 400
            else:
                if autosave:
                    return autosave_status(
                        request, "applications/plan/_autosave_status.html", revision=saved.revision
                    )
                messages.success(
                    request, _("「%(title)s」を保存しました。") % {"title": localised(spec, "title")}
                )
                if "return" in request.POST:
                    return redirect("applications:plan", pk=application.pk)
                return redirect("applications:plan_section", pk=application.pk, code=code)
        else:
            if autosave:
                return autosave_status(request, "applications/plan/_autosave_status.html", invalid=True)
            status = 400
    else:
        form = PlanSectionForm(round_obj=application.round, spec=spec, section=section)
    if not editable:
        read_only(form)
    specs = plan_rules.section_specs(application.round)
    codes = [s.code for s in specs]
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
        "technologies": dict(plan_rules.technology_choices(application.round)),
    }
    return render(request, "applications/plan/section.html", context, status=status)

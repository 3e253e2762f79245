"""The results report (実績報告) for the applicant's people and the advisor, under
/applications/<pk>/results/: the cost lines with their findings, evidence per line (private
files, served to those who may see the application), the KPIs and narrative, the advisor's
"ready" button and the applicant's confirmation with a code from their authenticator app."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dxgrant.accounts.models import StepUpPurpose
from dxgrant.applications.models import Application
from dxgrant.applications.selectors import ApplicationPage, application_page
from dxgrant.applications.views.common import user_of
from dxgrant.awards.services import codes
from dxgrant.core.editing import EditConflict, autosave_status, error_lines, is_autosave, refusal_status
from dxgrant.core.forms import add_errors, form_status
from dxgrant.core.uploads import named_as
from dxgrant.integrity.middleware import client_ip

from .. import results_policies as policies
from ..plans import current_plan
from ..results_forms import ConfirmForm, EvidenceForm, LinesForm, OutcomeForm
from ..results_models import CONFIRMED, LIFECYCLE, READY, ResultsEvidence, ResultsReport
from ..services import results_reports as service

AUTOSAVE_STATUS = "reporting/results/_autosave_status.html"


def report_of(application: Application) -> ResultsReport | None:
    """The application's report, with the application (round, engagement and firm loaded by the
    page's selector) set on it so that the checks read no more."""
    report = ResultsReport.objects.filter(application=application).first()
    if report is not None:
        report.application = application
    return report


def _render(
    request: HttpRequest,
    page: ApplicationPage,
    report: ResultsReport | None,
    *,
    status: int = 200,
    forms: dict[str, Any] | None = None,
) -> HttpResponse:
    application = page.application
    may_edit = policies.can_edit(request.user, application, report, page.side)
    context: dict[str, Any] = {
        "application": application,
        "report": report,
        "may_edit": may_edit,
        "may_ready": policies.can_mark_ready(request.user, application, page.side),
        "may_confirm": policies.can_confirm(request.user, application, page.side),
        "state_label": LIFECYCLE.label(report.status) if report else "",
    }
    if report is not None:
        checked = service.check(report)
        lines = [line for line, _findings in checked.lines]
        kinds = application.round.rules.reporting.evidence
        kpi_keys = list(current_plan(application).kpis) if may_edit else list(report.kpis)
        given = forms or {}
        context |= {
            "checked": checked,
            "kinds": kinds,
            "lines_form": given.get("lines") or LinesForm(initial={"revision": report.revision}, lines=lines),
            "outcome_form": given.get("outcome")
            or OutcomeForm(
                initial={"revision": report.revision, "narrative": report.narrative}
                | {f"kpi-{k}": report.kpis.get(k, "") for k in kpi_keys},
                kpi_keys=kpi_keys,
            ),
            "evidence_form": given.get("evidence") or EvidenceForm(lines=lines, kinds=kinds),
            "forms_with_errors": [f for f in given.values() if f.errors],
        }
    return render(request, "reporting/results/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone who may see the application reads the report; the applicant's people and the
    advisor open it (POST without a report), save the lines or the outcome, or add evidence."""
    page = application_page(request.user, pk)
    application = page.application
    report = report_of(application)
    if request.method == "GET":
        return _render(request, page, report)
    policies.can_edit(request.user, application, report, page.side).require()
    user = user_of(request)
    if report is None:
        service.open_report(application=application, actor=user)
        return redirect("results_report:edit", pk=pk)
    section = request.POST.get("section")
    autosave = is_autosave(request)
    lines = list(report.lines.all())
    form: LinesForm | OutcomeForm | EvidenceForm
    if section == "lines":
        form = LinesForm(request.POST, lines=lines)
    elif section == "outcome":
        form = OutcomeForm(request.POST, kpi_keys=list(current_plan(application).kpis))
    elif section == "evidence" and not autosave:  # evidence is added with its button only
        form = EvidenceForm(
            request.POST, request.FILES, lines=lines, kinds=application.round.rules.reporting.evidence
        )
    else:
        raise Http404
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = report
            if isinstance(form, LinesForm):
                saved = service.save_lines(
                    report=report, actor=user, revision=data["revision"], lines=form.inputs()
                )
            elif isinstance(form, OutcomeForm):
                saved = service.save_outcome(
                    report=report,
                    actor=user,
                    revision=data["revision"],
                    kpis=form.kpis(),
                    narrative=data["narrative"],
                )
            else:
                line = next(x for x in lines if x.index == data["line"])
                service.add_evidence(
                    line=line, actor=user, kind=data["kind"], file=data["file"], dated_on=data["dated_on"]
                )
        except EditConflict as exc:
            if autosave:
                return autosave_status(request, AUTOSAVE_STATUS, conflict=True)
            add_errors(form, exc)
            # Shown the report as saved now, a deliberate second save may replace it.
            form.data = request.POST.copy()
            form.data["revision"] = str(exc.current_revision)
            status = refusal_status(exc)
        except ValidationError as exc:
            add_errors(form, exc)
            if autosave:
                return autosave_status(request, AUTOSAVE_STATUS, invalid=True, errors=error_lines(form))
            status = refusal_status(exc)
        else:
            if autosave:
                return autosave_status(request, AUTOSAVE_STATUS, revision=saved.revision)
            messages.success(request, _("実績報告を保存しました。"))
            return redirect("results_report:edit", pk=pk)
    elif autosave:
        return autosave_status(request, AUTOSAVE_STATUS, invalid=True, errors=error_lines(form))
    report = report_of(application)
    return _render(request, page, report, status=status, forms={section: form})


def _evidence_of(page: ApplicationPage, evidence_pk: int) -> ResultsEvidence:
    return get_object_or_404(
        ResultsEvidence.objects.select_related("line"),
        pk=evidence_pk,
        line__report__application=page.application,
    )


@login_required
@require_GET
def evidence(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    """A file of evidence, only to people who may see the application (404 to anyone else)."""
    item = _evidence_of(application_page(request.user, pk), evidence_pk)
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=named_as(item.original_name, item.content_type),
        content_type=item.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def remove_evidence(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    page = application_page(request.user, pk)
    item = _evidence_of(page, evidence_pk)
    policies.can_edit(request.user, page.application, report_of(page.application), page.side).require()
    try:
        service.remove_evidence(evidence=item, actor=user_of(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("書類を削除しました。"))
    return redirect("results_report:edit", pk=pk)


@login_required
@require_POST
def mark_ready(request: HttpRequest, pk: int) -> HttpResponse:
    """The advisor asks the applicant to confirm (403 for anyone else)."""
    page = application_page(request.user, pk)
    policies.can_mark_ready(request.user, page.application, page.side).require()
    report = report_of(page.application)
    if report is None:
        raise Http404
    try:
        service.mark_ready(report=report, actor=user_of(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("申請者に確定を依頼しました。"))
    return redirect("results_report:edit", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's people confirm the report marked ready, with a code from their
    authenticator app; a POST by anyone else (the advisor included): 403, nothing changes."""
    page = application_page(request.user, pk)
    application = page.application
    report = report_of(application)
    if report is None:
        raise Http404
    may = policies.can_confirm(request.user, application, page.side)
    form = ConfirmForm(request.POST or None)
    checked = service.check(report)
    if request.method == "POST":
        may.require()
        user = user_of(request)
        if report.status == CONFIRMED:
            form.add_error(None, _("この実績報告はすでに確定されています。"))
        elif report.status != READY:
            form.add_error(None, _("アドバイザーが確認依頼をした後に確定できます。"))
        elif form.is_valid():
            check = codes.verify_code(
                user=user,
                code=form.cleaned_data["code"],
                application=application,
                purpose=StepUpPurpose.RESULTS_REPORT,
                ip_address=client_ip(request),
            )
            if not check:
                form.add_error("code", check.refusal)
            else:
                try:
                    service.confirm(report=report, actor=user, step_up=check.attempt)
                except ValidationError as exc:
                    add_errors(form, exc)
                else:
                    messages.success(
                        request, _("実績報告を確定しました。事務局の審査結果はメールでお知らせします。")
                    )
                    return redirect("results_report:edit", pk=pk)
    acting = may.allowed and report.status == READY and not checked.blocking
    context = {
        "application": application,
        "report": report,
        "checked": checked,
        "form": form,
        "may": may,
        "acting": acting,
        "state_label": LIFECYCLE.label(report.status),
        "needs_enrolment": acting
        and not Authenticator.objects.filter(user=request.user.pk, type=Authenticator.Type.TOTP).exists(),
        "enrol_url": reverse("mfa_activate_totp"),
    }
    return render(request, "reporting/results/confirm.html", context, status=form_status(request))

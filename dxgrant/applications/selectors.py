"""The read side of applications, already filtered by what the person may see.

`application_page(user, pk)` builds what the task list, check-your-answers and confirm pages
need, once per request: the application, who the person is to it (their side, asked once),
the decisions the page shows, the task list and what stops submission, and the snapshot of the
content with its fingerprint. Each is computed the first time something asks for it and kept,
so the view, the template and the submission service share one computation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from dxgrant.accounts.models import Visitor
from dxgrant.advisors.models import AdvisorFirm
from dxgrant.advisors.selectors import named
from dxgrant.core.decisions import Decision
from dxgrant.core.i18n import current_language, localised
from dxgrant.core.pdf import render_pdf
from dxgrant.integrity.models import AuditEntry
from dxgrant.japan import industry as jsic
from dxgrant.programs.eligibility import EligibilityResult

from . import completeness, workflow
from .audit_labels import action_label
from .models import Application, ApplicationVersion, ReturnRequest
from .policies import (
    Side,
    applications_visible_to,
    can_act_as_applicant,
    can_edit_content,
    can_fire,
    get_application_for,
    side_of,
)
from .presentation import present_snapshot
from .returns import return_sections
from .screening_selectors import screening_rejection
from .snapshot import Snapshot, build_snapshot, digest


@dataclass(frozen=True)
class NextStep:
    """What a person should do next on an application: a sentence, and the page (or the form,
    when `post`) that does it."""

    text: str
    url: str = ""
    action: str = ""
    post: bool = False
    due: dt.date | None = None


def application_for_page(user: Visitor, pk: int) -> Application:
    """The application with its round, firm and engagement; 404 when missing or not theirs."""
    return get_application_for(user, pk, Application.objects.select_related("round", "firm", "engagement"))


@dataclass
class ApplicationPage:
    """One application as one person's page sees it. Everything is computed once, on first use."""

    application: Application
    user: Visitor
    side: Side
    _fired: dict[str, Decision] = field(default_factory=dict, repr=False)

    # --- Who may do what (no query: the side is known) ---------------------------------------

    @cached_property
    def may_edit(self) -> Decision:
        return can_edit_content(self.user, self.application, self.side)

    @cached_property
    def may_act_as_applicant(self) -> Decision:
        return can_act_as_applicant(self.user, self.application, self.side)

    def may_fire(self, name: str) -> Decision:
        if name not in self._fired:
            self._fired[name] = can_fire(self.user, self.application, name, self.side)
        return self._fired[name]

    # --- Where the application stands ---------------------------------------------------------

    @cached_property
    def sections(self) -> list[completeness.Section]:
        return completeness.sections(self.application)

    @cached_property
    def eligibility(self) -> EligibilityResult:
        return completeness.eligibility(self.application)

    @cached_property
    def eligibility_missing(self) -> list[str]:
        return completeness.eligibility_missing(self.application)

    @cached_property
    def readiness_problems(self) -> list[str]:
        return completeness.readiness_problems(
            self.application, self.sections, judged=self.eligibility, missing=self.eligibility_missing
        )

    @cached_property
    def next_step(self) -> NextStep | None:
        """What this person should do next, shown first on the task list and check page: the
        applicant confirms and submits once asked; the advisor asks once everything is complete,
        then waits for the applicant."""
        application = self.application
        if application.status == workflow.AWAITING_CONFIRMATION:
            if self.side.is_applicant and self.may_fire("submit"):
                return NextStep(
                    _(
                        "アドバイザーが申請を仕上げ、最終確認を依頼しています。申請の全体を確認し、"
                        "認証アプリのコードを入力して提出してください（提出は申請者ご本人だけが行えます）。"
                    ),
                    url=reverse("applications:confirm", args=[application.pk]),
                    action=_("申請内容を確認して提出する"),
                    due=application.returned_until or application.round.application_closes,
                )
            if self.side.is_advisor:
                return NextStep(
                    _("申請者の確認と提出を待っています。申請者には最終確認の依頼をメールで知らせました。")
                )
        ready = not self.readiness_problems and not self.requirement_problems
        if self.side.is_advisor and self.may_fire("mark_ready") and ready:
            return NextStep(
                _("すべての項目が完了し、申請要件を満たしています。申請者に最終確認を依頼してください。"),
                url=reverse("applications:mark_ready", args=[application.pk]),
                action=_("申請者に最終確認を依頼する"),
                post=True,
            )
        return None

    @cached_property
    def requirements(self) -> completeness.Requirements:
        return completeness.requirements(self.application)

    @cached_property
    def requirement_problems(self) -> list[str]:
        return self.requirements.problems

    # --- What it says --------------------------------------------------------------------------

    @cached_property
    def snapshot(self) -> Snapshot:
        return build_snapshot(self.application)

    @cached_property
    def digest(self) -> str:
        return digest(self.snapshot)

    @cached_property
    def full(self) -> dict[str, Any]:
        return present_snapshot(self.snapshot, self.application.round)

    # --- Template contexts -----------------------------------------------------------------------

    def task_context(self) -> dict[str, Any]:
        """What the task list and the pages built on it (check, confirm) show."""
        application = self.application
        sections = self.sections
        return {
            "application": application,
            "sections": sections,
            "done": sum(1 for s in sections if s.status == completeness.COMPLETED),
            "eligibility": self.eligibility,
            "eligibility_missing": self.eligibility_missing,
            "problems": self.readiness_problems + self.requirement_problems,
            "requirements": self.requirements,
            "may_ready": self.may_fire("mark_ready").allowed,
            "may_submit": self.may_fire("submit").allowed,
            "may_reopen": self.may_fire("reopen").allowed,
            "may_withdraw": self.may_fire("withdraw").allowed,
            "status_label": workflow.LIFECYCLE.label(application.status),
            "next_step": self.next_step,
        }

    def detail_context(self) -> dict[str, Any]:
        """The task list page: also the submitted versions and an open return's comments."""
        application = self.application
        versions = list(application.versions.order_by("number").only("number", "submitted_at"))
        return self.task_context() | {
            "versions": versions,
            "open_return": open_return(application),
            "screening_rejection": screening_rejection(application),
        }

    def full_context(self) -> dict[str, Any]:
        """Check-your-answers and confirm: the task list facts and the whole application."""
        return self.task_context() | {"full": self.full}


def application_page(user: Visitor, pk: int) -> ApplicationPage:
    """The application `pk` as `user`'s page sees it (404 when missing or not theirs)."""
    application = application_for_page(user, pk)
    return ApplicationPage(application, user, side_of(user, application))


def open_return(application: Application, sections: Sequence[str] = ()) -> dict[str, Any] | None:
    """What the secretariat asked to correct while a return is open: the due date and the
    comments as (title, text), in the order of the application, limited to `sections` if given.
    No query unless the application is returned."""
    if application.returned_until is None:
        return None
    request = (
        ReturnRequest.objects.filter(application=application, resolved_at__isnull=True)
        .only("comments", "due_on")
        .first()
    )
    if request is None:
        return None
    comments = [
        (title, request.comments[code])
        for code, title in return_sections(application)
        if request.comments.get(code) and (not sections or code in sections)
    ]
    return {"due_on": request.due_on, "comments": comments}


def receipt_pdf(version: ApplicationVersion) -> bytes:
    """The receipt (受付票) of one submitted version, from the frozen snapshot."""
    return render_pdf(
        "applications/receipt_pdf.html",
        {"application": version.application, "version": version, "snapshot": version.snapshot},
    )


# --- The secretariat's pages ---------------------------------------------------------------------


def staff_application(user: Visitor, pk: int) -> Application:
    """The application with what every staff page shows; 404 when missing."""
    return get_application_for(
        user, pk, Application.objects.select_related("round", "firm", "engagement__lead_advisor")
    )


def staff_list(user: Visitor) -> QuerySet[Application]:
    """The columns the staff list shows, newest first (the view filters and pages it)."""
    return (
        applications_visible_to(user)
        .select_related("round", "firm")
        .only(
            "id",
            "status",
            "company_name",
            "company_name_kana",
            "corporate_number",
            "receipt_number",
            "prefecture",
            "industry",
            "employees",
            "submitted_at",
            "round__code",
            "round__name_ja",
            "round__name_en",
            "firm__name",
        )
        .order_by("-id")
    )


FIRM_SUGGESTIONS = 10


def firm_suggestions(text: str) -> list[AdvisorFirm]:
    """Up to ten firms with applications that `text` names, by name, for the staff list's firm
    field; none for an empty text. Each firm is asked about its applications through the
    (firm, -id) index, so the answer costs the same with 200,000 applications."""
    if not text.strip():
        return []
    firms = named(AdvisorFirm.objects.all(), text).filter(
        Exists(Application.objects.filter(firm=OuterRef("pk")))
    )
    return list(firms.only("name", "certification_number").order_by("name", "pk")[:FIRM_SUGGESTIONS])


def industry_label(code: str) -> str:
    try:
        return jsic.name(code, current_language()) if code else ""
    except ValueError:
        return code


def audit_history(
    application: Application, versions: list[ApplicationVersion], returns: list[ReturnRequest]
) -> list[AuditEntry]:
    """Audit entries of the application, its versions and its return requests, newest first."""
    entries = list(
        AuditEntry.objects.filter(
            Q(object_type="applications.application", object_id=str(application.pk))
            | Q(object_type="applications.applicationversion", object_id__in=[str(v.pk) for v in versions])
            | Q(object_type="applications.returnrequest", object_id__in=[str(r.pk) for r in returns])
        ).order_by("-seq")
    )
    for entry in entries:
        entry.label = action_label(entry.action)  # type: ignore[attr-defined]
    return entries


def staff_documents(application: Application) -> list[dict[str, Any]]:
    """Every attached file (documents and quotations) with its document name and download link."""
    doc_names = {d.code: localised(d, "name") for d in application.round.rules.documents}
    return [
        {
            "document": d,
            "label": doc_names.get(d.code, d.code),
            "link": reverse("applications:document_download", args=[application.pk, d.pk]),
        }
        for d in application.documents.select_related("budget_line", "uploaded_by").order_by("code", "id")
    ]

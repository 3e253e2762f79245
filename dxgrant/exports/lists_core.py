"""The first lists: applications, repayment demands, payment batches and inquiries."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxgrant.accounts.models import Visitor
from dxgrant.applications import selectors as application_selectors
from dxgrant.applications import workflow
from dxgrant.applications.forms.staff import ApplicationFilterForm
from dxgrant.applications.policies import can_use_staff_pages
from dxgrant.awards import policies as award_policies
from dxgrant.awards import selectors as award_selectors
from dxgrant.awards.models import RepaymentDemand
from dxgrant.core.i18n import current_language, localised
from dxgrant.japan.prefectures import prefecture_name
from dxgrant.public import policies as public_policies
from dxgrant.public.models import InquiryStatus

from .columns import Column, ListExport, Params, email_of

# --- applications (/staff/applications/) ---


def _applications(user: Visitor, params: Params) -> QuerySet[Any]:
    form = ApplicationFilterForm(dict(params) or None)
    return form.apply(application_selectors.staff_list(user))


def _status_label(status: str) -> str:
    return str(workflow.STATES.get(status, status))


APPLICATIONS = ListExport(
    code="applications",
    title=_("申請一覧"),
    list_url="staff_applications:list",
    policy=can_use_staff_pages,
    queryset=_applications,
    columns=(
        Column(_("申請ID"), lambda a: a.pk),
        Column(_("受付番号"), lambda a: a.receipt_number or ""),
        Column(_("会社名・屋号"), lambda a: a.company_name),
        Column(_("フリガナ"), lambda a: a.company_name_kana),
        Column(_("法人番号"), lambda a: a.corporate_number or ""),
        Column(_("公募回"), lambda a: localised(a.round, "name")),
        Column(_("状態"), lambda a: _status_label(a.status)),
        Column(
            _("都道府県"), lambda a: prefecture_name(a.prefecture, current_language()) if a.prefecture else ""
        ),
        Column(_("業種"), lambda a: application_selectors.industry_label(a.industry)),
        Column(_("従業員数"), lambda a: a.employees),
        Column(_("認定事業者"), lambda a: a.firm.name if a.firm_id else ""),
        Column(_("提出日時"), lambda a: a.submitted_at),
    ),
)


# --- repayment demands (/staff/awards/repayments/) ---


def _demands(user: Visitor, params: Params) -> QuerySet[Any]:
    if not award_policies.can_read_repayments(user):
        return RepaymentDemand.objects.none()
    return (
        RepaymentDemand.objects.select_related("application", "cancellation")
        .prefetch_related("repayments")
        .order_by("-pk")
    )


def _demand_rows(demands: Iterable[RepaymentDemand]) -> Iterator[award_selectors.DemandRow]:
    today = timezone.localdate()
    return (award_selectors.demand_row(d, today) for d in demands)


REPAYMENTS = ListExport(
    code="repayments",
    title=_("返還請求"),
    list_url="cancellation:repayments",
    policy=award_policies.can_read_repayments,
    queryset=_demands,
    present=_demand_rows,
    columns=(
        Column(_("受付番号"), lambda r: r.demand.application.receipt_number or ""),
        Column(_("会社名・屋号"), lambda r: r.demand.application.company_name),
        Column(_("返還の理由"), lambda r: r.demand.reason_label),
        Column(_("請求日"), lambda r: r.demand.demanded_on),
        Column(_("納付期限"), lambda r: r.demand.due_on),
        Column(_("返還額（円）"), lambda r: r.figures.principal_yen),
        Column(_("延滞金（円）"), lambda r: r.figures.charge_yen),
        Column(_("返還済み（円）"), lambda r: r.figures.repaid_yen),
        Column(_("残額（円）"), lambda r: r.figures.balance_yen),
        Column(_("完済日"), lambda r: r.demand.settled_on),
    ),
)


# --- payment batches (/staff/awards/payments/) ---


def _batches(user: Visitor, params: Params) -> QuerySet[Any]:
    return (
        award_policies.batches_visible_to(user).select_related("prepared_by", "approved_by").order_by("-pk")
    )


PAYMENT_BATCHES = ListExport(
    code="payment-batches",
    title=_("支払バッチ"),
    list_url="payments:batches",
    policy=award_policies.can_act_as_finance,
    queryset=_batches,
    columns=(
        Column(_("バッチID"), lambda b: b.pk),
        Column(_("状態"), lambda b: b.get_status_display()),
        Column(_("振込指定日"), lambda b: b.transfer_date),
        Column(_("件数"), lambda b: b.transfer_count),
        Column(_("合計金額（円）"), lambda b: b.total_yen),
        Column(_("作成者"), lambda b: email_of(b.prepared_by)),
        Column(_("作成日時"), lambda b: b.prepared_at),
        Column(_("承認者"), lambda b: email_of(b.approved_by)),
        Column(_("承認日時"), lambda b: b.approved_at),
        Column(_("精算日時"), lambda b: b.settled_at),
    ),
)


# --- inquiries (/staff/inquiries/) ---


def _inquiries(user: Visitor, params: Params) -> QuerySet[Any]:
    inquiries = public_policies.inquiries_visible_to(user).select_related("assignee").order_by("-pk")
    if params.get("status", "") in InquiryStatus.values:
        inquiries = inquiries.filter(status=params["status"])
    if params.get("mine") == "1":
        inquiries = inquiries.filter(assignee_id=user.pk)
    return inquiries


INQUIRIES = ListExport(
    code="inquiries",
    title=_("お問い合わせ"),
    list_url="staff:inquiry_inbox",
    policy=public_policies.can_view_inquiries,
    queryset=_inquiries,
    columns=(
        Column(_("受付ID"), lambda i: i.pk),
        Column(_("受付日時"), lambda i: i.created_at),
        Column(_("状態"), lambda i: i.get_status_display()),
        Column(_("お問い合わせの種類"), lambda i: i.get_category_display()),
        Column(_("お名前"), lambda i: i.name),
        Column(_("会社名・屋号"), lambda i: i.organisation),
        Column(_("メールアドレス"), lambda i: i.email),
        Column(_("電話番号"), lambda i: i.phone),
        Column(_("お問い合わせ内容"), lambda i: i.message),
        Column(_("担当者"), lambda i: email_of(i.assignee)),
    ),
)

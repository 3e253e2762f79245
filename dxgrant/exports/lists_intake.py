"""Lists around the companies: the refused duplicate applications (the section of
/staff/applications/), the support engagements (/support/staff/) and the payee account changes
awaiting acknowledgement (/staff/awards/payee/changes/)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from dxgrant.accounts.models import Visitor
from dxgrant.accounts.policies import can_read_as_staff
from dxgrant.applications.forms.staff import ApplicationFilterForm
from dxgrant.applications.models import RefusedDuplicate
from dxgrant.applications.policies import can_use_staff_pages
from dxgrant.awards import selectors as award_selectors
from dxgrant.awards.models import PayeeAccount
from dxgrant.core.i18n import localised
from dxgrant.support import policies as support_policies
from dxgrant.support import selectors as support_selectors
from dxgrant.support.models import Engagement

from .columns import Column, ListExport, Params, email_of, in_chunks

DUE_SEPARATOR = " / "

# --- refused duplicate applications (/staff/applications/, its "同じ会社の重複申請の試み") ---


def _refused(user: Visitor, params: Params) -> QuerySet[Any]:
    """Every attempt (the page shows the latest ten), in the round the page is filtered by."""
    if not can_use_staff_pages(user):
        return RefusedDuplicate.objects.none()
    refused = RefusedDuplicate.objects.select_related("round", "firm", "attempted_by").order_by("-id")
    form = ApplicationFilterForm(dict(params) or None)
    if form.is_bound and form.is_valid() and form.cleaned_data["round"]:
        refused = refused.filter(round=form.cleaned_data["round"])
    return refused


REFUSED_DUPLICATES = ListExport(
    code="refused-duplicates",
    title=_lazy("同じ会社の重複申請の試み"),
    list_url="staff_applications:list",
    policy=can_use_staff_pages,
    queryset=_refused,
    columns=(
        Column(_lazy("日時"), lambda d: d.attempted_at),
        Column(_lazy("公募回"), lambda d: localised(d.round, "name")),
        Column(_lazy("会社（法人番号または名称）"), lambda d: d.company_key),
        Column(_lazy("認定事業者"), lambda d: d.firm.name),
        Column(_lazy("操作した人"), lambda d: email_of(d.attempted_by)),
    ),
)


# --- support engagements (/support/staff/) ---


def _engagements(user: Visitor, params: Params) -> QuerySet[Any]:
    """As the page: its `status`, `round` and `q` filters; newest first."""
    filtered = support_selectors.staff_filter(
        support_policies.engagements_visible_to(user),
        status=params.get("status", ""),
        round_code=params.get("round", ""),
        q=params.get("q", "")[:100],
    )
    rows: QuerySet[Engagement] = support_selectors.engagement_rows(
        support_selectors.with_repeat_invitations(filtered)
    )
    return rows.order_by("-id")


def _training(row: support_selectors.EngagementRow) -> str:
    if row.training.complete:
        return _("修了")
    return _("確認テスト合格") if row.training.quiz_passed else _("確認テスト未合格")


ENGAGEMENTS = ListExport(
    code="engagements",
    title=_lazy("支援先の一覧"),
    list_url="support:staff_engagements",
    policy=can_read_as_staff,
    queryset=_engagements,
    present=in_chunks(support_selectors.build_rows),
    columns=(
        Column(_lazy("支援先"), lambda r: r.engagement.company_name),
        Column(_lazy("法人番号"), lambda r: r.engagement.corporate_number),
        Column(_lazy("公募回"), lambda r: localised(r.engagement.round, "name")),
        Column(_lazy("認定事業者"), lambda r: r.engagement.firm.name),
        Column(_lazy("担当"), lambda r: str(r.engagement.lead_advisor)),
        Column(_lazy("状態"), lambda r: r.engagement.get_status_display()),
        Column(_lazy("同じ法人番号の招待"), lambda r: r.engagement.same_number_invitations),
        Column(_lazy("ヒアリング"), lambda r: r.engagement.hearings_total),
        Column(_lazy("確認待ち"), lambda r: r.engagement.hearings_pending),
        Column(_lazy("異議あり"), lambda r: r.engagement.hearings_disputed),
        Column(_lazy("研修の受講時間"), lambda r: r.training.hours_attended),
        Column(_lazy("研修"), _training),
        Column(_lazy("次回の研修"), lambda r: r.next_session.starts_at if r.next_session else None),
        Column(_lazy("対応が必要なこと"), lambda r: DUE_SEPARATOR.join(str(i.text) for i in r.due)),
    ),
)


# --- payee account changes awaiting acknowledgement (/staff/awards/payee/changes/) ---


def _payee_changes(user: Visitor, params: Params) -> QuerySet[Any]:
    if not can_read_as_staff(user):
        return PayeeAccount.objects.none()
    return award_selectors.changes_awaiting_acknowledgement()


PAYEE_CHANGES = ListExport(
    code="payee-changes",
    title=_lazy("振込先口座の変更（確認待ち）"),
    list_url="payee:staff_changes",
    policy=can_read_as_staff,
    queryset=_payee_changes,
    columns=(
        Column(_lazy("受付番号"), lambda a: a.application.receipt_number or ""),
        Column(_lazy("会社名・屋号"), lambda a: a.application.company_name),
        Column(_lazy("公募回"), lambda a: localised(a.application.round, "name")),
        Column(_lazy("金融機関コード"), lambda a: a.bank_code),
        Column(_lazy("金融機関名"), lambda a: a.bank_name),
        Column(_lazy("支店コード"), lambda a: a.branch_code),
        Column(_lazy("支店名"), lambda a: a.branch_name),
        Column(_lazy("預金種目"), lambda a: a.get_account_type_display()),
        Column(_lazy("口座番号"), lambda a: a.account_number),
        Column(_lazy("口座名義（カナ）"), lambda a: a.holder_kana),
        Column(_lazy("変更日時"), lambda a: a.created_at),
        Column(_lazy("変更した人"), lambda a: email_of(a.created_by)),
    ),
)

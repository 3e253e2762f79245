"""The lists of one round or one batch, named by the page's path (the export link carries it as a
parameter): a round's notices (/staff/awards/<code>/notices/) and a payment batch's transfers
(/staff/awards/payments/<pk>/)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dxgrant.accounts.models import Visitor
from dxgrant.accounts.policies import is_staff_reader
from dxgrant.awards import policies as award_policies
from dxgrant.awards.models import Notice, NoticeKind, Transfer

from .columns import Column, ListExport, Params

# --- a round's notices (/staff/awards/<code>/notices/?round=<code>) ---


def _notices(user: Visitor, params: Params) -> QuerySet[Any]:
    code = params.get("round", "")
    if not code or not is_staff_reader(user):
        return Notice.objects.none()
    return Notice.objects.filter(application__round__code=code).select_related("decision", "application")


NOTICES = ListExport(
    code="notices",
    title=_("通知書"),
    list_url="notices:round",
    policy=award_policies.can_read_notices,
    queryset=lambda user, params: _notices(user, params).order_by("decision__rank", "pk"),
    columns=(
        Column(_("順位"), lambda n: n.decision.rank),
        Column(_("通知書番号"), lambda n: n.number),
        Column(_("種類"), lambda n: n.get_kind_display()),
        Column(_("受付番号"), lambda n: n.application.receipt_number or ""),
        Column(_("会社名・屋号"), lambda n: n.company_name),
        Column(_("法人番号"), lambda n: n.corporate_number),
        Column(_("交付決定額"), lambda n: n.amount_yen if n.kind == NoticeKind.AWARD else None),
        Column(_("通知日"), lambda n: n.issued_on),
        Column(_("状態"), lambda n: n.get_status_display()),
    ),
)


# --- a payment batch's transfers (/staff/awards/payments/<pk>/?batch=<pk>) ---


def _transfers(user: Visitor, params: Params) -> QuerySet[Any]:
    batch = params.get("batch", "")
    if not batch.isdigit():
        return Transfer.objects.none()
    batches = award_policies.batches_visible_to(user).filter(pk=int(batch))
    return Transfer.objects.filter(batch__in=batches).select_related("instalment__application").order_by("pk")


TRANSFERS = ListExport(
    code="transfers",
    title=_("振込明細"),
    list_url="payments:batches",
    policy=award_policies.can_act_as_finance,
    queryset=_transfers,
    columns=(
        Column(_("番号"), lambda t: t.pk),
        Column(_("受付番号"), lambda t: t.instalment.application.receipt_number or ""),
        Column(_("会社名・屋号"), lambda t: t.instalment.application.company_name),
        Column(_("金融機関コード"), lambda t: t.bank_code),
        Column(_("支店コード"), lambda t: t.branch_code),
        Column(_("預金種目"), lambda t: t.account_type),
        Column(_("口座番号"), lambda t: t.account_number),
        Column(_("口座名義（カナ）"), lambda t: t.holder_kana),
        Column(_("振込金額（円）"), lambda t: t.amount_yen),
        Column(_("振込結果"), lambda t: t.get_result_display()),
        Column(_("不能事由コード"), lambda t: t.result_code),
    ),
)

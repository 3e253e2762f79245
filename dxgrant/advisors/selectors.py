"""Reads about advisor firms: the registration's sections and what is missing, the secretariat's
queue, the public register. Every read that depends on who asks is filtered here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dxgrant.accounts.models import Role, User

from .models import (
    AdvisorFirm,
    CertificationState,
    FeeTiming,
    LegalForm,
    PublicStatus,
    RegistrationStatus,
)
from .policies import STAFF_READERS, firms_visible_to, is_firm_admin

PAGE_SIZE = 50


@dataclass(frozen=True)
class Section:
    slug: str
    title: Promise
    fields: tuple[str, ...]


# The registration form, in the order the registrant fills it in. Slugs are URL parts: never translate.
SECTIONS: tuple[Section, ...] = (
    Section(
        "identity",
        gettext_lazy("事業者の基本情報"),
        ("legal_form", "corporate_number", "invoice_number", "name", "name_kana", "website"),
    ),
    Section("address", gettext_lazy("所在地"), ("postal_code", "prefecture", "city", "address_line")),
    Section(
        "people",
        gettext_lazy("代表者・担当者"),
        ("representative_name", "representative_title", "contact_name", "contact_email", "contact_phone"),
    ),
    Section("advisors", gettext_lazy("アドバイザーとして活動する方"), ()),
    Section("competence", gettext_lazy("資格・支援実績"), ("qualifications", "experience")),
    Section(
        "fees",
        gettext_lazy("報酬"),
        (
            "fee_fixed_yen",
            "fee_fixed_timing",
            "success_fee_percent",
            "success_fee_timing",
            "charges_before_decision",
            "fee_policy",
        ),
    ),
    Section(
        "independence",
        gettext_lazy("独立性（IT製品・サービスの販売）"),
        ("sells_it_products", "it_products_disclosure"),
    ),
    Section("documents", gettext_lazy("提出書類"), ()),
    Section("declarations", gettext_lazy("宣誓"), ()),
)
SECTION_BY_SLUG = {s.slug: s for s in SECTIONS}
SECTION_FIELDS: dict[str, tuple[str, ...]] = {s.slug: s.fields for s in SECTIONS}
# Fees charged on these occasions can fall before the grant is decided.
ADVANCE_TIMINGS = (FeeTiming.BEFORE_DECISION, FeeTiming.MONTHLY)


@dataclass(frozen=True)
class Missing:
    section: str
    message: str
    field: str = ""


def field_label(name: str) -> str:
    """A registration field's label, as the form and the checklist both show it."""
    return str(getattr(AdvisorFirm._meta.get_field(name), "verbose_name", name))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def fee_consistency_errors(values: Mapping[str, Any]) -> dict[str, str]:
    """Contradictions in a fee disclosure, by field. Shared by the form and the submission check."""
    errors: dict[str, str] = {}
    fixed, fixed_timing = values.get("fee_fixed_yen"), values.get("fee_fixed_timing")
    success, success_timing = values.get("success_fee_percent"), values.get("success_fee_timing")
    before = values.get("charges_before_decision")
    if fixed and not fixed_timing:
        errors["fee_fixed_timing"] = _("定額報酬を受け取る時期を選んでください。")
    if fixed_timing and not fixed:
        errors["fee_fixed_yen"] = _(
            "定額報酬の金額を入力してください（受け取らない場合は時期も空欄にします）。"
        )
    if success and not success_timing:
        errors["success_fee_timing"] = _("成功報酬を受け取る時期を選んでください。")
    if success_timing and not success:
        errors["success_fee_percent"] = _(
            "成功報酬の割合を入力してください（受け取らない場合は時期も空欄にします）。"
        )
    if success_timing == FeeTiming.BEFORE_DECISION or success_timing == FeeTiming.MONTHLY:
        errors["success_fee_timing"] = _("成功報酬は交付決定後か交付後の時期を選んでください。")
    if fixed_timing == FeeTiming.BEFORE_DECISION and before is False:
        errors["charges_before_decision"] = _(
            "定額報酬を交付決定前に受け取る場合は、「交付決定前に報酬を受け取る」に「はい」と答えてください。"
        )
    if before is True and fixed_timing not in ADVANCE_TIMINGS:
        errors["fee_fixed_timing"] = _(
            "交付決定前に報酬を受け取る場合は、その金額を定額報酬に入力し、時期に「交付決定前」か「月額」を選んでください。"
        )
    return errors


def registration_missing(firm: AdvisorFirm) -> list[Missing]:
    """Everything that stops the registration from being submitted, in form order.

    Reads firm.proposed_advisors and firm.documents through `.all()`, so a prefetch is used."""
    missing: list[Missing] = []

    def need(section: str, name: str, message: str = "") -> None:
        if _blank(getattr(firm, name)):
            missing.append(
                Missing(
                    section, message or _("「%(field)s」が未入力です。") % {"field": field_label(name)}, name
                )
            )

    for name in ("legal_form", "name", "name_kana"):
        need("identity", name)
    if firm.legal_form and firm.legal_form != LegalForm.SOLE_PROPRIETOR:
        need("identity", "corporate_number", _("法人の場合は法人番号が必要です。"))
    for name in SECTION_FIELDS["address"]:
        need("address", name)
    for name in ("representative_name", "contact_name", "contact_email", "contact_phone"):
        need("people", name)
    if not list(firm.proposed_advisors.all()):
        missing.append(Missing("advisors", _("アドバイザーとして活動する方を1人以上登録してください。")))
    for name in SECTION_FIELDS["competence"]:
        need("competence", name)
    need("fees", "fee_policy")
    need("fees", "charges_before_decision", _("交付決定前に報酬を受け取るかどうかを答えてください。"))
    for name, message in fee_consistency_errors(
        {f: getattr(firm, f) for f in SECTION_FIELDS["fees"]}
    ).items():
        missing.append(Missing("fees", message, name))
    need("independence", "sells_it_products", _("IT製品・サービスの販売の有無を答えてください。"))
    if firm.sells_it_products:
        need("independence", "it_products_disclosure", _("販売している製品・サービスを記入してください。"))
    rules = firm.programme.advisor_certification
    uploaded = {d.kind for d in firm.documents.all()}
    for document in rules.get("documents", []):
        if document["required"] and document["code"] not in uploaded:
            name = _localised(document, "name")
            missing.append(
                Missing("documents", _("「%(name)s」を添付してください。") % {"name": name}, document["code"])
            )
    for declaration in rules.get("declarations", []):
        record = firm.declarations.get(declaration["key"])
        if not record or record.get("version") != declaration["version"]:
            missing.append(
                Missing(
                    "declarations", _("すべての宣誓項目を確認してチェックしてください。"), declaration["key"]
                )
            )
            break
    return missing


def _localised(item: Mapping[str, Any], key: str) -> str:
    from dxgrant.core.i18n import localised

    return localised(item, key)


@dataclass(frozen=True)
class SectionState:
    section: Section
    missing: list[Missing]

    @property
    def complete(self) -> bool:
        return not self.missing


def section_states(firm: AdvisorFirm) -> list[SectionState]:
    missing = registration_missing(firm)
    return [SectionState(s, [m for m in missing if m.section == s.slug]) for s in SECTIONS]


def advance_fee_yen(firm: AdvisorFirm) -> int | None:
    """The fixed fee the firm may take before the grant is decided, if any."""
    if firm.charges_before_decision and firm.fee_fixed_timing in ADVANCE_TIMINGS:
        return firm.fee_fixed_yen
    return None


def fee_flags(firm: AdvisorFirm, rules: Mapping[str, Any]) -> list[str]:
    """What the secretariat should look at in the fee and independence disclosure."""
    flags: list[str] = []
    advance = advance_fee_yen(firm)
    limit_yen = int(rules.get("advance_fee_flag_yen", 0))
    if advance is not None and advance > limit_yen:
        flags.append(
            _("交付決定前の報酬 %(amount)s円 が目安（%(limit)s円）を超えています。")
            % {"amount": f"{advance:,}", "limit": f"{limit_yen:,}"}
        )
    limit_percent = Decimal(rules.get("success_fee_flag_percent", 100))
    if firm.success_fee_percent is not None and firm.success_fee_percent > limit_percent:
        flags.append(
            _("成功報酬 %(rate)s%% が目安（%(limit)s%%）を超えています。")
            % {"rate": f"{firm.success_fee_percent.normalize():f}", "limit": f"{limit_percent:f}"}
        )
    if firm.sells_it_products:
        flags.append(_("自社または関係者がIT製品・サービスを販売しています（開示内容を確認）。"))
    return flags


# --- Who may see and decide -------------------------------------------------------------------


def can_read_registrations(user: Any) -> tuple[bool, str]:
    if getattr(user, "is_authenticated", False) and user.role in STAFF_READERS:
        return True, ""
    return False, _("認定事業者の審査画面を閲覧する権限がありません。")


def can_review_registrations(user: Any) -> tuple[bool, str]:
    if getattr(user, "is_authenticated", False) and user.role == Role.SECRETARIAT:
        return True, ""
    return False, _("認定事業者の審査・認定は事務局のみが行えます。")


def get_firm_for_registrant(user: Any, pk: int) -> AdvisorFirm:
    """The registration this person administers; 404 for a missing and a forbidden one alike."""
    firm = firms_visible_to(user).select_related("programme").filter(pk=pk).first()
    if firm is None or not is_firm_admin(user, firm):
        raise Http404
    return firm


def get_firm_for_review(user: Any, pk: int) -> AdvisorFirm:
    """A registration as the secretariat or an auditor sees it; 404 for anyone else."""
    allowed, _reason = can_read_registrations(user)
    firm = (
        firms_visible_to(user).select_related("programme", "created_by").filter(pk=pk).first()
        if allowed
        else None
    )
    if firm is None:
        raise Http404
    return firm


@dataclass(frozen=True)
class Page:
    items: list[AdvisorFirm]
    next_after: str | None


def _keyset(queryset: QuerySet[AdvisorFirm], key: str, after: Any, limit: int) -> Page:
    if after not in (None, ""):
        queryset = queryset.filter(**{f"{key}__gt": after})
    rows = list(queryset.order_by(key)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, str(getattr(rows[-1], key)) if more and rows else None)


def review_queue(
    user: Any,
    *,
    status: str = RegistrationStatus.SUBMITTED,
    query: str = "",
    after: str = "",
    limit: int = PAGE_SIZE,
) -> Page:
    """Registrations in one status, oldest first, paged by id (no OFFSET: page 300 costs what page 1 does)."""
    allowed, _reason = can_read_registrations(user)
    firms = firms_visible_to(user) if allowed else AdvisorFirm.objects.none()
    if status in RegistrationStatus.values:
        firms = firms.filter(registration_status=status)
    if query:
        firms = firms.filter(
            Q(name__icontains=query) | Q(name_kana__icontains=query) | Q(certification_number__iexact=query)
        )
    return _keyset(firms.select_related("created_by"), "id", int(after) if after.isdigit() else None, limit)


def status_filter(status: str, today: dt.date) -> Q:
    """The public status as a database condition (expired is computed from valid_until)."""
    active = Q(certification_state=CertificationState.ACTIVE)
    conditions: dict[str, Q] = {
        PublicStatus.ACTIVE: active & Q(valid_until__gte=today),
        PublicStatus.EXPIRED: active & Q(valid_until__lt=today),
        PublicStatus.SUSPENDED: Q(certification_state=CertificationState.SUSPENDED),
        PublicStatus.REVOKED: Q(certification_state=CertificationState.REVOKED),
    }
    return conditions.get(status, Q())


def public_register(
    *,
    query: str = "",
    prefecture: str = "",
    status: str = "",
    after: str = "",
    today: dt.date | None = None,
    limit: int = PAGE_SIZE,
) -> Page:
    """Certified firms for the public register, in certification-number order, paged by key.
    Revoked and expired firms are listed too, marked as such."""
    today = today or timezone.localdate()
    firms = AdvisorFirm.objects.filter(
        registration_status=RegistrationStatus.CERTIFIED, certification_number__isnull=False
    ).filter(status_filter(status, today))
    query = query.strip()
    if query:
        firms = firms.filter(
            Q(name__icontains=query) | Q(name_kana__icontains=query) | Q(certification_number__iexact=query)
        )
    if prefecture:
        firms = firms.filter(prefecture=prefecture)
    return _keyset(firms, "certification_number", after.strip() or None, limit)


def get_public_firm(certification_number: str) -> AdvisorFirm:
    firm = (
        AdvisorFirm.objects.filter(
            registration_status=RegistrationStatus.CERTIFIED,
            certification_number=certification_number.upper(),
        )
        .select_related("programme")
        .first()
    )
    if firm is None:
        raise Http404(certification_number)
    return firm


# --- Who hears about a decision ---------------------------------------------------------------


def firm_recipients(firm: AdvisorFirm) -> list[str]:
    """The firm's contact address and its administrators, each once."""
    emails = [firm.contact_email] if firm.contact_email else []
    emails += list(
        User.objects.filter(
            firm_memberships__firm=firm, firm_memberships__role="admin", firm_memberships__is_active=True
        )
        .order_by("pk")
        .values_list("email", flat=True)
    )
    seen: dict[str, None] = {}
    for email in emails:
        seen.setdefault(email.lower(), None)
    return list(seen)


def affected_applicants(firm: AdvisorFirm) -> list[User]:
    """Everyone of every applicant company the firm supports (support.EngagementMember), once each."""
    return list(
        User.objects.filter(engagement_memberships__engagement__firm=firm, is_active=True)
        .distinct()
        .order_by("pk")
    )

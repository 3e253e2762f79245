"""The registration form's sections, in the order the registrant fills them in, and the
checklist of what still stops the registration from being submitted.

No queries of its own: `registration_missing` reads the firm's columns, the programme's rules
and `firm.proposed_advisors` / `firm.documents` through `.all()`, so a prefetch is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dxgrant.core.i18n import localised

from .fees import fee_consistency_errors
from .models import AdvisorFirm, LegalForm


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


def next_section(slug: str) -> str | None:
    slugs = [s.slug for s in SECTIONS]
    index = slugs.index(slug)
    return slugs[index + 1] if index + 1 < len(slugs) else None


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
    rules = firm.programme.certification_rules
    uploaded = {d.kind for d in firm.documents.all()}
    for document in rules.documents:
        if document.required and document.code not in uploaded:
            missing.append(
                Missing(
                    "documents",
                    _("「%(name)s」を添付してください。") % {"name": localised(document, "name")},
                    document.code,
                )
            )
    for declaration in rules.declarations:
        record = firm.declarations.get(declaration.key)
        if not record or record.get("version") != declaration.version:
            missing.append(
                Missing(
                    "declarations", _("すべての宣誓項目を確認してチェックしてください。"), declaration.key
                )
            )
            break
    return missing


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

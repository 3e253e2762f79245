"""Forms for the advisor firm registration: starting it, its sections, the declarations and
the documents.

Section forms check the format of what is typed (法人番号 check digit, postal code, e-mail...)
and, only when the registrant asks to continue, that the section's required answers are there.
A draft can always be saved half-filled; completeness is checked again at submission.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import jaconv
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from dxgrant.accounts.models import Role, User
from dxgrant.core.forms import HalfWidthCharField, HalfWidthEmailField, YenIntegerField
from dxgrant.core.i18n import localised
from dxgrant.core.uploads import sniffed_type, unreadable
from dxgrant.japan import corporate_number, invoice_number, postal
from dxgrant.japan.prefectures import PREFECTURES
from dxgrant.programs.schema import CertificationDocument

from ..fees import fee_consistency_errors
from ..models import AdvisorFirm, FeeTiming, LegalForm
from ..sections import SECTION_FIELDS, field_label
from .fields import PercentField, YesNoField

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Allowed formats (as named in the programme file) → the MIME type the file's content must show.
PHONE_RE = re.compile(r"\+?[0-9][0-9-]{8,18}")
KANA_RE = re.compile(r"[\u30A0-\u30FF\u3000 ・ー－\-（）()＆&．.0-9０-９A-Za-zＡ-Ｚａ-ｚ]+")


# --- Starting ---------------------------------------------------------------------------------


class RegistrationStartForm(forms.Form):
    firm_name = forms.CharField(
        label=_("事業者名"),
        max_length=200,
        help_text=_("登記上の名称（個人事業主は屋号または氏名）。あとから変更できます。"),
        error_messages={"required": _("事業者名を入力してください。")},
    )
    display_name = forms.CharField(
        label=_("あなたの氏名"),
        max_length=100,
        error_messages={"required": _("氏名を入力してください。")},
    )
    email = HalfWidthEmailField(
        label=_("メールアドレス"),
        help_text=_("ログインに使います。確認のメールをお送りします。"),
        error_messages={
            "required": _("メールアドレスを入力してください。"),
            "invalid": _("メールアドレスの形式が正しくありません（例: name@example.jp）。"),
        },
    )
    password1 = forms.CharField(
        label=_("パスワード"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("10文字以上。推測されやすいものや数字だけのものは使えません。"),
        error_messages={"required": _("パスワードを入力してください。")},
    )
    password2 = forms.CharField(
        label=_("パスワード（確認）"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("確認のため、同じパスワードをもう一度入力してください。")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.fields["display_name"].widget.attrs.update({"autocomplete": "name"})
        self.fields["firm_name"].widget.attrs.update({"autocomplete": "organization"})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("パスワードが一致しません。"))
        elif p1:
            candidate = User(
                email=cleaned.get("email", ""),
                display_name=cleaned.get("display_name", ""),
                role=Role.ADVISOR,
            )
            try:
                validate_password(p1, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class FirmNameForm(forms.Form):
    """For a signed-in advisor who belongs to no firm: the account exists already."""

    firm_name = RegistrationStartForm.base_fields["firm_name"]


# --- Sections ---------------------------------------------------------------------------------


class SectionForm(forms.Form):
    """One section of the registration. `complete=True` (save and continue) makes the section's
    required answers required; a draft save checks only what was typed."""

    section = ""
    required_when_complete: tuple[str, ...] = ()

    def __init__(self, *args: Any, firm: AdvisorFirm, complete: bool = False, **kwargs: Any) -> None:
        if "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(firm, name) for name in SECTION_FIELDS[self.section]}
        super().__init__(*args, **kwargs)
        self.firm = firm
        self.complete = complete
        for name, field in self.fields.items():
            field.required = complete and name in self.required_when_complete
            # Required once the registrant continues, so not labelled optional.
            field.conditional = name in self.required_when_complete  # type: ignore[attr-defined]
            if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
                message = (
                    _("「%(field)s」を選んでください。")
                    if isinstance(field, forms.ChoiceField)
                    else _("「%(field)s」を入力してください。")
                )
                field.error_messages["required"] = message % {"field": field.label}

    def values(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in SECTION_FIELDS[self.section]
            if name in self.cleaned_data
        }


class IdentityForm(SectionForm):
    section = "identity"
    required_when_complete = ("legal_form", "name", "name_kana")

    legal_form = forms.ChoiceField(
        label=field_label("legal_form"), choices=LegalForm.choices, widget=forms.RadioSelect
    )
    corporate_number = HalfWidthCharField(
        label=field_label("corporate_number"),
        max_length=20,
        help_text=_("13桁の数字。法人の場合は必須です（国税庁 法人番号公表サイトで確認できます）。"),
    )
    invoice_number = HalfWidthCharField(
        label=field_label("invoice_number"),
        max_length=20,
        help_text=_("「T」と13桁の数字。登録がある場合のみ。"),
    )
    name = forms.CharField(label=field_label("name"), max_length=200)
    name_kana = forms.CharField(
        label=field_label("name_kana"),
        max_length=200,
        help_text=_("全角カタカナ（例: カブシキガイシャディーエックスシエン）"),
    )
    website = forms.URLField(label=field_label("website"), max_length=200, assume_scheme="https")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["corporate_number"].conditional = True  # type: ignore[attr-defined]
        self.fields["corporate_number"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["invoice_number"].widget.attrs.update({"autocomplete": "off"})
        self.fields["name"].widget.attrs.update({"autocomplete": "organization"})
        # The firm is known by its name from the first step on; it can be changed, not emptied.
        self.fields["name"].required = True
        self.fields["name"].error_messages["required"] = _("事業者名を入力してください。")

    def clean_corporate_number(self) -> str:
        value = corporate_number.normalize(self.cleaned_data.get("corporate_number", ""))
        if value and not corporate_number.is_valid(value):
            raise forms.ValidationError(
                _(
                    "法人番号が正しくありません。13桁の数字を確かめてください（チェックディジットが一致しません）。"
                )
            )
        return value

    def clean_invoice_number(self) -> str:
        value = invoice_number.normalize(self.cleaned_data.get("invoice_number", ""))
        if value and not invoice_number.is_valid(value):
            raise forms.ValidationError(
                _("登録番号が正しくありません。「T」に続く13桁の数字を確かめてください。")
            )
        return value

    def clean_name_kana(self) -> str:
        value = self.cleaned_data.get("name_kana", "")
        value = jaconv.hira2kata(jaconv.h2z(value, kana=True, ascii=False, digit=False)).strip()
        if value and not KANA_RE.fullmatch(value):
            raise forms.ValidationError(_("フリガナは全角カタカナで入力してください。"))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        form, number, invoice = (
            cleaned.get("legal_form"),
            cleaned.get("corporate_number"),
            cleaned.get("invoice_number"),
        )
        is_corporation = form and form != LegalForm.SOLE_PROPRIETOR
        if self.complete and is_corporation and not number and "corporate_number" not in self.errors:
            self.add_error("corporate_number", _("法人の場合は法人番号を入力してください。"))
        if form == LegalForm.SOLE_PROPRIETOR and number:
            self.add_error("corporate_number", _("個人事業主には法人番号はありません。空欄にしてください。"))
        if is_corporation and number and invoice and invoice[1:] != number:
            self.add_error(
                "invoice_number", _("法人の登録番号は「T」＋法人番号です。法人番号と一致しません。")
            )
        return cleaned


class AddressForm(SectionForm):
    section = "address"
    required_when_complete = ("postal_code", "prefecture", "city", "address_line")

    postal_code = forms.CharField(
        label=field_label("postal_code"),
        max_length=10,
        help_text=_("7桁の数字（例: 100-0001）。「住所を検索」で都道府県と市区町村を入力できます。"),
    )
    prefecture = forms.ChoiceField(
        label=field_label("prefecture"), choices=[("", _("選択してください")), *[(p, p) for p in PREFECTURES]]
    )
    city = forms.CharField(label=field_label("city"), max_length=100)
    address_line = forms.CharField(
        label=field_label("address_line"), max_length=200, help_text=_("町名・番地・建物名・部屋番号")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["postal_code"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "postal-code"}
        )
        self.fields["city"].widget.attrs.update({"autocomplete": "address-level2"})
        self.fields["address_line"].widget.attrs.update({"autocomplete": "address-line1"})

    def clean_postal_code(self) -> str:
        value = self.cleaned_data.get("postal_code", "")
        if not value.strip():
            return ""
        try:
            address = postal.lookup(value)
        except ValueError:
            raise forms.ValidationError(
                _("郵便番号は7桁の数字で入力してください（例: 100-0001）。")
            ) from None
        digits = postal.normalize(value)
        if address is None:
            raise forms.ValidationError(
                _(
                    "郵便番号「%(code)s」は日本郵便のデータに見つかりません。番号を確かめて入力し直してください。"
                )
                % {"code": f"{digits[:3]}-{digits[3:]}"}
            )
        return f"{digits[:3]}-{digits[3:]}"


class PeopleForm(SectionForm):
    section = "people"
    required_when_complete = ("representative_name", "contact_name", "contact_email", "contact_phone")

    representative_name = forms.CharField(label=field_label("representative_name"), max_length=100)
    representative_title = forms.CharField(
        label=field_label("representative_title"), max_length=100, help_text=_("例: 代表取締役")
    )
    contact_name = forms.CharField(
        label=field_label("contact_name"), max_length=100, help_text=_("事務局からの連絡を受ける方")
    )
    contact_email = HalfWidthEmailField(
        label=field_label("contact_email"),
        max_length=254,
        error_messages={"invalid": _("メールアドレスの形式が正しくありません（例: name@example.jp）。")},
    )
    contact_phone = HalfWidthCharField(
        label=field_label("contact_phone"), max_length=20, help_text=_("例: 03-1234-5678")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.fields["contact_phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})

    def clean_contact_phone(self) -> str:
        phone: str = self.cleaned_data.get("contact_phone", "")
        if phone and not PHONE_RE.fullmatch(phone):
            raise forms.ValidationError(_("電話番号は数字とハイフンで入力してください（例: 03-1234-5678）。"))
        return phone


class ProposedAdvisorForm(forms.Form):
    name = forms.CharField(label=_("氏名"), max_length=100, required=False)
    email = HalfWidthEmailField(
        label=_("メールアドレス"),
        required=False,
        error_messages={"invalid": _("メールアドレスの形式が正しくありません（例: name@example.jp）。")},
    )
    qualifications = forms.CharField(
        label=_("資格・経験"),
        max_length=500,
        required=False,
        help_text=_("例: 中小企業診断士、ITコーディネータ"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Needed for each person listed; an empty row is simply ignored.
        self.fields["name"].conditional = True  # type: ignore[attr-defined]
        self.fields["email"].conditional = True  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        filled = any(cleaned.get(k) for k in ("name", "email", "qualifications"))
        if filled and not cleaned.get("name") and "name" not in self.errors:
            self.add_error("name", _("氏名を入力してください。"))
        if filled and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("メールアドレスを入力してください。"))
        return cleaned


class BaseAdvisorFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        emails = [f.cleaned_data.get("email") for f in self.forms if getattr(f, "cleaned_data", None)]
        emails = [e for e in emails if e]
        if len(emails) != len(set(emails)):
            raise forms.ValidationError(_("同じメールアドレスの方が複数います。"))


AdvisorFormSet = forms.formset_factory(
    ProposedAdvisorForm, formset=BaseAdvisorFormSet, extra=1, max_num=20, validate_max=True
)


class AdvisorsForm(SectionForm):
    """The proposed advisors as a form set, behind the same interface as the other sections."""

    section = "advisors"

    def __init__(self, *args: Any, firm: AdvisorFirm, complete: bool = False, **kwargs: Any) -> None:
        data = args[0] if args else kwargs.get("data")
        super().__init__(data, firm=firm, complete=complete, initial={})
        initial = [
            {"name": a.name, "email": a.email, "qualifications": a.qualifications}
            for a in firm.proposed_advisors.all()
        ]
        self.formset = AdvisorFormSet(data, initial=initial, prefix="advisors")

    def is_valid(self) -> bool:
        valid = super().is_valid() & self.formset.is_valid()
        rows = self.rows() if valid else []
        if valid and self.complete and not rows:
            self.add_error(None, _("アドバイザーとして活動する方を1人以上登録してください。"))
            return False
        return valid

    def rows(self) -> list[dict[str, str]]:
        return [
            f.cleaned_data
            for f in self.formset.forms
            if f.cleaned_data.get("name") or f.cleaned_data.get("email")
        ]


class CompetenceForm(SectionForm):
    section = "competence"
    required_when_complete = ("qualifications", "experience")

    qualifications = forms.CharField(
        label=field_label("qualifications"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "事業者として、またはアドバイザーが保有する資格（中小企業診断士、ITコーディネータ、税理士など）。2,000字以内。"
        ),
    )
    experience = forms.CharField(
        label=field_label("experience"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("中小企業の経営やDXを支援した実績（件数、業種、内容）。4,000字以内。"),
    )


class FeesForm(SectionForm):
    section = "fees"
    required_when_complete = ("charges_before_decision", "fee_policy")

    fee_fixed_yen = YenIntegerField(
        label=_("定額報酬（円・税込）"),
        min_value=0,
        max_value=1_000_000_000,
        help_text=_("着手金・月額顧問料など、金額が決まっている報酬。受け取らない場合は空欄。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "invalid": _("金額は数字で入力してください（例: 300000）。"),
            "min_value": _("0以上の金額を入力してください。"),
        },
    )
    fee_fixed_timing = forms.ChoiceField(
        label=_("定額報酬を受け取る時期"), choices=[("", _("（定額報酬なし）")), *FeeTiming.choices]
    )
    success_fee_percent = PercentField(
        label=_("成功報酬（支援金額に対する％）"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        help_text=_("支援金の交付が決まった場合に受け取る割合。受け取らない場合は空欄。"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"invalid": _("割合は数字で入力してください（例: 5 または 7.5）。")},
    )
    success_fee_timing = forms.ChoiceField(
        label=_("成功報酬を受け取る時期"),
        choices=[
            ("", _("（成功報酬なし）")),
            (FeeTiming.AFTER_DECISION, FeeTiming.AFTER_DECISION.label),
            (FeeTiming.AFTER_PAYMENT, FeeTiming.AFTER_PAYMENT.label),
        ],
    )
    charges_before_decision = YesNoField(
        label=_("支援金の交付決定より前に、申請者から報酬を受け取りますか"),
        help_text=_("着手金や月額顧問料など、交付決定前に受け取るものがあれば「はい」。"),
    )
    fee_policy = forms.CharField(
        label=_("報酬の方針（説明）"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "報酬の種類・金額や割合・支払時期・不採択の場合の扱いなどを、申請者にわかる言葉で。公開名簿に掲載されます。"
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, message in fee_consistency_errors(cleaned).items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned


class IndependenceForm(SectionForm):
    section = "independence"
    required_when_complete = ("sells_it_products",)

    sells_it_products = YesNoField(
        label=_("貴社または関係会社・役員が、申請者が支援金で購入しうるIT製品・サービスを販売していますか"),
        help_text=_("ソフトウェア、クラウドサービス、機器、システム開発、導入支援などを含みます。"),
    )
    it_products_disclosure = forms.CharField(
        label=_("販売している製品・サービスと、販売している会社"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("「はい」の場合に記入してください。公開名簿に掲載されます。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["it_products_disclosure"].conditional = True  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        sells, disclosure = cleaned.get("sells_it_products"), cleaned.get("it_products_disclosure", "")
        if self.complete and sells and not disclosure.strip():
            self.add_error("it_products_disclosure", _("販売している製品・サービスを記入してください。"))
        if sells is False and disclosure.strip():
            cleaned["it_products_disclosure"] = ""
        return cleaned


class DeclarationsForm(forms.Form):
    """One unticked box per declaration of the programme; the registrant ticks each themself."""

    def __init__(self, *args: Any, firm: AdvisorFirm, complete: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.firm = firm
        self.complete = complete
        for declaration in firm.programme.certification_rules.declarations:
            record = firm.declarations.get(declaration.key) or {}
            current = record.get("version") == declaration.version
            self.fields[declaration.key] = forms.BooleanField(
                label=localised(declaration, "text"),
                required=complete,
                initial=current,
                error_messages={"required": _("この項目を確認してチェックしてください。")},
            )
            ticked_at = dt.datetime.fromisoformat(record["at"]) if current and record.get("at") else None
            self.fields[declaration.key].ticked_at = ticked_at  # type: ignore[attr-defined]

    def ticked(self) -> list[str]:
        return [key for key, value in self.cleaned_data.items() if value]


class DocumentUploadForm(forms.Form):
    code = forms.ChoiceField(
        label=_("書類の種類"),
        widget=forms.RadioSelect,
        error_messages={"required": _("書類の種類を選んでください。")},
    )
    file = forms.FileField(
        label=_("ファイル"),
        help_text=_("10MBまで。書類ごとに指定の形式（PDFなど）で。"),
        error_messages={"required": _("ファイルを選んでください。"), "empty": _("ファイルが空です。")},
    )

    def __init__(self, *args: Any, documents: Sequence[CertificationDocument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.documents = {d.code: d for d in documents}
        code = self.fields["code"]
        assert isinstance(code, forms.ChoiceField)
        code.choices = [
            (d.code, f"{localised(d, 'name')}（{'・'.join(f.upper() for f in d.formats)}）")
            for d in documents
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload: UploadedFile | None = cleaned.get("file")
        document = self.documents.get(cleaned.get("code", ""))
        if upload is None or document is None:
            return cleaned
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            self.add_error("file", _("ファイルが大きすぎます。10MB以下にしてください。"))
            return cleaned
        mime = sniffed_type(upload, document.formats)
        if mime is None:
            names = "・".join(f.upper() for f in document.formats)
            self.add_error(
                "file",
                _(
                    "この書類は%(formats)s形式で提出してください（ファイルの中身を確認しました。拡張子だけ変えたファイルは使えません）。"
                )
                % {"formats": names},
            )
            return cleaned
        problem = unreadable(upload, mime, name=localised(document, "name"))
        if problem:
            self.add_error("file", problem)
            return cleaned
        upload.content_type = mime
        return cleaned


SECTION_FORMS: dict[str, type[forms.Form]] = {
    "identity": IdentityForm,
    "address": AddressForm,
    "people": PeopleForm,
    "advisors": AdvisorsForm,
    "competence": CompetenceForm,
    "fees": FeesForm,
    "independence": IndependenceForm,
    "declarations": DeclarationsForm,
}

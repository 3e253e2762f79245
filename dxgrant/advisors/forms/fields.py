"""Form fields and choices the advisor forms share."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dxgrant.core.forms import to_half_width

PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)  # fmt: skip
YES_NO = [("yes", _("はい")), ("no", _("いいえ"))]


def _yes_no(value: Any) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class YesNoField(forms.TypedChoiceField):
    """A yes/no question as two radio buttons; unanswered is None (allowed in a draft)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=YES_NO,
            coerce=_yes_no,
            empty_value=None,
            widget=forms.RadioSelect,
            error_messages={"required": _("「はい」か「いいえ」を選んでください。")},
            **kwargs,
        )

    def prepare_value(self, value: Any) -> Any:
        return {True: "yes", False: "no"}.get(value, value)


class PercentField(forms.DecimalField):
    """Accepts full-width digits and a trailing ％: ５％ → 5."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = to_half_width(value).replace("%", "").replace("％", "").strip()
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise
        except InvalidOperation:  # pragma: no cover - DecimalField already reports it
            raise forms.ValidationError(self.error_messages["invalid"]) from None

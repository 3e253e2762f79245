"""The payee account's rules, with no database: the account number and the holder's name as
the applicant types them, normalised to what a Zengin transfer file carries, and whether the
holder is the company itself; the last day of the acceptance period.

The holder must be the company: its name in kana after Zengin normalisation must be the
company's registered kana name (`Application.company_name_kana`) with its legal form
(`Application.legal_form`, 株式会社 → ｶ) and so on) where the bank puts it: before the name
(前株, ``ｶ)ﾔﾏﾀﾞ``) when the company's name starts with it, after (後株, ``ﾔﾏﾀﾞ(ｶ``) when it ends
with it. Spelled-out forms (``カブシキガイシャヤマダ``) and spaces are compared as the bank would
(`japan.kana.payee_key`).
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.utils.translation import gettext as _

from dxgrant.japan.kana import payee_key, to_zengin

# A Zengin data record has 30 characters for the payee's name.
HOLDER_MAX = 30
ACCOUNT_NUMBER_DIGITS = 7

# The legal forms applicants write in their profile, with their reading (japan.kana abbreviates
# the reading as banks do).
LEGAL_FORM_READINGS: dict[str, str] = {
    "株式会社": "カブシキガイシャ",
    "有限会社": "ユウゲンガイシャ",
    "合同会社": "ゴウドウガイシャ",
    "合名会社": "ゴウメイガイシャ",
    "合資会社": "ゴウシガイシャ",
    "医療法人": "イリョウホウジン",
    "一般社団法人": "イッパンシャダンホウジン",
    "公益社団法人": "コウエキシャダンホウジン",
    "一般財団法人": "イッパンザイダンホウジン",
    "公益財団法人": "コウエキザイダンホウジン",
    "特定非営利活動法人": "トクテイヒエイリカツドウホウジン",
    "NPO法人": "トクテイヒエイリカツドウホウジン",
    "社会福祉法人": "シャカイフクシホウジン",
    "学校法人": "ガッコウホウジン",
}


def account_number(text: str) -> str:
    """The 7-digit account number, full-width digits accepted (１２３４５６７ → 1234567), spaces
    and hyphens ignored. ValueError with a message for the person otherwise."""
    digits = unicodedata.normalize("NFKC", text).replace(" ", "").replace("-", "").strip()
    if not digits:
        raise ValueError(_("口座番号を入力してください。"))
    if not digits.isascii() or not digits.isdigit() or len(digits) != ACCOUNT_NUMBER_DIGITS:
        raise ValueError(
            _(
                "口座番号は数字7桁で入力してください（通帳に記載の番号。7桁に満たない場合は先頭に0を付けます）。"
            )
        )
    return digits


def holder_kana(text: str) -> str:
    """The holder's name as a transfer file carries it: Zengin half-width kana (hiragana and
    full-width katakana accepted), spaces collapsed, a legal form abbreviated as banks do. ValueError naming the character that has no
    Zengin form, or when the name is longer than a transfer record holds."""
    compact = " ".join(text.split())
    if not compact:
        raise ValueError(_("口座名義（カナ）を入力してください。"))
    try:
        converted = to_zengin(compact)
    except ValueError:
        bad = next(ch for ch in compact if not _convertible(ch))
        raise ValueError(
            _("口座名義に使えない文字「%(char)s」があります。通帳のとおり、カナで入力してください。")
            % {"char": bad}
        ) from None
    converted = " ".join(converted.split())
    # A legal form spelled out or in full brackets is written as banks write it: ｶﾌﾞｼｷｶﾞｲｼﾔ
    # ﾔﾏﾀﾞ and (ｶ)ﾔﾏﾀﾞ become ｶ)ﾔﾏﾀﾞ (spaces dropped then, as in a bank's registered name).
    abbreviated = payee_key(converted)
    if abbreviated != converted.replace(" ", ""):
        converted = abbreviated
    if len(converted) > HOLDER_MAX:
        raise ValueError(
            _("口座名義は半角%(max)s文字までです。法人格は通帳のとおり「ｶ)」のような略称で入力してください。")
            % {"max": HOLDER_MAX}
        )
    return converted


def _convertible(ch: str) -> bool:
    try:
        to_zengin(ch)
    except ValueError:
        return False
    return True


def company_holder_keys(company_kana: str, company_name: str = "", legal_form: str = "") -> set[str]:
    """The forms (japan.kana.payee_key) an account of the company itself may be held in.

    The registered kana name as it is, and where it does not spell the legal form out, the name
    with the form's abbreviation where the company's name puts it (both places when the name
    does not tell), never without it. Empty when there is no kana name to compare with."""
    if not company_kana.strip():
        return set()
    try:
        key = payee_key(company_kana)
    except ValueError:
        return set()
    reading = LEGAL_FORM_READINGS.get(legal_form.strip())
    if reading is None or "(" in key or ")" in key:
        # No legal form to add (a sole proprietor, a form we do not know), or the kana name
        # already spells it out.
        return {key}
    # A company's account carries its legal form: the bare name is not enough.
    name = company_name.strip()
    before = name.startswith(legal_form.strip())
    after = name.endswith(legal_form.strip())
    keys = set()
    if before or not after:
        keys.add(payee_key(reading + company_kana))
    if after or not before:
        keys.add(payee_key(company_kana + reading))
    return keys


def holder_is_company(
    holder: str, *, company_kana: str, company_name: str = "", legal_form: str = ""
) -> bool:
    """True if an account held in the name `holder` is the company's own (see the module)."""
    try:
        key = payee_key(holder)
    except ValueError:
        return False
    return key in company_holder_keys(company_kana, company_name, legal_form)


def acceptance_last_day(notified_on: dt.date, days: int) -> dt.date:
    """The last day on which the conditions may be accepted: `days` days counted from the day
    after notification (初日不算入), the last day in full."""
    return notified_on + dt.timedelta(days=days)

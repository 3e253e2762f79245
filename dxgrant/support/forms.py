"""Forms for advisor support. They check what a person typed; services check who may do it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dxgrant.accounts.models import Role, User
from dxgrant.core.forms import HalfWidthEmailField
from dxgrant.core.i18n import localised
from dxgrant.japan import corporate_number as corporate_numbers
from dxgrant.programs.models import Round
from dxgrant.programs.schema import CurriculumUnit, QuizQuestion

from .checkin import CODE_DIGITS, normalise_code
from .models import HearingRecord, HearingResponse, TrainingFormat
from .selectors import invitation_valid_hours

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TOKYO = ZoneInfo("Asia/Tokyo")


def _held_on_field() -> forms.DateField:
    """The day a hearing or a training session takes place (each form adds its own limits)."""
    return forms.DateField(
        label=_("実施日"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("実施日を入力してください。"),
            "invalid": _("日付の形式が正しくありません。"),
        },
    )


def _clock_field(*, label: StrOrPromise, required: StrOrPromise, invalid: StrOrPromise) -> forms.TimeField:
    """A time of day typed as HH:MM; the form combines it with the date in Japan time."""
    return forms.TimeField(
        label=label,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": required, "invalid": invalid},
    )


def _invitee_email_field(label: StrOrPromise) -> HalfWidthEmailField:
    """The address an invitation is sent to (the representative's or a staff member's)."""
    return HalfWidthEmailField(
        label=label,
        help_text=_("このアドレスに招待メールを送ります。リンクの有効期限はメールに記載します。"),
        error_messages={
            "required": _("メールアドレスを入力してください。"),
            "invalid": _("メールアドレスの形式が正しくありません（例: name@example.jp）。"),
        },
    )


class OnceForm(forms.Form):
    """A form whose submission carries a token, so a double submit is stored once."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())


class EngagementForm(OnceForm):
    round = forms.ChoiceField(
        label=_("公募回"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("公募回を選んでください。"),
            "invalid_choice": _("この公募回は申請を受け付けていません。"),
        },
    )
    company_name = forms.CharField(
        label=_("会社名・屋号"),
        max_length=200,
        error_messages={"required": _("会社名・屋号を入力してください。")},
    )
    corporate_number = forms.CharField(
        label=_("法人番号"),
        required=False,
        max_length=30,
        help_text=_("13桁の数字。個人事業主の場合は空欄のままにしてください。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    representative_name = forms.CharField(
        label=_("代表者の氏名"),
        max_length=100,
        error_messages={"required": _("代表者の氏名を入力してください。")},
    )
    representative_email = _invitee_email_field(_("代表者のメールアドレス"))

    def __init__(self, *args: Any, rounds: Sequence[Round], ask_repeat: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if ask_repeat:
            # Shown once the service warned that the 法人番号 was already invited in the round.
            self.fields["repeat_confirmed"] = forms.BooleanField(
                label=_("同じ法人番号の会社への招待であることを確認しました"), required=False
            )
        # Choices from the list the view already read: no second query for the same rounds.
        self.rounds = {str(r.pk): r for r in rounds}
        field = self.fields["round"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (str(r.pk), localised({"name_ja": r.name_ja, "name_en": r.name_en}, "name")) for r in rounds
        ]
        if len(rounds) == 1 and not self.is_bound:
            self.initial.setdefault("round", str(rounds[0].pk))
        hours = {invitation_valid_hours(r) for r in rounds}
        if len(hours) == 1:
            self.fields["representative_email"].help_text = _(
                "このアドレスに招待メールを送ります。リンクの有効期限は%(hours)s時間です。"
            ) % {"hours": hours.pop()}
        self.fields["representative_email"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false"}
        )

    def clean_round(self) -> Round:
        return self.rounds[self.cleaned_data["round"]]

    def repeat_confirmed(self) -> bool:
        return bool(self.cleaned_data.get("repeat_confirmed"))

    def clean_corporate_number(self) -> str:
        number = corporate_numbers.normalize(self.cleaned_data.get("corporate_number", ""))
        if number and not corporate_numbers.is_valid(number):
            raise forms.ValidationError(
                _("法人番号が正しくありません。13桁の数字と、先頭のチェックディジットを確認してください。")
            )
        return number


class HearingForm(OnceForm):
    held_on = _held_on_field()
    attendees = forms.CharField(
        label=_("出席者"),
        max_length=1000,
        help_text=_("申請者側とアドバイザー側の出席者の氏名・役職"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("出席者を入力してください。")},
    )
    topics = forms.CharField(
        label=_("話し合った内容"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("話し合った内容を入力してください。")},
    )
    challenges = forms.CharField(
        label=_("見つかった経営課題"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("見つかった経営課題を入力してください。")},
    )
    next_steps = forms.CharField(
        label=_("合意した次の行動"),
        max_length=4000,
        help_text=_("誰が・いつまでに・何をするか"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("合意した次の行動を入力してください。")},
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, instance: HearingRecord | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "held_on": instance.held_on,
                    "attendees": instance.attendees,
                    "topics": instance.topics,
                    "challenges": instance.challenges,
                    "next_steps": instance.next_steps,
                    "revision": instance.revision,
                },
            )
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        if not self.is_bound:
            self.initial.setdefault("held_on", today)  # most hearings are written up the same day
        self.fields["held_on"].widget.attrs["max"] = today.isoformat()

    def clean_held_on(self) -> dt.date:
        held_on: dt.date = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("実施日に未来の日付は指定できません。"))
        return held_on


class HearingResponseForm(forms.Form):
    response = forms.ChoiceField(
        label=_("記録の内容について"),
        choices=[
            (HearingResponse.ACKNOWLEDGED, _("内容を確認しました（事実と相違ありません）")),
            (HearingResponse.DISPUTED, _("事実と違う点があります（異議あり）")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("どちらかを選んでください。")},
    )
    comment = forms.CharField(
        label=_("コメント"),
        required=False,
        max_length=2000,
        help_text=_("異議がある場合は、どこが事実と違うかを書いてください。"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Required or not depends on the answer: the page must not call it optional.
        self.fields["comment"].conditional = True  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("response") == HearingResponse.DISPUTED and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("異議がある場合は、どこが事実と違うかをコメントに書いてください。"))
        return cleaned


class SessionForm(OnceForm):
    curriculum_code = forms.ChoiceField(
        label=_("研修の単元"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("研修の単元を選んでください。"),
            "invalid_choice": _("この公募回の研修カリキュラムにない単元です。"),
        },
    )
    date = _held_on_field()
    starts = _clock_field(
        label=_("開始時刻（日本時間）"),
        required=_("開始時刻を入力してください。"),
        invalid=_("時刻の形式が正しくありません（例: 13:00）。"),
    )
    ends = _clock_field(
        label=_("終了時刻（日本時間）"),
        required=_("終了時刻を入力してください。"),
        invalid=_("時刻の形式が正しくありません（例: 15:00）。"),
    )
    format = forms.ChoiceField(
        label=_("形式"),
        choices=TrainingFormat.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("形式を選んでください。")},
    )
    location = forms.CharField(
        label=_("場所・URL"),
        max_length=300,
        help_text=_("対面の場合は住所や会議室、オンラインの場合は参加用のURL"),
        error_messages={"required": _("場所またはURLを入力してください。")},
    )
    invitees = forms.MultipleChoiceField(
        label=_("参加者"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("選ばない場合は、申請者側のメンバー全員を招待します。"),
        error_messages={"invalid_choice": _("招待できるのは、この支援先の申請者側のメンバーだけです。")},
    )

    def __init__(
        self, *args: Any, curriculum: Sequence[CurriculumUnit], members: Sequence[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["curriculum_code"]
        assert isinstance(unit_field, forms.ChoiceField)
        unit_field.choices = [
            (
                u.code,
                _("%(title)s（%(hours)s時間）") % {"title": localised(u, "title"), "hours": _hours(u.hours)},
            )
            for u in curriculum
        ]
        invitee_field = self.fields["invitees"]
        assert isinstance(invitee_field, forms.ChoiceField)
        invitee_field.choices = [(str(m.pk), str(m)) for m in members]
        self.members = {str(m.pk): m for m in members}
        self.fields["date"].widget.attrs["min"] = timezone.localdate().isoformat()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date, starts, ends = cleaned.get("date"), cleaned.get("starts"), cleaned.get("ends")
        if date and starts and ends:
            starts_at = dt.datetime.combine(date, starts, tzinfo=TOKYO)
            ends_at = dt.datetime.combine(date, ends, tzinfo=TOKYO)
            if ends_at <= starts_at:
                self.add_error("ends", _("終了時刻は開始時刻より後にしてください。"))
            elif ends_at <= timezone.now():
                self.add_error(
                    "date", _("終了時刻が過ぎています。これから行う研修の日時を入力してください。")
                )
            cleaned["starts_at"], cleaned["ends_at"] = starts_at, ends_at
        return cleaned

    def invitee_users(self) -> list[User]:
        return [self.members[pk] for pk in self.cleaned_data.get("invitees", []) if pk in self.members]


def _hours(value: float) -> str:
    return f"{value:g}"


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("出席コード（6桁）"),
        max_length=20,
        help_text=_("研修の画面に表示されている6桁の数字を入力してください。コードは5分ごとに変わります。"),
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9０-９ ]*",
                "size": 8,
            }
        ),
        error_messages={"required": _("出席コードを入力してください。")},
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data.get("code", ""))
        if len(code) != CODE_DIGITS or not code.isascii() or not code.isdigit():
            raise forms.ValidationError(_("出席コードは6桁の数字です。"))
        return code


class QuizForm(OnceForm):
    """Built from the round's quiz, so a new question needs no code."""

    def __init__(self, *args: Any, questions: Sequence[QuizQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.codes = []
        for number, question in enumerate(questions, start=1):
            self.codes.append(question.code)
            self.fields[f"q_{question.code}"] = forms.ChoiceField(
                label=_("問%(n)s　%(q)s") % {"n": number, "q": localised(question, "question")},
                choices=[(c.value, localised(c, "label")) for c in question.choices],
                widget=forms.RadioSelect,
                error_messages={"required": _("答えを選んでください。")},
            )

    def answers(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"q_{code}"] for code in self.codes}


class StaffInvitationForm(forms.Form):
    name = forms.CharField(
        label=_("氏名"), max_length=100, error_messages={"required": _("氏名を入力してください。")}
    )
    email = _invitee_email_field(_("メールアドレス"))


class NewAccountForm(forms.Form):
    """The applicant's own account, made from the invitation (the email comes from the link)."""

    display_name = forms.CharField(
        label=_("氏名"), max_length=100, error_messages={"required": _("氏名を入力してください。")}
    )
    password1 = forms.CharField(
        label=_("パスワード"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("パスワードを入力してください。")},
    )
    password2 = forms.CharField(
        label=_("パスワード（確認）"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("確認のため、同じパスワードをもう一度入力してください。")},
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["display_name"].widget.attrs["autocomplete"] = "name"
        self.fields["password1"].help_text = _("10文字以上。よくあるパスワードや数字だけのものは使えません。")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("2つのパスワードが一致しません。"))
        elif password1:
            probe = User(email=self.email, display_name=cleaned.get("display_name", ""), role=Role.APPLICANT)
            try:
                validate_password(password1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class EndEngagementForm(forms.Form):
    reason = forms.CharField(
        label=_("終了の理由"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("相手方へのメールに記載します。"),
    )
    confirm = forms.BooleanField(
        label=_("支援を終了します。提出前の申請も終了し、元に戻せないことを理解しました。"),
        error_messages={"required": _("確認のチェックを入れてください。")},
    )

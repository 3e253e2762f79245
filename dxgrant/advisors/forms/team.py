"""Forms of a firm's own pages: inviting an advisor, and joining by an invitation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from dxgrant.core.forms import HalfWidthEmailField


class InviteAdvisorForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("氏名"), max_length=100)
    email = HalfWidthEmailField(label=gettext_lazy("メールアドレス"))


class JoinForm(forms.Form):
    display_name = forms.CharField(label=gettext_lazy("氏名"), max_length=100)
    password = forms.CharField(
        label=gettext_lazy("パスワード"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("10文字以上。推測されやすいものや数字だけのものは使えません。"),
    )

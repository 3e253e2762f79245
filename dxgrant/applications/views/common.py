"""What the application's pages share."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest

from dxgrant.accounts.models import User

from ..models import Application
from ..policies import get_application_for


def user_of(request: HttpRequest) -> User:
    """The signed-in person (the views that call this are behind login_required)."""
    user = request.user
    assert isinstance(user, User)
    return user


def content_application(request: HttpRequest, pk: int) -> Application:
    """The application with its round and firm, for the plan, budget and documents pages; 404
    when missing or not the person's to see."""
    return get_application_for(request.user, pk, queryset=Application.objects.select_related("round", "firm"))


def read_only(form: forms.BaseForm) -> None:
    """Shown to those who may not change it (staff, or once submitted): every field disabled."""
    for field in form.fields.values():
        field.disabled = True

"""Saving what two people may edit at once, and saving as they type.

Every editable thing carries a revision (or a fingerprint) that the form sends back. A save
from an older revision is refused with `EditConflict`: nothing is saved, the typed values stay
on the page, and `current` holds what the other person saved so the page can show it. Views
answer a conflict with 409; an autosave (htmx) is answered 200 with a message to swap in,
because htmx ignores the body of an error response.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _


def conflict_message() -> str:
    return _(
        "ほかの方がこの項目を先に保存しました。入力した内容は残してあります。"
        "最新の内容を確認してから、もう一度保存してください。"
    )


class EditConflict(ValidationError):
    """Someone else saved the same thing since this editor opened it; nothing was saved."""

    def __init__(
        self, message: str | None = None, *, current: Any = None, current_revision: int | None = None
    ):
        super().__init__(message or conflict_message(), code="conflict")
        self.current = current
        self.current_revision = current_revision


def expect_revision(stored: int, posted: int, *, current: Any = None, message: str | None = None) -> None:
    """Refuse a save made from another revision than the stored one."""
    if posted != stored:
        raise EditConflict(message, current=current, current_revision=stored)


def posted_revision(request: HttpRequest, name: str = "revision") -> int:
    """The revision a form was opened at; -1 (never a stored revision) when missing or garbled."""
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        return -1


def is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def is_autosave(request: HttpRequest) -> bool:
    """A save the page made by itself while the person typed (htmx, `autosave=1`)."""
    return is_htmx(request) and request.POST.get("autosave") == "1"


def refusal_status(exc: ValidationError) -> int:
    """409 for a conflict, 400 for any other refused input."""
    return 409 if isinstance(exc, EditConflict) else 400


def autosave_status(
    request: HttpRequest,
    template: str,
    *,
    revision: int | None = None,
    conflict: bool = False,
    invalid: bool = False,
    errors: Sequence[str] = (),
) -> HttpResponse:
    """The answer to an autosave: "saved at 11:56" with the new revision swapped into the form,
    or why nothing was saved (a conflict, input with errors: `errors`, each naming its field,
    for the page to show). Always 200: htmx ignores the body of an error response. Each page
    words the message in its own template."""
    context = {
        "revision": revision,
        "conflict": conflict,
        "invalid": invalid,
        "errors": errors,
        "saved_at": timezone.localtime(),
    }
    return render(request, template, context)


def error_lines(form: forms.Form) -> list[str]:
    """A form's errors as lines for an autosave's answer: "label: message" beside a field,
    the message alone for the form as a whole."""
    lines = [str(error) for error in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name in form.fields:
            lines += [f"{form[name].label}: {error}" for error in errors]
    return lines

"""One way to send a notification.

A service never sends: it enqueues a task on commit with `enqueue_on_commit(task, id)`. The
task receives ids, claims the right to send with `claim(...)` (a nullable timestamp column
set by a conditional UPDATE, only if still empty) and sends with `send_email(...)`, all inside
one transaction: if sending fails, the claim rolls back and a retry sends; if the task runs
twice, the second claim finds the column set and sends nothing. A "resend" is a service that
clears the column and enqueues the task again.

Tasks import models, selectors and this module, never services: services import their tasks
at module level, so the import graph has one direction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

LANGUAGES = ("ja", "en")


class Enqueueable(Protocol):
    def enqueue(self, *args: Any, **kwargs: Any) -> Any: ...


def enqueue_on_commit(task: Enqueueable, *args: int | str) -> None:
    """Queue `task(*args)` once the current transaction commits (never for a rolled-back one).
    Arguments are ids or short strings: a task reads everything else itself."""
    transaction.on_commit(lambda: task.enqueue(*args))


def claim(model: type[models.Model], pk: int, field: str) -> bool:
    """Mark `model(pk).field` sent now, if nobody has; True when this caller may send.

    Call it inside the transaction that sends: a failed send rolls the claim back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim() must run inside the transaction that sends")
    updated = model._default_manager.filter(pk=pk, **{f"{field}__isnull": True}).update(
        **{field: timezone.now()}
    )
    return bool(updated)


def site_url(path: str) -> str:
    """An absolute link to a page of this site, for emails."""
    return settings.DXGRANT_SITE_URL.rstrip("/") + path


class Recipient(Protocol):
    email: str
    preferred_language: str


def language_of(recipient: Recipient | str) -> str:
    """The recipient's chosen language; for a bare address, that of its account if it has one."""
    if isinstance(recipient, str):
        users = get_user_model()._default_manager.filter(email__iexact=recipient)
        user = users.only("preferred_language").first()
        language = getattr(user, "preferred_language", "") if user else ""
    else:
        language = recipient.preferred_language
    return language if language in LANGUAGES else "ja"


def render_email(template: str, context: Mapping[str, object], *, language: str) -> tuple[str, str]:
    """(subject, body) from `<template>_subject.txt` and `<template>_body.txt`."""
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
    return subject, body


def send_email(
    template: str,
    context: Mapping[str, object],
    *,
    to: Recipient | str,
    language: str | None = None,
) -> None:
    """Render the email in the recipient's language and send it to them alone."""
    address = to if isinstance(to, str) else to.email
    subject, body = render_email(template, context, language=language or language_of(to))
    send_mail(subject, body, None, [address])


# Between the Japanese and the English text of a bilingual email.
BILINGUAL_SEPARATOR = "\n\n----------------------------------------\n(English follows)\n\n"


def send_bilingual_email(template: str, context: Mapping[str, object], *, to: str) -> None:
    """Send Japanese, then English, in one email: for a person with no account and so no chosen
    language (a reviewer's invitation), as Japanese institutions commonly write to outsiders."""
    ja_subject, ja_body = render_email(template, context, language="ja")
    en_subject, en_body = render_email(template, context, language="en")
    send_mail(f"{ja_subject} / {en_subject}", ja_body.rstrip() + BILINGUAL_SEPARATOR + en_body, None, [to])

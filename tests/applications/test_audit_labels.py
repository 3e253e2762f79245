"""Every action in an application's audit history is labelled in a person's words; the raw code
is not shown beside the translated text (issue 9, item 16)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.utils import translation

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.applications.audit_labels import action_label
from dxgrant.integrity.services import audit_record
from dxgrant.programs.models import Programme
from tests.factories.applications import make_application

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[2] / "dxgrant"


def application_actions() -> set[str]:
    """Every action code written about an application, its versions or its return requests."""
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        found |= set(re.findall(r'action="(application\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    found |= {f"application.{name}" for name in workflow.TRANSITIONS}
    return found


def history_text(client: Client, application_id: int) -> str:
    html = client.get(f"/staff/applications/{application_id}/").content.decode()
    history = html[html.index('id="history-title"') :]
    return re.sub(r"<[^>]+>", " ", history[: history.index("</section>")])


def test_every_application_action_has_a_label_in_both_languages() -> None:
    actions = application_actions()
    assert {"application.version_frozen", "application.budget_line_changed", "application.created"} <= actions
    for language in ("ja", "en"):
        with translation.override(language):
            unlabelled = sorted(a for a in actions if not action_label(a))
        assert not unlabelled, f"{language}: {unlabelled}"


def test_the_staff_history_shows_labels_and_no_raw_codes(
    programme: Programme, client_for: Callable[[str], Client]
) -> None:
    app = make_application(programme, company_name="履歴表示株式会社")
    with transaction.atomic():
        for action in sorted(application_actions()):
            audit_record(actor=None, action=action, obj=app)
    client = client_for(Role.AUDITOR)
    text = history_text(client, app.pk)
    assert "application." not in text, sorted(set(re.findall(r"application\.[a-z_]+", text)))
    assert "提出版を確定" in text
    assert "経費の明細を変更" in text
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = history_text(client, app.pk)
    assert "application." not in text
    assert "Froze the submitted version" in text
    assert "Changed a budget line" in text

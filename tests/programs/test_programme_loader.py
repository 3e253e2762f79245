import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from dxgrant.integrity.models import AuditEntry
from dxgrant.programs.models import DeclarationText, Programme, ProgrammeDefinitionVersion, Round
from dxgrant.programs.services.loading import DefinitionError, load_programme

pytestmark = pytest.mark.django_db

SOURCE = Path(settings.DXGRANT_PROGRAMME_FILE).read_bytes()


def load(raw: bytes):
    return load_programme(raw=raw, source_name="test.toml", actor=None)


def test_the_programme_file_loads_the_brief_facts():
    result = load(SOURCE)
    assert result.changed and result.rounds_created == ["dx-2025-r1"]
    programme = Programme.objects.get(code="dx-management")
    assert programme.name_ja == "中小企業DX経営高度化推進支援制度"
    assert programme.max_award_yen == 100_000_000
    assert programme.content["operator"]["phone"] == "03-6457-5845"
    round1 = Round.objects.get(code="dx-2025-r1")
    assert (round1.application_opens, round1.application_closes) == (
        dt.date(2025, 11, 1),
        dt.date(2026, 4, 30),
    )
    assert round1.programme_period_ends == dt.date(2027, 4, 30)
    assert sum(c["weight"] for c in round1.rubric) == 100
    assert {c["code"] for c in round1.rubric} == {
        "feasibility",
        "effect",
        "scale",
        "ripple",
        "management",
        "regional",
    }
    rules = {r["code"]: r for r in round1.eligibility["rules"]}
    assert rules["employees_max"]["value"] == 100
    assert rules["capital_max"]["value"] == 50_000_000
    assert round1.amount_rule["cap_yen"] == 100_000_000
    assert DeclarationText.objects.filter(round=round1).count() == 6
    assert round1.texts["data_notes"], "the brief's date conflict is recorded in the data"


def test_loading_the_same_file_twice_changes_nothing():
    load(SOURCE)
    audit_count = AuditEntry.objects.count()
    second = load(SOURCE)
    assert not second.changed
    assert AuditEntry.objects.count() == audit_count
    assert ProgrammeDefinitionVersion.objects.count() == 1


def test_an_edited_file_updates_the_round_and_keeps_the_old_version():
    load(SOURCE)
    edited = SOURCE.replace(b"application_closes = 2026-04-30", b"application_closes = 2026-05-15")
    result = load(edited)
    assert result.changed and result.rounds_updated == ["dx-2025-r1"]
    assert Round.objects.get(code="dx-2025-r1").application_closes == dt.date(2026, 5, 15)
    assert ProgrammeDefinitionVersion.objects.count() == 2
    assert AuditEntry.objects.filter(action="programme.loaded").count() == 2


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ((b"application_closes = 2026-04-30", b"application_closes = 2025-10-01"), "application_closes"),
        ((b"weight = 25", b"weight = 30"), "rubric"),
        ((b'op = "le"', b'op = "approximately"'), "rounds.0.eligibility.rules"),
        ((b"max_award_yen = 100000000\naward", b"max_award_yen = -5\naward"), "programme.max_award_yen"),
        ((b"[operator]", b"[operator]\nunknown_key = 1"), "operator.unknown_key"),
        ((b'field = "employees"', b'field = "staff_count"'), "staff_count"),
    ],
)
def test_a_malformed_file_is_refused_with_the_field_and_nothing_is_written(change, expected):
    broken = SOURCE.replace(*change, 1)
    assert broken != SOURCE
    with pytest.raises(DefinitionError) as excinfo:
        load(broken)
    assert any(expected in problem for problem in excinfo.value.problems), excinfo.value.problems
    assert Programme.objects.count() == 0
    assert Round.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_toml_syntax_errors_name_the_line():
    with pytest.raises(DefinitionError) as excinfo:
        load(b"schema_version = 1\n[programme\n")
    assert "line 2" in str(excinfo.value)


def test_a_failure_midway_rolls_back_the_whole_load():
    """The programme row is written before the rounds; a round error must undo it too."""
    load(SOURCE)
    changed_text = SOURCE.replace(
        "反社会的勢力に該当せず".encode(), "反社会的勢力に該当しないことを".encode(), 1
    ).replace(b'tagline_ja = "', b'tagline_ja = "NEW ', 1)
    with pytest.raises(DefinitionError) as excinfo:
        load(changed_text)
    assert "no_antisocial_ties" in str(excinfo.value)
    assert not Programme.objects.get().content["programme"]["tagline_ja"].startswith("NEW")
    assert ProgrammeDefinitionVersion.objects.count() == 1


def test_the_command_reports_problems_and_exits_nonzero(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_bytes(SOURCE.replace(b"application_closes = 2026-04-30", b"application_closes = 2025-01-01"))
    with pytest.raises(CommandError) as excinfo:
        call_command("load_programme", str(bad))
    assert "nothing was changed" in str(excinfo.value)
    assert "application_closes" in str(excinfo.value)
    assert Programme.objects.count() == 0


def test_the_command_loads_and_then_reports_unchanged(capsys):
    call_command("load_programme", str(settings.DXGRANT_PROGRAMME_FILE))
    call_command("load_programme", str(settings.DXGRANT_PROGRAMME_FILE))
    out = capsys.readouterr().out
    assert "loaded (rounds created: dx-2025-r1" in out
    assert out.strip().endswith("dx-management: unchanged")


def test_the_file_gives_a_new_round_its_budget_and_a_reload_keeps_the_secretariats_figure():
    load(SOURCE)
    round1 = Round.objects.get(code="dx-2025-r1")
    assert round1.budget_yen == 3_000_000_000
    assert round1.rules.review.reviewers_per_application == 3
    Round.objects.filter(pk=round1.pk).update(budget_yen=2_500_000_000)
    load(SOURCE.replace(b"application_closes = 2026-04-30", b"application_closes = 2026-05-15"))
    round1.refresh_from_db()
    assert round1.budget_yen == 2_500_000_000
    assert round1.application_closes == dt.date(2026, 5, 15)

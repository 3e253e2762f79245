"""Loading a programme definition file into the database."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from pydantic import ValidationError

from dxgrant.accounts.models import User
from dxgrant.integrity.services import audit_record

from ..models import DeclarationText, Programme, ProgrammeDefinitionVersion, Round
from ..schema import ProgrammeDefinition, RoundFacts


class DefinitionError(Exception):
    """The file cannot be loaded; `problems` lists each field with its reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class LoadResult:
    programme: Programme
    changed: bool
    rounds_created: list[str]
    rounds_updated: list[str]


def parse_definition(raw: bytes) -> ProgrammeDefinition:
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DefinitionError([f"(file): UTF-8 ではありません: {exc}"]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError([f"(file): TOML の構文エラー: {exc}"]) from exc
    try:
        return ProgrammeDefinition.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"]) or "(file)"
            problems.append(f"{where}: {error['msg']}")
        raise DefinitionError(problems) from exc


def round_values(facts: RoundFacts) -> dict[str, Any]:
    """Column and JSON values of a round, as stored."""
    dumped = facts.model_dump(mode="json")
    return {
        "name_ja": facts.name_ja,
        "name_en": facts.name_en,
        "application_opens": facts.application_opens,
        "application_closes": facts.application_closes,
        "programme_period_starts": facts.programme_period_starts,
        "programme_period_ends": facts.programme_period_ends,
        "max_award_yen": facts.max_award_yen,
        "budget_yen": facts.budget_yen,
        "eligibility": dumped["eligibility"],
        "rubric": dumped["rubric"],
        "amount_rule": dumped["amount_rule"],
        "documents": dumped["documents"],
        "training": dumped["training"],
        "application_rules": dumped["application"],
        "review_rules": dumped["review"],
        "award_rules": dumped["awards"],
        "reminder_rules": dumped["reminders"],
        "reporting_rules": dumped["reporting"],
        "texts": {
            key: dumped[key]
            for key in ("schedule_note_ja", "schedule_note_en", "data_notes", "schedule", "participation")
        },
    }


@transaction.atomic
def load_programme(*, raw: bytes, source_name: str, actor: User | None) -> LoadResult:
    """Create or update a programme and its rounds from a definition file's bytes.

    Run by the operator through the `load_programme` command (`actor` None: the system).
    Idempotent: loading the same bytes again changes nothing. A file that fails validation
    raises DefinitionError before any write, and the whole load is one transaction.
    Declaration texts are added by version and never overwritten.
    """
    definition = parse_definition(raw)
    sha = hashlib.sha256(raw).hexdigest()
    facts = definition.programme
    programme, created = Programme.objects.get_or_create(
        code=facts.code,
        defaults={"name_ja": facts.name_ja, "name_en": facts.name_en, "max_award_yen": facts.max_award_yen},
    )
    if not created and programme.current_version_id is not None:
        current_sha = (
            ProgrammeDefinitionVersion.objects.filter(pk=programme.current_version_id)
            .values_list("sha256", flat=True)
            .first()
        )
        if current_sha == sha:
            return LoadResult(programme, False, [], [])

    version, _ = ProgrammeDefinitionVersion.objects.get_or_create(
        programme=programme,
        sha256=sha,
        defaults={"source_name": source_name, "document": definition.model_dump(mode="json")},
    )
    programme.name_ja = facts.name_ja
    programme.name_en = facts.name_en
    programme.max_award_yen = facts.max_award_yen
    programme.content = definition.content()
    programme.advisor_certification = definition.advisor_certification.model_dump(mode="json")
    programme.advisor_course = definition.advisor_course.model_dump(mode="json")
    programme.current_version = version
    programme.full_clean()
    programme.save()

    created_codes: list[str] = []
    updated_codes: list[str] = []
    for round_facts in definition.rounds:
        existing = Round.objects.filter(code=round_facts.code).first()
        if existing is not None and existing.programme_id != programme.pk:
            raise DefinitionError([f"rounds.{round_facts.code}: 別の制度の公募回と同じコードです"])
        if existing is not None and existing.is_demo:
            raise DefinitionError([f"rounds.{round_facts.code}: デモ用の公募回と同じコードです"])
        values = round_values(round_facts) | {"definition_version": version}
        # The file gives a new round its budget; from then on the secretariat edits it (with an
        # audit entry), so loading the file again leaves the budget as it is.
        round_obj, round_created = Round.objects.update_or_create(
            code=round_facts.code,
            programme=programme,
            defaults={key: value for key, value in values.items() if key != "budget_yen"},
            create_defaults=values,
        )
        (created_codes if round_created else updated_codes).append(round_obj.code)
        for declaration in round_facts.declarations:
            text, text_created = DeclarationText.objects.get_or_create(
                round=round_obj,
                key=declaration.key,
                version=declaration.version,
                defaults={"text_ja": declaration.text_ja, "text_en": declaration.text_en},
            )
            if not text_created and (text.text_ja, text.text_en) != (
                declaration.text_ja,
                declaration.text_en,
            ):
                raise DefinitionError(
                    [
                        f"rounds.{round_facts.code}.declarations.{declaration.key}: "
                        f"版 {declaration.version} の文言は変更できません。版を上げてください"
                    ]
                )

    audit_record(
        actor=actor,
        action="programme.loaded",
        obj=programme,
        changes={
            "sha256": sha,
            "source": source_name,
            "rounds_created": created_codes,
            "rounds_updated": updated_codes,
        },
    )
    return LoadResult(programme, True, created_codes, updated_codes)


def load_programme_file(path: Path, *, actor: User | None) -> LoadResult:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DefinitionError([f"(file): 読み込めません: {exc}"]) from exc
    return load_programme(raw=raw, source_name=path.name, actor=actor)

from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from dxgrant.programs.eligibility import InvalidFacts, evaluate, validate_facts
from dxgrant.programs.schema import ProgrammeDefinition
from dxgrant.programs.services.loading import parse_definition

DEFINITION: ProgrammeDefinition = parse_definition(Path(settings.DXGRANT_PROGRAMME_FILE).read_bytes())
# What code reads (`round.rules.eligibility`), and the same rules as a round stores them.
ELIGIBILITY = DEFINITION.rounds[0].eligibility
STORED = DEFINITION.rounds[0].model_dump(mode="json")["eligibility"]


def oracle(facts):
    """The programme's rules as the brief states them, written independently of the engine."""
    failed = set()
    if facts["entity_type"] not in ("corporation", "sole_proprietor"):
        failed.add("entity_type")
    if facts["employees"] > 100:
        failed.add("employees_max")
    if facts["entity_type"] == "corporation" and not facts["capital_yen"] < 50_000_000:
        failed.add("capital_max")
    if facts["antisocial_ties"]:
        failed.add("no_antisocial_ties")
    if not facts["legal_compliance"]:
        failed.add("legal_compliance")
    return failed


# The machine running the suite is shared: generation counted as "too slow" there says nothing
# about the engine.
relaxed = hypothesis_settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

facts_strategy = st.fixed_dictionaries(
    {
        "entity_type": st.sampled_from(["corporation", "sole_proprietor"]),
        "employees": st.integers(min_value=0, max_value=5000),
        "capital_yen": st.integers(min_value=0, max_value=10**10),
        "antisocial_ties": st.booleans(),
        "legal_compliance": st.booleans(),
    }
)


@relaxed
@given(facts_strategy)
def test_the_engine_agrees_with_the_rules_as_written(facts):
    result = evaluate(ELIGIBILITY, facts, "ja")
    expected = oracle(facts)
    assert {r.code for r in result.reasons} == expected
    assert result.eligible is (not expected)
    assert all(r.message for r in result.reasons)


@pytest.mark.parametrize(
    ("employees", "capital", "eligible"),
    [(100, 49_999_999, True), (101, 0, False), (100, 50_000_000, False), (0, 0, True)],
)
def test_boundaries(employees, capital, eligible):
    facts = {
        "entity_type": "corporation",
        "employees": employees,
        "capital_yen": capital,
        "antisocial_ties": False,
        "legal_compliance": True,
    }
    assert evaluate(ELIGIBILITY, facts, "ja").eligible is eligible


@relaxed
@given(facts_strategy)
def test_the_stored_rules_give_the_same_answers(facts):
    assert evaluate(STORED, facts, "en") == evaluate(ELIGIBILITY, facts, "en")
    assert validate_facts(STORED, facts, "en") == validate_facts(ELIGIBILITY, facts, "en")


def test_capital_does_not_apply_to_sole_proprietors():
    facts = {
        "entity_type": "sole_proprietor",
        "employees": 3,
        "capital_yen": None,
        "antisocial_ties": False,
        "legal_compliance": True,
    }
    assert validate_facts(ELIGIBILITY, facts, "ja")["capital_yen"] is None
    assert evaluate(ELIGIBILITY, facts, "ja").eligible


def test_messages_follow_the_language():
    facts = {
        "entity_type": "corporation",
        "employees": 500,
        "capital_yen": 0,
        "antisocial_ties": False,
        "legal_compliance": True,
    }
    assert "100人以下" in evaluate(ELIGIBILITY, facts, "ja").reasons[0].message
    assert "100 or fewer" in evaluate(ELIGIBILITY, facts, "en").reasons[0].message


@pytest.mark.parametrize(
    ("data", "bad_fields"),
    [
        (
            {
                "entity_type": "corporation",
                "employees": 3,
                "antisocial_ties": False,
                "legal_compliance": True,
            },
            {"capital_yen"},
        ),
        (
            {
                "entity_type": "corporation",
                "employees": -1,
                "capital_yen": 1,
                "antisocial_ties": False,
                "legal_compliance": True,
            },
            {"employees"},
        ),
        (
            {
                "entity_type": "company",
                "employees": 1,
                "capital_yen": 1,
                "antisocial_ties": False,
                "legal_compliance": True,
            },
            {"entity_type"},
        ),
        (
            {
                "entity_type": "corporation",
                "employees": True,
                "capital_yen": 1,
                "antisocial_ties": "no",
                "legal_compliance": True,
            },
            {"employees", "antisocial_ties"},
        ),
        (
            {
                "entity_type": "corporation",
                "employees": 1,
                "capital_yen": 1,
                "antisocial_ties": False,
                "legal_compliance": True,
                "extra": 1,
            },
            {"extra"},
        ),
        ({}, {"entity_type", "employees", "antisocial_ties", "legal_compliance"}),
    ],
)
def test_validation_names_every_bad_field(data, bad_fields):
    with pytest.raises(InvalidFacts) as excinfo:
        validate_facts(ELIGIBILITY, data, "ja")
    assert {e.field for e in excinfo.value.errors} == bad_fields

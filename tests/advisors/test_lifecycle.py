"""The firm's lifecycles as tables: the states are the stored choices, the review page offers
what the table allows, and the database refuses a state the table does not know."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from dxgrant.advisors import lifecycle
from dxgrant.advisors.models import AdvisorFirm, CertificationState, FirmMembership, RegistrationStatus
from tests.factories.advisors import certified_firm, draft_firm, submitted_firm


def test_the_tables_states_are_the_stored_choices():
    assert set(lifecycle.REGISTRATION.states) == set(RegistrationStatus.values)
    assert set(lifecycle.CERTIFICATION.states) == set(CertificationState.values)
    assert [t.name for t in lifecycle.DECISIONS] == [
        "certify",
        "request_changes",
        "reject",
        "renew",
        "suspend",
        "reinstate",
        "revoke",
    ]


def offered(firm: AdvisorFirm, kinds=(lifecycle.SECRETARIAT,)) -> list[str]:
    return [t.name for t in lifecycle.decisions_offered(firm, kinds)]


@pytest.mark.django_db
def test_the_review_page_offers_what_the_table_allows(programme):
    assert offered(draft_firm(programme)) == []
    assert offered(submitted_firm(programme)) == ["certify", "request_changes", "reject"]
    assert offered(submitted_firm(programme, status=RegistrationStatus.CHANGES_REQUESTED)) == []
    assert offered(submitted_firm(programme, status=RegistrationStatus.REJECTED)) == []
    assert offered(certified_firm(programme, state="active")) == ["renew", "suspend", "revoke"]
    assert offered(certified_firm(programme, state="expired")) == ["renew", "suspend", "revoke"]
    assert offered(certified_firm(programme, state="suspended")) == ["renew", "reinstate", "revoke"]
    # A revocation is final: nothing more is offered, not even a renewal.
    assert offered(certified_firm(programme, state="revoked")) == []
    # Nobody but the secretariat is offered a decision.
    assert offered(submitted_firm(programme), kinds=()) == []
    assert offered(certified_firm(programme, state="active"), kinds=(lifecycle.REGISTRANT,)) == []


def test_the_registrant_submits_from_the_editable_states_only():
    submit = lifecycle.REGISTRATION["submit"]
    assert submit.sources == lifecycle.EDITABLE
    assert lifecycle.REGISTRATION.allows("submit", RegistrationStatus.CHANGES_REQUESTED, lifecycle.REGISTRANT)
    assert not lifecycle.REGISTRATION.allows("submit", RegistrationStatus.SUBMITTED, lifecycle.REGISTRANT)
    assert not lifecycle.REGISTRATION.allows("submit", RegistrationStatus.DRAFT, lifecycle.SECRETARIAT)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("registration_status", "approved"),
        ("certification_state", "expired"),  # computed from the validity, never stored
        ("legal_form", "kaisha"),
        ("fee_fixed_timing", "someday"),
    ],
)
def test_the_database_refuses_a_state_the_table_does_not_know(programme, column, value):
    firm = certified_firm(programme, state="active")
    with pytest.raises(IntegrityError), transaction.atomic():
        AdvisorFirm.objects.filter(pk=firm.pk).update(**{column: value})


@pytest.mark.django_db
def test_the_database_refuses_an_unknown_membership_role(programme):
    firm = draft_firm(programme)
    with pytest.raises(IntegrityError), transaction.atomic():
        FirmMembership.objects.filter(firm=firm).update(role="owner")

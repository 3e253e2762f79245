from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from dxgrant.accounts.models import Role, User
from dxgrant.awards import signing
from dxgrant.programs.models import Programme
from dxgrant.programs.services.loading import load_programme_file
from tests.factories import UserFactory
from tests.factories.accounts import force_login_as_the_sign_in_does, signed_in
from tests.pages import make_objects

# Property tests check results, never speed: on a shared 2-core machine a first example can take
# longer than hypothesis's 200 ms deadline for reasons that say nothing about the code (speed is
# measured by the benchmarks in bench/, not by assertions in tests).
hypothesis_settings.register_profile(
    "dxgrant", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
hypothesis_settings.load_profile("dxgrant")

# Fixtures shared by the transactional tests (browser, threads).
pytest_plugins = ["tests.audit_triggers", "tests.awards.notice_builders"]

# Playwright's sync API runs an event loop in the test thread; the live server's ORM calls
# happen in another thread, and Django's async-safety check would refuse the test's own.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def signing_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway operator certificate for signing notices (awards/signing.py), issued by a
    throwaway root; the root's PEM path, for tests that validate signatures."""
    folder = tmp_path_factory.mktemp("signing")
    root = signing.make_certificate("dxgrant test root", ca=True)
    leaf = signing.make_certificate("dxgrant test operator", issuer=root)
    signing.write_pem(*root, folder / "root.pem", folder / "root-key.pem")
    signing.write_pem(*leaf, folder / "cert.pem", folder / "key.pem")
    settings.DXGRANT_SIGNING_CERT = str(folder / "cert.pem")
    settings.DXGRANT_SIGNING_KEY = str(folder / "key.pem")
    settings.DXGRANT_SIGNING_CHAIN = str(folder / "root.pem")
    return folder / "root.pem"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """One-time codes are remembered as used in the cache; ids repeat after a rollback."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _sign_ins_pass_the_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages of roles that need a second factor ask for a session that passed it: a test that
    signs someone in with `force_login` gets the session the sign-in page would give them
    (password, then the code where they have an authenticator)."""
    monkeypatch.setattr(Client, "force_login", force_login_as_the_sign_in_does)


@pytest.fixture
def programme(db: None) -> Programme:
    return load_programme_file(settings.DXGRANT_PROGRAMME_FILE, actor=None).programme


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(role: str = Role.APPLICANT, **kwargs: object) -> User:
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def client_for(make_user: Callable[..., User]) -> Callable[[str], Client]:
    """A client signed in as a new user of the given role (with MFA enrolled where required)."""

    def make(role: str) -> Client:
        return signed_in(make_user(role))

    return make


@pytest.fixture(scope="module")
def page_objects(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[dict[str, object]]:
    """The programme and every registered page's objects, made once per test module
    that asks for it (the authorisation matrix's ~900 cases, the query counts).

    Made inside an outer transaction that is rolled back when the module ends, as Django's
    `TestCase.setUpTestData` does: each case runs in a savepoint of it (the `db` fixture), so what a
    case writes is undone, and the next case finds the objects as they were made.
    """
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_programme_file(settings.DXGRANT_PROGRAMME_FILE, actor=None)
            yield make_objects()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)

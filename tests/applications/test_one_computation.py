"""One request, one computation: the task list, check and confirm pages, and the submission
behind the confirm page, build the application's snapshot, its task list and the person's side
once per request (selectors.application_page is handed down to the template and the service).

Counted by watching the calls of the functions themselves, wherever they are imported."""

from __future__ import annotations

import collections
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import pytest

from dxgrant.applications import completeness, policies, snapshot
from dxgrant.applications.models import Application
from dxgrant.applications.services.submission import mark_ready
from tests.factories.accounts import enrol_totp, signed_in, totp_now
from tests.factories.applications import complete, drafting

pytestmark = pytest.mark.django_db

WATCHED: dict[str, Callable[..., Any]] = {
    "snapshot": snapshot.build_snapshot,
    "task list": completeness.sections,
    "readiness": completeness.readiness_problems,
    "side": policies.side_of,
}


@contextmanager
def calls() -> Iterator[collections.Counter[str]]:
    names = {fn.__code__: name for name, fn in WATCHED.items()}
    counted: collections.Counter[str] = collections.Counter()

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event == "call" and frame.f_code in names:
            counted[names[frame.f_code]] += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield counted
    finally:
        sys.setprofile(previous)


@pytest.fixture
def ready(programme):  # type: ignore[no-untyped-def]
    s = drafting(programme)
    complete(s.application)
    mark_ready(application=s.application, actor=s.advisor)
    enrol_totp(s.applicant)
    return s


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', page)
    assert match is not None, name
    return match.group(1)


def test_task_list_and_check_pages_compute_once(ready):  # type: ignore[no-untyped-def]
    url = f"/applications/{ready.application.pk}/"
    for user in (ready.applicant, ready.advisor):
        client = signed_in(user)
        with calls() as counted:
            assert client.get(url).status_code == 200
        assert counted == {"task list": 1, "readiness": 1, "side": 1}
        with calls() as counted:
            assert client.get(url + "check/").status_code == 200
        assert counted == {"snapshot": 1, "task list": 1, "readiness": 1, "side": 1}


def test_the_confirm_page_and_the_submission_compute_once(ready):  # type: ignore[no-untyped-def]
    client = signed_in(ready.applicant)
    url = f"/applications/{ready.application.pk}/confirm/"
    with calls() as counted:
        page = client.get(url).content.decode()
    assert counted == {"snapshot": 1, "task list": 1, "readiness": 1, "side": 1}

    data = {
        "code": totp_now(ready.applicant),
        "confirm": "on",
        "submission_token": hidden(page, "submission_token"),
        "content_digest": hidden(page, "content_digest"),
    }
    with calls() as counted:
        response = client.post(url, data)
    assert response.status_code == 302
    assert Application.objects.get(pk=ready.application.pk).receipt_number
    # The page's snapshot and task list are the submission's; the side is asked by the page and
    # checked again on the locked row by the service and by the transition.
    assert counted == {"snapshot": 1, "task list": 1, "readiness": 1, "side": 3}


def test_a_refused_submission_shows_what_the_service_computed(ready):  # type: ignore[no-untyped-def]
    client = signed_in(ready.applicant)
    url = f"/applications/{ready.application.pk}/confirm/"
    page = client.get(url).content.decode()
    data = {
        "code": totp_now(ready.applicant),
        "confirm": "on",
        "submission_token": hidden(page, "submission_token"),
        "content_digest": "0" * 64,  # the applicant saw other content
    }
    with calls() as counted:
        response = client.post(url, data)
    assert response.status_code == 400
    assert "確認画面を開いた後に申請の内容が変わりました" in response.content.decode()
    assert counted == {"snapshot": 1, "task list": 1, "readiness": 1, "side": 2}

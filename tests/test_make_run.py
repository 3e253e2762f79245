"""`make run` serves the way production does: scripts/run.sh is started as a newcomer starts it
(a fresh var/ folder, nothing set but the port), and the site it serves is asked over HTTP.

It must answer through a production WSGI server (gunicorn), with DEBUG off: a missing page, an
unknown certification number and another company's application are the site's own 404 page,
never Django's debug page listing the URL patterns; static files come from WhiteNoise.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from dxgrant.demo.accounts import DEMO_TOTP_SECRET

# `make run` serves its own SQLite database in a fresh var/, whatever database the suite uses:
# it runs in the SQLite pass of `make test` and would only repeat itself in the PostgreSQL one.
# One worker serves it for every test here (`--dist loadgroup`): each worker would start its own.
pytestmark = [
    pytest.mark.skipif(
        os.environ.get("DXGRANT_DATABASE_URL", "").startswith("postgres"),
        reason="make run serves SQLite; checked once, in the SQLite pass",
    ),
    pytest.mark.xdist_group("make-run"),
]

ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 420  # migrations, collectstatic and the demo data (PDFs rendered) on a busy machine
DEBUG_PAGE_MARKERS = ("URLconf", "Django tried these URL patterns", "DEBUG = True", "Traceback")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class Served:
    url: str
    var: Path
    opener: urllib.request.OpenerDirector

    def get(self, path: str, data: dict[str, str] | None = None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.url + path, data=body)  # noqa: S310  (http on 127.0.0.1)
        if data is not None:
            request.add_header("Referer", self.url + path)
        try:
            with self.opener.open(request, timeout=30) as response:
                return Answer(
                    response.status, dict(response.headers), response.read().decode("utf-8", "replace")
                )
        except urllib.error.HTTPError as exc:
            return Answer(exc.code, dict(exc.headers), exc.read().decode("utf-8", "replace"))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    var = tmp_path_factory.mktemp("make-run-var")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DXGRANT_"))}
    env["DXGRANT_VAR_DIR"] = str(var)
    log = (var / "run.log").open("w")
    process = subprocess.Popen(
        ["bash", "scripts/run.sh", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"scripts/run.sh stopped ({process.returncode}):\n{(var / 'run.log').read_text()}"
                )
            try:
                urllib.request.urlopen(url + "/", timeout=5).close()  # noqa: S310
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"nothing served after {STARTUP_SECONDS}s:\n{(var / 'run.log').read_text()}")
                time.sleep(1)
        yield Served(url=url, var=var, opener=opener)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def assert_our_404(answer: Answer) -> None:
    assert answer.status == 404
    assert "ページが見つかりません" in answer.body
    assert 'class="site-header"' in answer.body  # the site's own page, with its header and footer
    for marker in DEBUG_PAGE_MARKERS:
        assert marker not in answer.body, marker


def test_served_by_gunicorn_with_debug_off(served: Served):
    home = served.get("/")
    assert home.status == 200
    assert home.headers.get("Server", "").startswith("gunicorn")
    assert "デモ公募回" in home.body  # the demo data is there
    # with the past round reviewed, decided and published
    results = served.get("/rounds/dx-demo-decided/results/")
    assert results.status == 200 and "株式会社やまだ製作所" in results.body
    # and its approved payment batch, printed with the command that exports it
    printed = (served.var / "run.log").read_text()
    assert "export-transfers --batch" in printed and "demo-otp finance2@demo.dxgrant.jp" in printed
    assert_our_404(served.get("/no-such-page/"))


def test_static_files_come_from_whitenoise(served: Served):
    home = served.get("/")
    css = re.search(r'href="(/static/dxgrant/site\.[0-9a-f]{12}\.css)"', home.body)
    assert css, "the stylesheet is not the hashed copy collectstatic makes"
    answer = served.get(css.group(1))
    assert answer.status == 200
    assert "max-age=315360000" in answer.headers.get("Cache-Control", "")  # WhiteNoise's forever cache
    assert served.get("/favicon.ico").status == 200


def test_an_unknown_certification_number_is_our_404(served: Served):
    assert_our_404(served.get("/advisors/XX-0000-00000/"))


def test_another_companys_application_is_our_404(served: Served):
    with sqlite3.connect(served.var / "dxgrant.sqlite3") as db:
        (other,) = db.execute(
            "SELECT id FROM applications_application WHERE company_name LIKE '%さくら食品%'"
        ).fetchone()
    login = served.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.body)
    assert token
    signed_in = served.get(
        "/accounts/login/",
        {
            "csrfmiddlewaretoken": token.group(1),
            "login": "applicant@demo.dxgrant.jp",
            "password": "demo-pass-2026",
        },
    )
    # The demo applicant accepted the past round's award with their authenticator app: the sign-in
    # asks for its code (as `dxgrant demo-otp applicant@demo.dxgrant.jp` prints it). The seeding
    # used this person's code moments ago, and a code is accepted once: take the next period's.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', signed_in.body)
    assert signed_in.status == 200 and token
    time.sleep(30 - time.time() % 30 + 0.2)
    code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))
    signed_in = served.get(
        "/accounts/2fa/authenticate/", {"csrfmiddlewaretoken": token.group(1), "code": code}
    )
    assert signed_in.status == 200 and "ログアウト" in signed_in.body
    assert_our_404(served.get(f"/applications/{other}/"))

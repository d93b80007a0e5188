"""End-to-end harness: a real uvicorn server and a procrastinate worker over a database of their own, and
Debian's Chromium driven by Playwright.

The server and the worker are separate processes, as in production, so nothing here runs inside the
test's transaction: the database is created afresh for the module (on the server the test session
uses), migrated, and given the taxonomy, the stored policies and the story's three people.
Screenshots and the processes' logs go to test-artifacts/browser/ (git-ignored).

Without /usr/bin/chromium or the playwright package these tests skip, saying which is missing;
.ci/run installs both.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import date, timedelta
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from capmatch.config import REPO_ROOT
from tests.conftest import reference_database

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install -y chromium; .ci/run does it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing (pip install -e '.[dev]')"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if reason is None:
        return
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=f"browser test: {reason}"))


@dataclass(frozen=True)
class People:
    requester: str
    provider: str
    officer: str
    password: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def story_database(database_url) -> Iterator[tuple[sa.engine.URL, People]]:
    """A fresh database for the story, with reference data and one requester, provider and officer."""
    from tests.factories import TEST_PASSWORD, make_organization, make_user

    engine = reference_database(database_url, "capmatch_test_browser", pool_size=2)
    url = engine.url
    with Session(engine) as session:
        mission = make_organization(session, name="UN Mission in South Sudan (story)", acronym="UNMISS-S",
                                    kind="un_entity", country_iso3="SSD", may_request=True, may_provide=False)
        agency = make_organization(session, name="Kenya Prisons Service (story)", acronym="KPS-S",
                                   kind="member_state_agency", country_iso3="KEN", may_provide=True)
        people = People(
            requester=make_user(session, role="requester", organization_id=mission.id, full_name="Rita Requester",
                                email="rita@story.example").email,
            provider=make_user(session, role="provider", organization_id=agency.id, full_name="Paul Provider",
                               email="paul@story.example").email,
            officer=make_user(session, role="officer", full_name="Olga Officer", email="olga@story.example").email,
            password=TEST_PASSWORD,
        )
        session.commit()
    engine.dispose()
    yield url, people


def _environment(url: sa.engine.URL) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url.render_as_string(hide_password=False),
        "CAPMATCH_ENV": "test",
        "PYTHONUNBUFFERED": "1",
    }


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def server_environment() -> dict[str, str]:
    """More environment for the server and the worker; a module overrides it (an SMTP server, say)."""
    return {}


@pytest.fixture(scope="module")
def live_server(story_database, server_environment) -> Iterator[str]:
    """The base URL of a real uvicorn serving the app over the story's database, with a worker beside it."""
    url, _ = story_database
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    env = {**_environment(url), **server_environment}
    with open(ARTIFACTS / "server.log", "w") as server_log, open(ARTIFACTS / "worker.log", "w") as worker_log:
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "capmatch.app:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(port)], cwd=REPO_ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT)
        worker = subprocess.Popen([sys.executable, "-m", "capmatch.cli", "worker"], cwd=REPO_ROOT, env=env,
                                  stdout=worker_log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                if server.poll() is not None:
                    pytest.fail(f"the server exited ({server.returncode}); see {ARTIFACTS / 'server.log'}")
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"the server did not answer within 30 s; see {ARTIFACTS / 'server.log'}")
                time.sleep(0.2)
            yield base
        finally:
            _stop(worker)
            _stop(server)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def sign_in(page, email: str, password: str) -> None:
    """Sign in through the login form, as a person would."""
    page.goto("/login")
    page.fill("#f-email", email)
    page.fill("#f-password", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.inner_text("main")


def fill_need_form(page, *, terms: str, language: str, title: str | None = None) -> None:
    """The need form filled as the stories' requester fills it: a corrections adviser for South Sudan."""
    if title is not None:
        page.fill("#f-title", title)
    page.select_option("#f-duty_country", "SSD")
    page.select_option("#f-area", "corrections")
    page.fill("#f-terms_of_reference", terms)
    page.select_option("#f-skills", ["prison_management"])
    page.select_option("#f-languages-0-code", language)
    page.select_option("#f-languages-0-min_level", "B2")
    page.fill("#f-positions", "1")
    page.fill("#f-start_by", (date.today() + timedelta(days=75)).isoformat())
    page.fill("#f-duration_months", "6")
    page.fill("#f-min_years_experience", "5")
    page.select_option("#f-modality", "deployed_expert")
    page.select_option("#f-funding", "requester_paid")


def fill_expert_form(page, *, title: str, summary: str, name: str, email: str, nationality: str, language: str,
                     skills: list[str]) -> None:
    """The roster form filled as the stories' provider fills it: a senior corrections officer."""
    page.select_option("#f-kind", "individual_expert")
    page.fill("#f-title", title)
    page.fill("#f-summary", summary)
    page.fill("#f-expert_name", name)
    page.fill("#f-expert_email", email)
    page.select_option("#f-nationality", nationality)
    page.select_option("#f-gender", "female")
    page.fill("#f-years_experience", "12")
    page.check("#f-areas-corrections")
    page.select_option("#f-skills", skills)
    page.select_option("#f-languages-0-code", language)
    page.select_option("#f-languages-0-level", "C2")
    page.fill("#f-capacity", "1")
    page.fill("#f-available_from", date.today().isoformat())
    page.fill("#f-lead_time_days", "14")
    page.fill("#f-max_duration_months", "12")
    page.select_option("#f-cost_bearer", "provider")


class Shots:
    """Numbered full-page screenshots, so the artifacts read in the story's order."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()

    def __call__(self, page, name: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture(scope="module")
def shots() -> Shots:
    return Shots(ARTIFACTS)

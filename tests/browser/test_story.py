"""The whole marketplace in one story, through a real browser against a real server and worker.

A requester posts a need through the form; a provider lists an expert through the roster form; the
officer starts a match run from the policy form, watches it until it is done and approves the
proposal; the requester accepts, the provider confirms; the need shows as filled on its public page
and in the requester's list. The story runs at a desktop's width and a phone's, and each step leaves a
screenshot in test-artifacts/browser/story/desktop/ or .../phone/.
"""

from __future__ import annotations

import re
import time

import pytest

from tests.browser.conftest import ARTIFACTS, Shots, fill_expert_form, fill_need_form

pytestmark = pytest.mark.browser

NEED_TITLE = "Prison management adviser (browser story)"
OFFER_TITLE = "Senior corrections officer (browser story)"
EXPERT = "Achieng Otieno"
RUN_TIMEOUT_SECONDS = 60
SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def screen() -> str:
    """The screen the story's people use; the story itself runs on each of SCREENS."""
    return "desktop"


@pytest.fixture
def refused():
    """What the Content-Security-Policy refused on the test's pages; the test fails if anything was."""
    messages: list[str] = []
    yield messages
    assert messages == [], "the Content-Security-Policy refused something: " + "; ".join(messages)


def watch_policy(page, refused: list[str]) -> None:
    page.on("console", lambda message: refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text else None)


@pytest.fixture
def person(browser, live_server, story_database, refused, screen):
    """person(role) -> a page signed in as that role, in a browser context of its own."""
    _, people = story_database
    contexts = []

    def sign_in(role: str):
        context = browser.new_context(base_url=live_server, viewport=SCREENS[screen])
        contexts.append(context)
        page = context.new_page()
        watch_policy(page, refused)
        page.set_default_timeout(15_000)
        page.goto("/login")
        page.fill("#f-email", getattr(people, role))
        page.fill("#f-password", people.password)
        page.click("form[action='/login'] button[type=submit]")
        page.wait_for_load_state()
        assert "/login" not in page.url, page.inner_text("main")
        return page

    yield sign_in
    for context in contexts:
        context.close()


@pytest.fixture
def anonymous(browser, live_server, refused, screen):
    """anonymous() -> a page signed in as nobody, in a browser context of its own."""
    contexts = []

    def visit():
        context = browser.new_context(base_url=live_server, viewport=SCREENS[screen])
        contexts.append(context)
        page = context.new_page()
        watch_policy(page, refused)
        page.set_default_timeout(15_000)
        return page

    yield visit
    for context in contexts:
        context.close()


def submit(page, button: str, lands_on: str) -> None:
    """Press a form's button and check where the browser lands; a re-rendered form fails with its errors."""
    # Leave the last field first: after a full-page screenshot, Chromium scrolls a still-focused input
    # back into view on the next mouse-down, so the mouse-up lands elsewhere and the click is lost.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    if not re.search(lands_on, page.url):
        errors = page.locator(".error-summary, .error")
        detail = errors.all_inner_texts() if errors.count() else page.inner_text("main")
        pytest.fail(f"{button!r} landed on {page.url}, not {lands_on}: {detail}")


def badge_text(page, scope: str) -> str:
    return page.locator(f"{scope} .badge").first.inner_text().strip()


@pytest.fixture
def story_shots(screen) -> Shots:
    return Shots(ARTIFACTS / "story" / screen)


@pytest.mark.parametrize("screen", list(SCREENS))
def test_a_need_goes_from_the_form_to_filled(person, anonymous, live_server, story_shots, screen):
    # Both screens' stories share the module's database: each posts a need and an expert of its own.
    need_title, offer_title = f"{NEED_TITLE}, {screen}", f"{OFFER_TITLE}, {screen}"
    shots = story_shots
    # 1. The requester posts a need through the form.
    requester = person("requester")
    requester.goto("/my/needs/new")
    fill_need_form(requester, title=need_title, language="eng",
                   terms="Advise the national prison service on classification and safety.")
    shots(requester, "requester-need-form")
    submit(requester, "Publish", r"/my/needs(\?.*)?$")
    link = requester.get_by_role("link", name=need_title, exact=True)
    need_id = int(re.search(r"/(\d+)", link.get_attribute("href")).group(1))
    row = requester.locator("tr", has=link)
    assert row.locator(".badge").first.inner_text().strip() == "open"
    shots(requester, "requester-need-posted")

    # 2. The provider lists an expert through the roster form.
    provider = person("provider")
    provider.goto("/roster/new")
    fill_expert_form(provider, title=offer_title, name=EXPERT, email="achieng.otieno@story.example",
                     summary="Twelve years running high-security prisons; trains prison officers.",
                     nationality="KEN", language="eng", skills=["prison_management", "corrections_training"])
    shots(provider, "provider-roster-form")
    submit(provider, "Add to the roster", r"/roster(\?.*)?$")
    assert provider.get_by_text(offer_title).count() >= 1
    shots(provider, "provider-expert-listed")

    # 3. The officer starts a match run from the policy form and watches it until it is done.
    officer = person("officer")
    officer.goto("/officer/runs/new")
    assert officer.locator("#f-policy option:checked").count() == 1  # the default policy is chosen
    shots(officer, "officer-run-form")
    submit(officer, "Start the run", r"/officer/runs/\d+$")
    run_id = int(officer.url.rstrip("/").rsplit("/", 1)[1])
    shots(officer, "officer-run-queued")
    deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
    seen = []
    while True:
        status = badge_text(officer, "#run-status")
        if not seen or seen[-1] != status:
            seen.append(status)
            shots(officer, f"officer-run-{status}")
        if status not in ("queued", "running"):
            break
        assert time.monotonic() < deadline, f"run {run_id} still {status} after {RUN_TIMEOUT_SECONDS} s"
        # htmx polls the status block and reloads the page when the run ends; wait for either.
        officer.wait_for_timeout(500)
    assert status == "succeeded", officer.inner_text("#run-status")
    officer.wait_for_selector("table.proposals")  # the finished page, with its proposals
    row = officer.locator("table.proposals tbody tr", has_text=need_title)
    assert row.count() == 1, officer.inner_text("main")
    assert offer_title in row.inner_text()
    shots(officer, "officer-run-done")
    row.locator("button[name=approve_one]").click()
    officer.wait_for_load_state()
    row = officer.locator("table.proposals tbody tr", has_text=need_title)
    assert row.locator(".badge").first.inner_text().strip() == "approved"
    shots(officer, "officer-proposal-approved")

    # 4. The requester accepts.
    requester.goto("/my/proposals")
    card = requester.locator("form[action$='/accept']").first
    shots(requester, "requester-proposal")
    card.locator("button[type=submit]").click()
    requester.wait_for_load_state()
    assert requester.get_by_text("accepted").count() >= 1, requester.inner_text("main")
    shots(requester, "requester-accepted")

    # 5. The provider confirms the expert's release.
    provider.goto("/provider/proposals")
    shots(provider, "provider-proposal")
    provider.click("button:has-text('Confirm release')")
    provider.wait_for_load_state()
    assert provider.get_by_text("confirmed").count() >= 1, provider.inner_text("main")
    shots(provider, "provider-confirmed")

    # 6. The need is filled, for everyone to see and in the requester's own list.
    # The marketplace lists open needs only, but a filled need's own page stays public.
    visitor = anonymous()
    visitor.goto(f"/needs/{need_id}")
    assert badge_text(visitor, ".lede") == "filled", visitor.inner_text("main")
    shots(visitor, "public-need-filled")
    requester.goto("/my/needs")
    row = requester.locator("tr", has=requester.get_by_role("link", name=need_title, exact=True))
    assert row.locator(".badge").first.inner_text().strip() == "filled"
    shots(requester, "requester-need-filled")


def test_the_api_documentation_draws_from_the_apps_own_files_under_its_policy(anonymous, live_server, shots):
    page = anonymous()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/docs")
    page.locator(".opblock-tag", has_text="needs").first.wait_for()
    assert page.locator(".opblock").count() > 10
    shots(page, "api-docs")
    assert requested and all(url.startswith(live_server) for url in requested), requested

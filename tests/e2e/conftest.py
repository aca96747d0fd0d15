"""Real-browser tests: Playwright for Python driving the Debian `chromium` package.

They run inside `make test`. Where no Chromium is installed they are skipped with a message,
unless LBS_REQUIRE_BROWSER=1 (as `.ci/run` sets), which makes a missing browser a failure.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from lbs.extensions import db
from tests.conftest import PASSWORD, make_test_app

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"


def _browser_missing():
    if Path(CHROMIUM).exists() and shutil.which(CHROMIUM):
        try:
            import playwright  # noqa: F401
        except ImportError:
            return "Playwright for Python is not installed"
        return None
    return f"no Chromium at {CHROMIUM} (apt-get install chromium)"


@pytest.fixture(scope="session")
def browser(database_url):
    if os.environ.get("TEST_DATABASE_URL") and not os.environ.get("LBS_BROWSER_ON_POSTGRES"):
        pytest.skip("browser journeys run once, in the SQLite pass of the suite")
    missing = _browser_missing()
    if missing:
        if os.environ.get("LBS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests are required here, but {missing}")
        pytest.skip(f"browser tests skipped: {missing}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


class LiveServer:
    def __init__(self, app):
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._thread.join(timeout=10)


@pytest.fixture
def live_app(app, database_url):
    """The app as a browser meets it: CSRF on, rate limits off (one address plays everyone)."""
    live = make_test_app(database_url, WTF_CSRF_ENABLED=True)
    with live.app_context():
        yield live
        db.session.remove()


@pytest.fixture
def server(live_app):
    live = LiveServer(live_app).start()
    yield live
    live.stop()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def no_js_context(browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def log_in(page, server, username, password=PASSWORD):
    page.goto(f"{server.url}/login")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


class SampleSite:
    """A running server over the sample commons, with a saved log-in for each role."""

    def __init__(self, url, commons, states):
        self.url = url
        self.commons = commons
        self.states = states

    def who(self, role):
        return {"moderator": self.commons.moderator, "peer": self.commons.peer}.get(role)


@pytest.fixture(scope="module")
def sample_site(browser, database_url):
    """One commons shared by a module's read-only page checks: building it per test would
    cost more than the checks themselves. Tables are emptied before and after."""
    from tests.conftest import _empty_tables
    from tests.e2e import sample_commons

    app = make_test_app(database_url, WTF_CSRF_ENABLED=True)
    _empty_tables(app)
    commons = sample_commons.build(app)
    live = LiveServer(app).start()
    states = {}
    for username in {commons.moderator, commons.peer}:
        context = browser.new_context()
        log_in(context.new_page(), live, username)
        states[username] = context.storage_state()
        context.close()
    yield SampleSite(live.url, commons, states)
    live.stop()
    _empty_tables(app)


@pytest.fixture
def open_page(browser, sample_site):
    """open_page(role, language, width) -> a fresh page in its own browser context."""
    contexts = []

    def open_(role=None, language="en", width=1280, height=900):
        username = sample_site.who(role)
        context = browser.new_context(
            viewport={"width": width, "height": height},
            storage_state=sample_site.states[username] if username else None,
        )
        context.add_cookies([{"name": "lbs_lang", "value": language, "url": sample_site.url}])
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()

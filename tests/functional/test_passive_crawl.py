"""A passive baseline scan, standing in for ZAP (check 25): a production-configured app over
HTTPS, the starter commons and a scene of people and proposals, crawled from every GET route
along the links the pages show, as a visitor, a peer and an admin. Nothing answers with a
server error or shows a trace; no link or redirect carries a secret; every response keeps the
header rules and every cookie the cookie rules (checks 10 and 11)."""

import re
from collections import deque
from urllib.parse import parse_qsl, quote, quote_plus, urljoin, urlsplit

import pytest

from tests.conftest import PASSWORD, csrf_token_from
from tests.functional.access_scene import Scene, done
from tests.functional.helpers import tags
from tests.functional.security_rules import (
    HTTPS,
    cookie_problems,
    header_problems,
    production_app,
    set_cookies,
)

MAX_URLS = 300
# What a crash page, a debugger or a leaked exception would put in a body.
LEAKS = ("Traceback (most recent call last)", "Werkzeug Debugger", "__debugger__",
         "werkzeug.exceptions", "sqlalchemy.exc", "psycopg.errors", "jinja2.exceptions")
# Query parameters that would put a secret in a URL, whatever its value.
SECRET_PARAMETERS = re.compile(r"csrf|passw|token|secret|session|api[_-]?key", re.I)
LINKING = {"a": "href", "link": "href", "area": "href", "img": "src", "script": "src",
           "iframe": "src", "form": "action"}


@pytest.fixture
def site(app, runner, database_url):
    """The production app over the starter commons and a scene (one of every account)."""
    result = runner.invoke(args=["lbs", "load-starter"])
    assert result.exit_code == 0, result.output
    with production_app(database_url) as production:
        yield production, Scene(production)


def log_in(client, username, remember):
    page = done(client.get("/login", base_url=HTTPS)).get_data(as_text=True)
    data = {"login": username, "password": PASSWORD, "csrf_token": csrf_token_from(page)}
    if remember:
        data["remember"] = "y"
    return done(client.post("/login", data=data, base_url=HTTPS,
                            headers={"Referer": f"{HTTPS}/login"}))


def on_this_site(link, base):
    """The path and query `link` leads to on this site, or None for other sites."""
    parts = urlsplit(urljoin(HTTPS + base, link.strip()))
    if parts.scheme != "https" or parts.netloc != "localhost":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def shape(url):
    """What an address looks like regardless of which entry or page: /entries/*?sort&page."""
    parts = urlsplit(url)
    segments = parts.path.split("/")
    keys = sorted(key for key, _ in parse_qsl(parts.query, keep_blank_values=True))
    return (segments[1] if len(segments) > 1 else "", len(segments), "&".join(keys))


class Crawl:
    def __init__(self, app, client, signed_in):
        self.app, self.client, self.signed_in = app, client, signed_in
        self.visited = []
        self.links = []  # (page, link) for every URL a page or a redirect pointed at
        self.secrets = set()
        self.problems = {}

    def problem(self, url, message):
        self.problems.setdefault(url, []).append(message)

    def check(self, url, response):
        static = url.startswith("/static/")
        if response.status_code >= 500:
            self.problem(url, f"status {response.status_code}")
        body = response.get_data(as_text=True)
        for leak in LEAKS:
            if leak in body:
                self.problem(url, f"the body shows {leak!r}")
        for message in header_problems(response, signed_in=self.signed_in and not static,
                                       https=True):
            self.problem(url, message)
        for message in cookie_problems(self.app, response):
            self.problem(url, message)
        self.secrets.update(value for value in self._cookie_values(response) if value)

    def _cookie_values(self, response):
        for header in response.headers.getlist("Set-Cookie"):
            yield header.split(";", 1)[0].split("=", 1)[1]

    def run(self, start):
        # Addresses of a shape not met before go first, so the budget reaches every kind of
        # page rather than the hundredth tag.
        fresh, rest = deque(start), deque()
        seen, shapes = set(start), {shape(url) for url in start}
        while (fresh or rest) and len(self.visited) < MAX_URLS:
            url = (fresh or rest).popleft()
            response = done(self.client.get(url, base_url=HTTPS))
            self.visited.append(url)
            self.check(url, response)
            found = []
            if response.location:
                found.append(response.location)
                self.links.append((url, response.location))
            if response.mimetype == "text/html":
                page = response.get_data(as_text=True)
                token = csrf_token_from(page)
                if token:
                    self.secrets.add(token)
                for tag, attributes in tags(page):
                    link = attributes.get(LINKING.get(tag, ""))
                    if link is None:
                        continue
                    # Every address a page shows is checked for secrets; only GETs are followed.
                    self.links.append((url, link))
                    if tag != "form" or (attributes.get("method") or "get").lower() == "get":
                        found.append(link)
            for link in found:
                target = on_this_site(link, url)
                if target and target not in seen:
                    seen.add(target)
                    (rest if shape(target) in shapes else fresh).append(target)
                    shapes.add(shape(target))
        return self

    def secrets_in_links(self, more_secrets):
        secrets = {s for s in self.secrets | set(more_secrets) if len(s) >= 8}
        leaks = []
        for page, link in self.links:
            query = dict(parse_qsl(urlsplit(link).query, keep_blank_values=True))
            named = [name for name in query if SECRET_PARAMETERS.search(name)]
            carried = [s for s in secrets
                       if s in link or quote(s, safe="") in link or quote_plus(s) in link]
            if named or carried:
                leaks.append(f"{page} links to {link}")
        return leaks


@pytest.mark.parametrize("role", ["anonymous", "peer", "admin"])
def test_a_crawl_of_the_site_finds_nothing_to_report(site, role):
    app, scene = site
    client = app.test_client()
    known_secrets = {PASSWORD, *scene.tokens.values(), *scene.sessions.values()}
    crawl = Crawl(app, client, signed_in=role != "anonymous")
    if role != "anonymous":
        # A real log-in, so its cookies (the remember cookie too) are checked like the rest.
        response = log_in(client, scene.names[role], remember=role == "peer")
        assert response.status_code == 302
        crawl.check("POST /login", response)
        crawl.links.append(("POST /login", response.location))
        if role == "peer":
            assert app.config["REMEMBER_COOKIE_NAME"] in set_cookies(response)

    start = scene.every_get()
    crawl.run(start)

    for name in (app.config["SESSION_COOKIE_NAME"], app.config["REMEMBER_COOKIE_NAME"]):
        cookie = client.get_cookie(name)
        if cookie is not None:
            known_secrets.add(cookie.value)
    if role != "anonymous":
        # Signed in to the end, so the signed-in rules held on every page crawled.
        assert done(client.get("/account", base_url=HTTPS)).status_code == 200
    assert crawl.secrets, "the crawl met no cookie or CSRF token to look for"
    assert set(start) <= set(crawl.visited)
    assert len(crawl.visited) > len(start), "the crawl followed no links"
    assert crawl.problems == {}
    assert crawl.secrets_in_links(known_secrets) == []


def test_the_language_cookie_and_logging_out_keep_the_cookie_rules(site):
    app, scene = site
    client = app.test_client()
    log_in(client, scene.names["peer"], remember=True)
    page = done(client.get("/", base_url=HTTPS)).get_data(as_text=True)
    form = {"csrf_token": csrf_token_from(page), "next": "/"}
    headers = {"Referer": f"{HTTPS}/"}

    language = client.post("/language", data={**form, "language": "fr"}, base_url=HTTPS,
                           headers=headers)
    logout = client.post("/logout", data=form, base_url=HTTPS, headers=headers)

    assert language.status_code == 303
    assert "lbs_lang" in set_cookies(language)
    assert logout.status_code == 302
    assert app.config["SESSION_COOKIE_NAME"] in set_cookies(logout)
    assert cookie_problems(app, language) == []
    assert cookie_problems(app, logout) == []



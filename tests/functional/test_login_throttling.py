"""Log-in throttling per address and per account, the same answer whatever the reason, and one
limit shared by every app process through Redis (check 15)."""

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

import pytest

from tests.conftest import PASSWORD, make_test_app

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def limited_app(app, database_url):
    # Built after the plain test app: the limiter is one object, set up by the newest app.
    from lbs.extensions import limiter

    limited = make_test_app(database_url, RATELIMIT_ENABLED=True)
    limiter.reset()
    yield limited
    limiter.reset()


@pytest.fixture
def limited_client(limited_app):
    return limited_app.test_client()


def _attempt(client, login, address="203.0.113.7"):
    return client.post(
        "/login", data={"login": login, "password": "wrong password here"},
        environ_base={"REMOTE_ADDR": address},
    )


def test_the_fifth_attempt_from_one_address_in_a_minute_waits(limited_client):
    statuses = [_attempt(limited_client, f"someone{i}").status_code for i in range(5)]
    assert statuses == [400, 400, 400, 400, 429]


def test_a_throttled_attempt_says_when_to_try_again(limited_client):
    for i in range(4):
        _attempt(limited_client, f"someone{i}")
    response = _attempt(limited_client, "someone")
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert "try again in" in response.get_data(as_text=True)


def test_the_26th_attempt_on_one_account_waits_even_from_new_addresses(limited_client):
    statuses = [
        _attempt(limited_client, "ada", address=f"198.51.100.{i}").status_code for i in range(26)
    ]
    assert statuses[:25] == [400] * 25
    assert statuses[25] == 429


def test_the_answer_is_the_same_for_an_address_and_an_account_limit(limited_client):
    for i in range(4):
        _attempt(limited_client, f"x{i}")
    by_address = _attempt(limited_client, "x-last")
    for i in range(25):
        _attempt(limited_client, "bob", address=f"192.0.2.{i}")
    by_account = _attempt(limited_client, "bob", address="192.0.2.200")
    def strip(response):
        # The wait and the form tokens differ from page to page; the words must not.
        page = re.sub(r"\d+ seconds", "N seconds", response.get_data(as_text=True))
        return re.sub(r'name="csrf_token" value="[^"]+"', "", page)

    assert by_address.status_code == by_account.status_code == 429
    assert strip(by_address) == strip(by_account)


def test_ipv6_addresses_in_one_64_share_a_limit(limited_client):
    statuses = [
        _attempt(limited_client, f"p{i}", address=f"2001:db8:1:2::{i + 1:x}").status_code
        for i in range(5)
    ]
    assert statuses[-1] == 429


def test_a_successful_log_in_from_a_throttled_address_waits_too(limited_app, limited_client):
    from lbs.domain.accounts import sign_up
    from lbs.extensions import db

    with limited_app.app_context():
        sign_up("ada", "ada@example.org", PASSWORD)
        db.session.commit()
    for i in range(4):
        _attempt(limited_client, f"someone{i}")
    response = limited_client.post(
        "/login", data={"login": "ada", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
    )
    assert response.status_code == 429


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port, deadline=20):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the app on port {port} did not start")


def _post_login(port):
    """One log-in attempt as a browser makes it: fetch the form for its CSRF token, then post."""
    opener = build_opener(HTTPCookieProcessor(CookieJar()))
    page = opener.open(f"http://127.0.0.1:{port}/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urlencode({"csrf_token": token, "login": "nobody", "password": "wrong guess"}).encode()
    try:
        return opener.open(f"http://127.0.0.1:{port}/login", data=body, timeout=10).status
    except HTTPError as error:
        return error.code


def test_two_app_processes_share_one_limit_through_redis(tmp_path):
    redis = pytest.importorskip("redis").Redis.from_url(REDIS_URL)
    try:
        redis.ping()
    except Exception:  # noqa: BLE001
        if os.environ.get("CI"):
            raise
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    prefix = f"lbs-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "LBS_CONFIG": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite'}",
        "REDIS_URL": REDIS_URL,
        "LBS_RATELIMIT_PREFIX": prefix,
    }
    env.pop("TEST_DATABASE_URL", None)
    flask = [sys.executable, "-m", "flask", "--app", "lbs"]
    subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(  # noqa: S603 - our own app, on loopback
            [*flask, "run", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port in ports:
            _wait_for(port)
        # Alternate between the two processes: only a shared counter stops the fifth.
        statuses = [_post_login(ports[i % 2]) for i in range(5)]
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
        for key in redis.scan_iter(f"{prefix}*"):
            redis.delete(key)
    assert statuses == [400, 400, 400, 400, 429]

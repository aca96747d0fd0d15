"""The link checker against a local server that answers like real sites: what each answer
means for an entry's link, and how politely the checker asks."""

import socket
from datetime import datetime

import pytest

from lbs.domain import link_health
from lbs.domain.link_health import LinkResult, Summary, check_url, check_urls, describe_error
from tests.link_server import closed_port, serving

# Generous, so a busy machine never turns a working page into a timeout; the server that
# never answers gets the short one, so its test stays fast.
TIMEOUT = 5
SHORT_TIMEOUT = 0.5


@pytest.fixture
def server():
    with serving() as server:
        yield server


def check(server, path, timeout=TIMEOUT):
    return check_url(server.url(path), timeout=timeout, allow_private=True)


def test_a_page_that_answers_is_not_broken(server):
    result = check(server, "/ok")

    assert (result.status, result.error, result.final_url) == (200, None, None)
    assert not result.broken
    assert isinstance(result.checked_at, datetime)


def test_a_redirect_is_followed_and_its_destination_recorded(server):
    result = check(server, "/moved")

    assert result.status == 200
    assert result.final_url == server.url("/ok")
    assert result.redirected
    assert not result.broken


def test_pages_are_asked_for_with_head_so_no_body_is_downloaded(server):
    check(server, "/moved")

    assert [method for method, _, _ in server.requests] == ["HEAD", "HEAD"]


@pytest.mark.parametrize(("path", "status"), [("/missing", 404), ("/failing", 500)])
def test_an_error_answer_makes_the_link_broken(server, path, status):
    result = check(server, path)

    assert result.status == status
    assert result.broken


def test_a_redirect_to_a_missing_page_is_broken_and_says_where_it_ended(server):
    result = check(server, "/moved-away")

    assert result.status == 404
    assert result.final_url == server.url("/missing")
    assert result.broken


def test_a_server_that_refuses_head_is_asked_again_with_get(server):
    result = check(server, "/get-only")

    assert result.status == 200
    assert not result.broken
    assert [(m, p) for m, p, _ in server.requests] == [("HEAD", "/get-only"), ("GET", "/get-only")]


def test_a_server_that_drops_head_without_answering_is_asked_again_with_get(server):
    result = check(server, "/head-dropped")

    assert result.status == 200
    assert not result.broken


def test_a_server_that_never_answers_is_a_timeout(server):
    result = check(server, "/never", SHORT_TIMEOUT)

    assert result.status is None
    assert result.error == "timeout"
    assert result.broken


def test_a_timeout_is_not_retried_with_get(server):
    check(server, "/never", SHORT_TIMEOUT)

    assert [method for method, _, _ in server.requests] == ["HEAD"]


def test_a_closed_port_is_a_refused_connection():
    result = check_url(f"http://127.0.0.1:{closed_port()}/", timeout=TIMEOUT, allow_private=True)

    assert result.error == "connection refused"
    assert result.broken


def test_five_redirects_are_followed(server):
    result = check(server, f"/hops/{link_health.MAX_REDIRECTS}")

    assert result.status == 200
    assert result.final_url == server.url("/hops/0")


def test_a_sixth_redirect_is_one_too_many(server):
    result = check(server, f"/hops/{link_health.MAX_REDIRECTS + 1}")

    assert result.error == "too many redirects"
    assert result.broken
    assert len(server.requests) == link_health.MAX_REDIRECTS + 1


def test_a_redirect_away_from_the_web_is_not_followed(server):
    result = check(server, "/to-ftp")

    assert result.broken
    assert result.error == "redirected to a non-web address"
    assert server.paths() == ["/to-ftp"]


def test_a_redirect_to_an_address_that_cannot_be_is_broken(server):
    result = check(server, "/bad-location")

    assert result.broken
    assert result.error == "invalid address"


def test_only_web_addresses_are_checked():
    result = check_url("ftp://127.0.0.1/file", timeout=TIMEOUT)

    assert result.broken
    assert result.error == "not an http or https address"


def test_every_request_names_the_project_in_its_user_agent(server):
    for path in ("/moved", "/get-only", "/missing"):
        check(server, path)

    agents = {agent for _, _, agent in server.requests}
    assert len(agents) == 1
    assert agents.pop().startswith("lbs-link-check/")


@pytest.mark.parametrize("per_host", [1, 2])
def test_no_more_than_per_host_requests_reach_one_host_at_once(server, per_host):
    targets = [(n, server.url(f"/slow/{n}")) for n in range(6)]

    results = dict(check_urls(targets, timeout=5, concurrency=8, per_host=per_host,
                                  allow_private=True))

    assert server.max_active == per_host
    assert sorted(results) == list(range(6))
    assert all(result.status == 200 for result in results.values())


def test_every_link_gets_exactly_one_result(server):
    paths = ["/ok", "/missing", "/moved", "/failing", "/get-only"]
    targets = [(path, server.url(path)) for path in paths]

    results = list(check_urls(targets, timeout=TIMEOUT, concurrency=3, per_host=2,
                              allow_private=True))

    assert sorted(key for key, _ in results) == sorted(paths)
    assert {key: result.status for key, result in results} == {
        "/ok": 200, "/missing": 404, "/moved": 200, "/failing": 500, "/get-only": 200,
    }


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (TimeoutError("timed out"), "timeout"),
        (socket.gaierror(-2, "Name or service not known"), "DNS failure"),
        (ConnectionRefusedError(111, "Connection refused"), "connection refused"),
        (ConnectionResetError(104, "Connection reset by peer"), "connection closed without an answer"),
        (OSError(101, "Network is unreachable"), "network error: Network is unreachable"),
    ],
)
def test_connection_failures_are_told_in_a_few_words(error, text):
    assert describe_error(error) == text


def test_the_summary_counts_ok_broken_and_redirected_links():
    summary = Summary()
    summary.count([
        LinkResult("https://a.example/", status=200),
        LinkResult("https://b.example/", status=200, final_url="https://b.example/new"),
        LinkResult("https://c.example/", status=404),
        LinkResult("https://d.example/", error="timeout"),
    ])

    assert str(summary) == "Checked 4 links: 2 ok, 2 broken, 1 redirected."


def test_results_are_stored_in_batches_of_the_given_size():
    assert [len(batch) for batch in link_health.batches(range(7), 3)] == [3, 3, 1]


def test_addresses_on_private_or_local_networks_are_not_probed(server):
    # Anyone can propose a link; the checker must not become a way to scan the server's network.
    for url in (server.url("/ok"), "http://10.0.0.1/", "http://169.254.169.254/latest/"):
        result = check_url(url, timeout=TIMEOUT)
        assert result.error == "private or local address, not checked"
        assert result.broken

"""The addresses that list rows build without url_for are exactly url_for's."""

import pytest
from flask import request, url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lbs.templating import entry_path, tag_path, vote_path

ODD = ["openstreetmap", "wiki-loves-monuments", "ça-va", "日本語", "a b", "100%", "a?b#c",
       "semi;colon", "plus+sign", "x'y", "~tilde", "dots.and_under"]


@pytest.mark.parametrize("root", ["", "/lbs"])
@pytest.mark.parametrize("value", ODD)
def test_entry_and_tag_paths_match_url_for(app, root, value):
    with app.test_request_context("/", base_url=f"http://localhost{root}"):
        assert request.script_root == root
        assert entry_path(value) == url_for("commons.entry", slug=value)
        assert tag_path(value) == url_for("commons.tag", tag=value)


@pytest.mark.parametrize("target_type", ["entry", "proposal", "comment"])
def test_vote_paths_match_url_for(app, target_type):
    with app.test_request_context("/", base_url="http://localhost/lbs"):
        assert request.script_root == "/lbs"
        for target_id in (1, 42, 2**31 - 1):
            assert vote_path(target_type, target_id) == url_for(
                "discussion.vote", target_type=target_type, target_id=target_id)


# The app is only read, never changed, so one app for every example is right.
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30)
       .filter(lambda v: "/" not in v))
def test_any_text_makes_the_same_path_as_url_for(app, value):
    with app.test_request_context("/"):
        assert entry_path(value) == url_for("commons.entry", slug=value)
        assert tag_path(value) == url_for("commons.tag", tag=value)


@pytest.mark.parametrize("root", ["", "/lbs"])
def test_header_paths_match_url_for_under_any_mount_point(app, root):
    from lbs.templating import path_to

    for endpoint in ["commons.home", "commons.hubs", "search.search", "auth.login",
                     "users.choose_language", "feeds.hubs"]:
        with app.test_request_context("/", base_url=f"http://localhost{root}"):
            assert path_to(endpoint) == url_for(endpoint)


@pytest.mark.parametrize("root", ["", "/lbs"])
def test_page_links_keep_the_mount_point_the_path_and_the_filters(app, root):
    from urllib.parse import parse_qs, urlsplit

    from lbs.templating import page_url

    with app.test_request_context("/tags/maps?sort=new&year_from=2001&page=3",
                                  base_url=f"http://localhost{root}"):
        link = urlsplit(page_url(4))
        assert link.path == f"{root}/tags/maps"
        assert parse_qs(link.query) == {"sort": ["new"], "year_from": ["2001"], "page": ["4"]}
        assert parse_qs(urlsplit(page_url(1, sort="top")).query)["sort"] == ["top"]

"""Discussing entries and proposals: threaded comments, editing within the hour, deleting."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from lbs.models import Comment
from tests.functional.contributing import (
    add_comment_row,
    add_entry,
    add_user,
    browser,
    comment_row,
    count,
    elements,
    entry_row,
    field_error,
    proposal_id,
    propose,
    shown_value,
    text_of,
)


@pytest.fixture
def scene(app):
    add_user(app, "ada")
    add_user(app, "bob")
    slug = add_entry(app, "ada", "hub")
    return {"slug": slug, "entry_id": entry_row(app, slug)["id"], "ada": browser(app, "ada"),
            "bob": browser(app, "bob")}


def comment(client, entry_id, body, target_type="entry", **extra):
    return client.post(f"/comments/{target_type}/{entry_id}", data={"body": body, **extra})


def comment_id_of(response):
    assert response.status_code == 303, response.status_code
    return int(re.search(r"#comment-(\d+)$", response.location).group(1))


def thread_of(page):
    """The comments in page order as (id, depth class)."""
    return [(int(attrs["id"].removeprefix("comment-")), attrs["class"].split()[1])
            for tag, attrs in elements(page)
            if tag == "article" and attrs.get("id", "").startswith("comment-")]


def article(page, comment_id):
    start = page.index(f'id="comment-{comment_id}"')
    return page[start:page.index("</article>", start)]


def test_a_comment_appears_on_the_entry_page_formatted(app, scene):
    response = comment(scene["bob"], scene["entry_id"], "Worth *reading*, see [the wiki](https://wiki.example.org).")

    cid = comment_id_of(response)
    assert urlsplit(response.location).path == f"/entries/{scene['slug']}"
    page = scene["bob"].get(f"/entries/{scene['slug']}").get_data(as_text=True)
    assert "Discussion (1)" in page
    body = article(page, cid)
    assert "<em>reading</em>" in body
    (link,) = [a for t, a in elements(body) if t == "a" and a.get("href") == "https://wiki.example.org"]
    assert link["rel"] == "nofollow ugc noopener noreferrer"
    assert 'href="/users/bob"' in body


def test_a_comment_on_a_proposal_appears_on_the_proposal_page(app, scene):
    pid = proposal_id(propose(scene["ada"], "hub", url="https://example.org/p"))

    response = comment(scene["bob"], pid, "Good idea.", target_type="proposal")

    cid = comment_id_of(response)
    assert urlsplit(response.location).path == f"/proposals/{pid}"
    assert "Good idea." in article(scene["bob"].get(f"/proposals/{pid}").get_data(as_text=True), cid)


def test_raw_html_in_a_comment_is_shown_as_text(app, scene):
    typed = "<script>alert(1)</script><b onmouseover=x>hi</b>"
    cid = comment_id_of(comment(scene["bob"], scene["entry_id"], typed))

    page = scene["bob"].get(f"/entries/{scene['slug']}").get_data(as_text=True)

    assert all(tag not in ("script", "b") for tag, _ in elements(page))
    assert "<script>alert(1)</script>" in text_of(article(page, cid))


def test_a_reply_is_shown_under_its_parent(app, scene):
    first = comment_id_of(comment(scene["ada"], scene["entry_id"], "First."))
    second = comment_id_of(comment(scene["ada"], scene["entry_id"], "Second."))

    reply = comment_id_of(comment(scene["bob"], scene["entry_id"], "A reply.", parent_id=str(first)))

    page = scene["bob"].get(f"/entries/{scene['slug']}").get_data(as_text=True)
    assert thread_of(page) == [(first, "depth-0"), (reply, "depth-1"), (second, "depth-0")]
    assert comment_row(app, reply)["parent_id"] == first


def test_replies_to_replies_nest_deeper(app, scene):
    top = comment_id_of(comment(scene["ada"], scene["entry_id"], "Top."))
    reply = comment_id_of(comment(scene["bob"], scene["entry_id"], "Reply.", parent_id=str(top)))

    deeper = comment_id_of(comment(scene["ada"], scene["entry_id"], "Deeper.", parent_id=str(reply)))

    page = scene["ada"].get(f"/entries/{scene['slug']}").get_data(as_text=True)
    assert thread_of(page) == [(top, "depth-0"), (reply, "depth-1"), (deeper, "depth-2")]


def test_a_reply_to_a_comment_of_another_discussion_is_refused(app, scene):
    other = add_entry(app, "ada", "hub", title="Wikipedia", url="https://www.wikipedia.org")
    elsewhere = add_comment_row(app, "ada", "entry", entry_row(app, other)["id"])

    response = comment(scene["bob"], scene["entry_id"], "Lost reply.", parent_id=str(elsewhere))

    assert response.status_code == 400
    assert count(app, Comment) == 1


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_an_empty_comment_comes_back_with_400(app, scene, body):
    response = comment(scene["bob"], scene["entry_id"], body)

    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "body")
    assert count(app, Comment) == 0


def test_an_overlong_comment_comes_back_with_400_and_the_text_kept(app, scene):
    body = "Long thoughts. " * 667  # 10,005 characters

    response = comment(scene["bob"], scene["entry_id"], body)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "10,000" in field_error(page, "body")
    assert shown_value(page, "body") == body
    assert count(app, Comment) == 0


def test_a_comment_of_exactly_10000_characters_is_accepted(app, scene):
    assert comment(scene["bob"], scene["entry_id"], "x" * 10000).status_code == 303


def test_a_refused_reply_keeps_its_parent(app, scene):
    parent = comment_id_of(comment(scene["ada"], scene["entry_id"], "Parent."))

    page = comment(scene["bob"], scene["entry_id"], "", parent_id=str(parent)).get_data(as_text=True)

    assert shown_value(page, "parent_id") == str(parent)


def test_a_visitor_is_sent_to_log_in_and_nothing_is_saved(app, scene, client):
    response = comment(client, scene["entry_id"], "Hello.")

    assert response.status_code == 302
    assert urlsplit(response.location).path == "/login"
    assert count(app, Comment) == 0


def test_a_comment_on_something_that_does_not_exist_is_a_404(scene):
    assert comment(scene["bob"], 999, "Hello.").status_code == 404


def test_the_author_edits_a_comment_within_the_hour_and_it_is_marked_edited(app, scene):
    cid = comment_id_of(comment(scene["bob"], scene["entry_id"], "Frist."))
    form = scene["bob"].get(f"/comments/{cid}/edit").get_data(as_text=True)
    assert shown_value(form, "body") == "Frist."

    response = scene["bob"].post(f"/comments/{cid}/edit", data={"body": "First."})

    assert response.status_code == 303
    body = article(scene["bob"].get(f"/entries/{scene['slug']}").get_data(as_text=True), cid)
    assert "First." in body and "Frist." not in body
    assert "(edited)" in body


def test_an_unedited_comment_is_not_marked_edited(scene):
    cid = comment_id_of(comment(scene["bob"], scene["entry_id"], "Fine."))

    page = scene["bob"].get(f"/entries/{scene['slug']}").get_data(as_text=True)

    assert "(edited)" not in article(page, cid)


def test_an_edit_that_empties_the_comment_is_refused_and_the_comment_stays(app, scene):
    cid = comment_id_of(comment(scene["bob"], scene["entry_id"], "Keep me."))

    response = scene["bob"].post(f"/comments/{cid}/edit", data={"body": ""})

    assert response.status_code == 400
    stored = comment_row(app, cid)
    assert (stored["body"], stored["edited_at"]) == ("Keep me.", None)


def test_after_an_hour_a_comment_can_no_longer_be_edited(app, scene):
    cid = add_comment_row(app, "bob", "entry", scene["entry_id"], body="Old words.",
                          age=timedelta(minutes=61))

    assert scene["bob"].get(f"/comments/{cid}/edit").status_code == 403
    assert scene["bob"].post(f"/comments/{cid}/edit", data={"body": "New words."}).status_code == 403
    assert comment_row(app, cid)["body"] == "Old words."
    page = scene["bob"].get(f"/entries/{scene['slug']}").get_data(as_text=True)
    assert f"/comments/{cid}/edit" not in page


def test_just_under_an_hour_a_comment_can_still_be_edited(app, scene):
    cid = add_comment_row(app, "bob", "entry", scene["entry_id"], age=timedelta(minutes=59))

    assert scene["bob"].post(f"/comments/{cid}/edit", data={"body": "Still in time."}).status_code == 303


def test_nobody_edits_someone_elses_comment(app, scene):
    cid = comment_id_of(comment(scene["bob"], scene["entry_id"], "Mine."))

    assert scene["ada"].get(f"/comments/{cid}/edit").status_code == 403
    assert scene["ada"].post(f"/comments/{cid}/edit", data={"body": "Yours now."}).status_code == 403
    assert comment_row(app, cid)["body"] == "Mine."


def test_deleting_leaves_a_placeholder_that_keeps_the_replies_in_place(app, scene):
    parent = comment_id_of(comment(scene["bob"], scene["entry_id"], "Regrettable words."))
    reply = comment_id_of(comment(scene["ada"], scene["entry_id"], "A fair answer.", parent_id=str(parent)))

    response = scene["bob"].post(f"/comments/{parent}/delete")

    assert response.status_code == 303
    page = scene["bob"].get(f"/entries/{scene['slug']}").get_data(as_text=True)
    assert thread_of(page) == [(parent, "depth-0"), (reply, "depth-1")]
    assert "[deleted]" in article(page, parent)
    assert "Regrettable" not in page
    assert "A fair answer." in article(page, reply)
    assert "Discussion (1)" in page


def test_nobody_deletes_someone_elses_comment(app, scene):
    cid = comment_id_of(comment(scene["bob"], scene["entry_id"], "Mine."))

    assert scene["ada"].post(f"/comments/{cid}/delete").status_code == 403
    assert comment_row(app, cid)["status"] == "visible"


def test_a_deleted_comment_cannot_be_edited(app, scene):
    cid = comment_id_of(comment(scene["bob"], scene["entry_id"], "Gone soon."))
    scene["bob"].post(f"/comments/{cid}/delete")

    assert scene["bob"].post(f"/comments/{cid}/edit", data={"body": "Back!"}).status_code == 403

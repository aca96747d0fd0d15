"""The interface in English, French and Spanish: the account's language, else the lbs_lang
cookie, else the browser's Accept-Language; chosen with the footer's switch; dates, numbers
and stored notifications in the reader's language. English stays the default."""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest

from lbs.extensions import db
from lbs.models import Entry, Notification, Proposal, User, utcnow
from tests.functional.moderating import (
    add_entry,
    add_proposal,
    add_user,
    entry_id,
    login,
    merge_now,
    row,
    set_columns,
    text_of,
    user_named,
)

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}


@pytest.fixture
def commons(app):
    """A hub and a reading by ada, and a moderator."""
    add_user(app, "ada")
    add_user(app, "mod", role="moderator")
    hub = add_entry(app, "ada")
    reading = add_entry(app, "ada", kind="reading")
    return {"hub": hub, "reading": reading}


def page(client, path, **kwargs):
    response = client.get(path, **kwargs)
    return response.status_code, response.get_data(as_text=True)


def spanish_browser(app):
    client = app.test_client()
    client.set_cookie("lbs_lang", "es")
    return client


def html_lang(html):
    return html[html.index("<html lang=\"") + 12:].split('"', 1)[0]


def row_id_of(app, username):
    with app.app_context():
        return user_named(username).id


# --- choosing the language ------------------------------------------------------------------


def test_english_is_the_default(client, commons):
    status, html = page(client, "/")

    assert html_lang(html) == "en"
    assert "Top hubs" in html


def test_the_front_page_is_in_french_for_a_browser_asking_for_french(client, commons):
    status, html = page(client, "/", headers=FRENCH)

    assert status == 200
    assert html_lang(html) == "fr"
    text = text_of(html)
    assert "Hubs les mieux notés" in text
    assert "Des communs de 1 hub de production entre pairs et de 1 lecture" in text
    assert "Se connecter" in text
    assert "Top hubs" not in text


def test_the_front_page_is_in_spanish_with_the_language_cookie(app, commons):
    status, html = page(spanish_browser(app), "/", headers=FRENCH)

    assert html_lang(html) == "es"
    assert "Hubs mejor valorados" in text_of(html)
    assert "Un procomún de 1 hub de producción entre pares y 1 lectura" in text_of(html)


def test_a_signed_in_persons_own_language_wins_over_cookie_and_browser(app, commons):
    set_columns(app, User, row_id_of(app, "ada"), locale="es")
    ada = login(app, "ada")
    ada.set_cookie("lbs_lang", "fr")

    status, html = page(ada, "/", headers=FRENCH)

    assert html_lang(html) == "es"
    assert "Lo más reciente del procomún" in text_of(html)
    assert "Notificaciones" in text_of(html)


def test_a_language_the_site_does_not_speak_falls_back_to_english(client, commons):
    status, html = page(client, "/", headers={"Accept-Language": "de-DE,de;q=0.9"})

    assert html_lang(html) == "en"


def test_pages_say_that_their_language_depends_on_cookie_and_accept_language(client, commons):
    response = client.get("/hubs")

    assert {"Accept-Language", "Cookie"} <= set(response.vary)


# --- pages in French and Spanish ------------------------------------------------------------


def test_a_list_is_in_french_with_its_stored_words_translated(client, commons):
    status, html = page(client, "/readings?type=book", headers=FRENCH)

    text = text_of(html)
    assert "<h1>Lectures</h1>" in html
    assert "Trier par : note tendance nouveauté" in text
    assert '<option value="book" selected>livre</option>' in html
    assert "1 contributeur · 0 commentaire" in text


def test_a_list_is_in_spanish(app, commons):
    status, html = page(spanish_browser(app), "/hubs")

    text = text_of(html)
    assert "<h1>Hubs</h1>" in html
    assert '<option value="peer-driven production">producción entre pares</option>' in html
    assert "1 contribuidor · 0 comentarios" in text


def test_an_entry_page_is_in_french(client, commons):
    status, html = page(client, f"/entries/{commons['hub']}", headers=FRENCH)

    text = text_of(html)
    assert "Un hub des communs · révision 1 · historique" in text
    assert "Orientation production entre pairs" in text
    assert "Connectez-vous pour proposer une modification" in text
    assert "Pas encore de commentaires." in text


def test_an_entry_page_is_in_spanish_for_a_signed_in_person(app, commons):
    set_columns(app, User, row_id_of(app, "ada"), locale="es")

    status, html = page(login(app, "ada"), f"/entries/{commons['reading']}")

    text = text_of(html)
    assert "Una lectura del procomún · revisión 1 · historial" in text
    assert "Tipo libro" in text
    assert "Proponer una modificación" in text


def test_the_sign_up_form_shows_its_errors_in_french(client):
    response = client.post("/signup", data={"username": "", "email": "", "password": "",
                                            "confirm": ""}, headers=FRENCH)

    text = text_of(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Veuillez corriger les champs signalés ci-dessous." in text
    assert "Choisissez un nom d’utilisateur." in text
    assert "Indiquez une adresse e-mail." in text
    assert "Nom d’utilisateur" in text


def test_the_domains_refusals_on_the_sign_up_form_are_in_spanish(app, commons):
    response = spanish_browser(app).post("/signup", data={
        "username": "ada", "email": "another@example.org", "password": "a long enough secret",
        "confirm": "a long enough secret",
    })

    assert response.status_code == 400
    assert "Ese nombre de usuario ya está en uso." in text_of(response.get_data(as_text=True))


def test_an_error_page_is_in_french_and_in_spanish(app, client):
    status, html = page(client, "/entries/nothing-here", headers=FRENCH)
    assert status == 404
    assert "Introuvable" in text_of(html)
    assert "Erreur 404" in text_of(html)

    status, html = page(spanish_browser(app), "/entries/nothing-here")
    assert status == 404
    assert "No encontrado" in text_of(html)
    assert "Puede ir a la página principal." in text_of(html)


def test_a_flash_message_is_in_the_language_of_the_request(client):
    response = client.post("/signup", data={
        "username": "zoe", "email": "zoe@example.org", "password": "a long enough secret",
        "confirm": "a long enough secret",
    }, headers=FRENCH, follow_redirects=True)

    assert "Bienvenue dans les communs, zoe." in text_of(response.get_data(as_text=True))


def test_the_api_answers_in_english_whatever_the_browser_asks(client):
    response = client.get("/api/v1/entries/nothing-here", headers=FRENCH)

    assert response.status_code == 404
    assert response.get_json()["error"]["message"].startswith("There is nothing at this address")


# --- the footer's switch ----------------------------------------------------------------------


def test_the_switch_changes_the_language_and_a_cookie_remembers_it(client, commons):
    response = client.post("/language", data={"language": "fr", "next": "/hubs"})

    assert response.status_code == 303
    assert urlsplit(response.location).path == "/hubs"
    assert client.get_cookie("lbs_lang").value == "fr"
    assert html_lang(client.get("/hubs").get_data(as_text=True)) == "fr"


def test_the_switch_remembers_the_language_on_the_account(app, commons):
    ada = login(app, "ada")

    ada.post("/language", data={"language": "es", "next": "/"})

    assert row(app, User, row_id_of(app, "ada"))["locale"] == "es"
    # Another device, without the cookie, speaks the account's language too.
    status, html = page(login(app, "ada"), "/")
    assert html_lang(html) == "es"


def test_the_switch_shows_the_chosen_language_as_selected(app, commons):
    status, html = page(spanish_browser(app), "/")

    assert '<option value="es" lang="es" selected>Español</option>' in html


def test_a_visitors_switch_is_a_get_form_that_sets_the_cookie(client, commons):
    html = client.get("/hubs").get_data(as_text=True)
    form = html[html.index('<form method="get" action="/language"'):]
    form = form[:form.index("</form>")]
    assert "csrf_token" not in form
    assert '<input type="hidden" name="next" value="/hubs">' in form

    response = client.get("/language?language=fr&next=/hubs")

    assert response.status_code == 303
    assert urlsplit(response.location).path == "/hubs"
    assert client.get_cookie("lbs_lang").value == "fr"
    assert html_lang(client.get("/hubs").get_data(as_text=True)) == "fr"


@pytest.mark.parametrize("next_path", ["//evil.example/", "https://evil.example/", "/\\evil"])
def test_a_visitors_switch_never_leaves_the_site(client, next_path):
    response = client.get("/language", query_string={"language": "es", "next": next_path})

    assert response.status_code == 303
    assert urlsplit(response.location).netloc in ("", "localhost")
    assert urlsplit(response.location).path == "/"


def test_a_get_to_the_switch_does_not_change_an_accounts_language(app, commons):
    ada = login(app, "ada")
    html = ada.get("/").get_data(as_text=True)
    assert '<form method="post" action="/language"' in html

    ada.get("/language?language=es&next=/")

    assert row(app, User, row_id_of(app, "ada"))["locale"] != "es"


def test_the_switch_refuses_a_language_the_site_does_not_speak_in_a_get(client):
    response = client.get("/language?language=de&next=/")

    assert response.status_code == 400
    assert client.get_cookie("lbs_lang") is None


def test_the_switch_refuses_a_language_the_site_does_not_speak(client):
    response = client.post("/language", data={"language": "de", "next": "/"})

    assert response.status_code == 400
    assert client.get_cookie("lbs_lang") is None


# --- dates, numbers and stored messages ---------------------------------------------------------


@pytest.mark.parametrize(("headers", "cookie", "date"), [
    ({}, None, "3 March 2024"),
    (FRENCH, None, "3 mars 2024"),
    ({}, "es", "3 de marzo de 2024"),
], ids=["en", "fr", "es"])
def test_a_date_on_a_page_follows_the_language(app, client, commons, headers, cookie, date):
    set_columns(app, Entry, entry_id(app, commons["hub"]), link_broken=True, link_status=404,
                link_checked_at=datetime(2024, 3, 3, 12, 0))
    if cookie:
        client.set_cookie("lbs_lang", cookie)

    status, html = page(client, f"/entries/{commons['hub']}", headers=headers)

    assert date in text_of(html)


def test_how_long_ago_follows_the_language(app, client, commons):
    proposal = add_proposal(app, "ada", title="Appropedia", url="https://www.appropedia.org")
    set_columns(app, Proposal, proposal, created_at=utcnow() - timedelta(days=800))

    status, html = page(client, "/proposals?status=open&sort=new", headers=FRENCH)

    assert "il y a 2 ans" in text_of(html)


@pytest.mark.parametrize(("headers", "cookie", "karma"), [
    ({}, None, "12,345"),
    (FRENCH, None, "12\u202f345"),
    ({}, "es", "12.345"),
], ids=["en", "fr", "es"])
def test_numbers_follow_the_language(app, client, commons, headers, cookie, karma):
    set_columns(app, User, row_id_of(app, "ada"), karma=12345)
    if cookie:
        client.set_cookie("lbs_lang", cookie)

    status, html = page(client, "/users/ada", headers=headers)

    assert f"<dd>{karma}</dd>" in html


def test_a_notification_is_written_in_the_language_of_whoever_reads_it(app, commons):
    merge_now(app, "mod", add_proposal(app, "ada", title="Appropedia",
                                       url="https://www.appropedia.org"))
    ada = login(app, "ada")

    ada.post("/language", data={"language": "fr", "next": "/"})
    french = text_of(ada.get("/notifications").get_data(as_text=True))
    ada.post("/language", data={"language": "es", "next": "/"})
    spanish = text_of(ada.get("/notifications").get_data(as_text=True))

    assert "Votre proposition « Appropedia » a été intégrée aux communs." in french
    assert "Su propuesta «Appropedia» se incorporó al procomún." in spanish


def test_a_notification_stored_as_an_english_sentence_is_still_shown(app, commons):
    with app.app_context():
        db.session.add(Notification(
            user_id=row_id_of(app, "ada"), kind="reply", message="bob replied to your comment.",
            link="/comments/1",
        ))
        db.session.commit()

    text = text_of(login(app, "ada").get("/notifications", headers=FRENCH).get_data(as_text=True))

    assert "bob replied to your comment." in text

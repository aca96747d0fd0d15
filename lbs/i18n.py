"""Interface languages: the account's choice, else a cookie, else the browser's Accept-Language."""

from flask import request
from flask_login import current_user

LANGUAGES = {"en": "English", "fr": "Français", "es": "Español"}
DEFAULT = "en"
COOKIE = "lbs_lang"


def select_locale():
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT

"""Who a rate limit counts: an address (IPv6 by /64, since one host holds a whole /64) or an account."""

import ipaddress

from flask import current_app, request
from flask_login import current_user


def client_address():
    address = request.remote_addr or "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(ip)


def login_name():
    """The account a log-in attempt is aimed at, whether it exists or not."""
    return "login:" + (request.form.get("login") or "").strip().lower()[:254]


def signed_in_user():
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return client_address()


def setting(name):
    """A limit read from the settings at request time, so tests and deployments can change it."""
    return lambda: current_app.config[name]


def by_account_age(new_account_setting, setting):
    """The lower limit for accounts younger than NEW_ACCOUNT_DAYS, the normal one otherwise."""
    from lbs.domain.accounts import is_new_account

    def limit():
        if current_user.is_authenticated and is_new_account(current_user):
            return current_app.config[new_account_setting]
        return current_app.config[setting]

    return limit


def succeeded(response):
    """Only count actions that went through: a preview or a form with errors costs nothing."""
    return response.status_code in (302, 303)

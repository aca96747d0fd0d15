"""URLs, DOIs and ISBNs in one canonical form, so the same link is recognised however it is typed."""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask_babel import gettext as _

from lbs.domain.errors import Invalid

MAX_URL = 2000
DEFAULT_PORTS = {"http": 80, "https": 443}
# Query parameters that only say where a click came from, never what the page is.
TRACKING_PARAMETERS = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid",
    "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "ref_src", "spm", "si",
}
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
DOI_PATTERN = re.compile(r"10\.\d{4,9}/\S+")


def _is_tracking(name):
    name = name.lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def normalize_url(raw, field="url"):
    """The canonical http(s) URL, or Invalid with a message for the form field."""
    url = (raw or "").strip()
    if not url:
        raise Invalid(field, _("Give the address of the page, starting with https:// or http://."))
    if len(url) > MAX_URL:
        raise Invalid(field, _("That address is longer than %(num)d characters.", num=MAX_URL))
    if _CONTROL.search(url) or "\\" in url:
        raise Invalid(
            field, _("An address cannot contain spaces, backslashes or control characters.")
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Invalid(field, _("That is not a valid web address.")) from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise Invalid(
            field, _("Only web addresses starting with https:// or http:// are accepted.")
        )
    host = (parts.hostname or "").rstrip(".")
    if not host or "." not in host and host != "localhost":
        raise Invalid(field, _("That address has no host name, like example.org."))
    if parts.username or parts.password:
        raise Invalid(field, _("Leave user names and passwords out of the address."))
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if ":" in host:  # an IPv6 literal keeps its brackets
        netloc = f"[{host}]" if port in (None, DEFAULT_PORTS[scheme]) else f"[{host}]:{port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    )
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, netloc, path, query, ""))


def url_domain(url):
    """What a list shows next to a title: the host without a leading www."""
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.")


def normalize_doi(raw):
    doi = (raw or "").strip()
    if not doi:
        return None
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.IGNORECASE)
    if len(doi) > 200 or not DOI_PATTERN.fullmatch(doi):
        raise Invalid(
            "doi", _("A DOI looks like 10.1234/abcd (with or without https://doi.org/).")
        )
    return doi.lower()


def _isbn13_check(digits12):
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits12))
    return str((10 - total % 10) % 10)


def normalize_isbn(raw):
    """ISBN-13 digits: an ISBN-10 and its ISBN-13 are the same book."""
    text = (raw or "").strip()
    if not text:
        return None
    isbn = re.sub(r"[\s-]", "", text).upper().removeprefix("ISBN")
    if re.fullmatch(r"\d{9}[\dX]", isbn):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(isbn))
        if total % 11 == 0:
            core = "978" + isbn[:9]
            return core + _isbn13_check(core)
    elif re.fullmatch(r"97[89]\d{10}", isbn) and _isbn13_check(isbn[:12]) == isbn[12]:
        return isbn
    raise Invalid("isbn", _("That is not a valid ISBN-10 or ISBN-13 (check the digits)."))

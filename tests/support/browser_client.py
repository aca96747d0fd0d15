"""A plain HTTP client that behaves like a browser without JavaScript: cookies, and the CSRF
token read from the page before each form is sent. For tests against a real server."""

import re
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, build_opener

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.text = body


class BrowserClient:
    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")
        self._opener = build_opener(HTTPCookieProcessor(CookieJar()), _NoRedirect())

    def _open(self, path, data=None):
        try:
            with self._opener.open(self.base_url + path, data=data, timeout=30) as response:
                return Response(response.status, response.headers, response.read().decode())
        except HTTPError as error:
            return Response(error.code, error.headers, error.read().decode())

    def get(self, path):
        return self._open(path)

    def token(self, path="/login"):
        match = TOKEN.search(self.get(path).text)
        return match.group(1) if match else ""

    def post(self, path, fields, token=None, token_from="/login"):  # noqa: S107
        fields = {"csrf_token": token if token is not None else self.token(token_from), **fields}
        return self._open(path, urlencode(fields).encode())

    def login(self, username, password):
        response = self.post("/login", {"login": username, "password": password})
        assert response.status == 302, (response.status, response.text[:500])
        return response

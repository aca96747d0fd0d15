"""When the database goes away the site says so with a 503, saves nothing half-way, and comes
back by itself once the database returns (check 7 of the hardening list).

The database is cut off through a TCP relay between the app and PostgreSQL: from the app's
side this is exactly a server stopping (connections reset, new ones refused) and starting again,
without stopping the server that other tests share.
"""

import socket
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from lbs.extensions import db
from lbs.models import User
from tests.conftest import make_test_app


class Relay:
    """Forwards 127.0.0.1:port to the database; stop() drops every connection at once."""

    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self.port = None
        self._listener = None
        self._sockets = []
        self._lock = threading.Lock()

    def start(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port or 0))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self):
        # shutdown() wakes the thread blocked in accept(); close() alone would not.
        try:
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._listener.close()
        with self._lock:
            for s in self._sockets:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
            self._sockets = []


@pytest.fixture
def relayed_app(app, database_url, dialect):
    if dialect != "postgresql":
        pytest.skip("a database server that can go away is PostgreSQL's case")
    url = make_url(database_url)
    relay = Relay(url.host or "127.0.0.1", url.port or 5432)
    relay.start()
    relayed = make_test_app(
        url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
    )
    yield relayed, relay
    relay.stop()
    with relayed.app_context():
        db.engine.dispose()


def _signup(client, name):
    return client.post("/signup", data={
        "username": name, "email": f"{name}@example.org",
        "password": "a long passphrase", "confirm": "a long passphrase",
    })


def test_requests_during_an_outage_get_503_and_the_site_recovers_alone(relayed_app):
    app, relay = relayed_app
    client = app.test_client()
    assert client.get("/").status_code == 200

    relay.stop()
    down = client.get("/")
    assert down.status_code == 503
    assert "cannot reach its database" in down.get_data(as_text=True)
    assert "Traceback" not in down.get_data(as_text=True)

    relay.start()  # the same port, as a restarted server would be
    assert client.get("/").status_code == 200
    assert client.get("/hubs").status_code == 200


def test_a_change_sent_during_an_outage_is_not_half_saved(relayed_app):
    app, relay = relayed_app
    client = app.test_client()
    client.get("/")
    relay.stop()
    assert _signup(client, "during").status_code == 503
    relay.start()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert _signup(client, "after").status_code == 302

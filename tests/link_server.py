"""A small web server on 127.0.0.1 that answers the ways real sites do, for the link checker.

It listens on an ephemeral port, keeps a log of every request, and counts how many of the
slow requests it is serving at once, so tests can see the checker's per-host limit.
"""

import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SLOW_SECONDS = 0.3
# Longer than any timeout the tests give the checker; a test's end cuts the wait short.
NEVER_SECONDS = 5


class LinkServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.requests = []
        self.active = 0
        self.max_active = 0
        self.flaky_status = 404
        self.released = threading.Event()

    def url(self, path):
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def paths(self):
        with self.lock:
            return [path for _, path, _ in self.requests]

    def forget(self):
        with self.lock:
            self.requests.clear()
            self.max_active = 0


class _Handler(BaseHTTPRequestHandler):
    server: LinkServer

    def log_message(self, format, *args):
        pass

    def do_HEAD(self):
        self._answer(head=True)

    def do_GET(self):
        self._answer(head=False)

    def _answer(self, head):
        with self.server.lock:
            self.server.requests.append((self.command, self.path, self.headers["User-Agent"]))
        path = self.path
        if path == "/ok":
            self._send(200, head)
        elif path == "/moved":
            self._send(301, head, location="/ok")
        elif path == "/moved-away":
            self._send(301, head, location=self.server.url("/missing"))
        elif path == "/missing":
            self._send(404, head)
        elif path == "/failing":
            self._send(500, head)
        elif path == "/get-only":
            self._send(405 if head else 200, head)
        elif path == "/head-dropped":
            if head:
                self.close_connection = True  # no answer at all, as some old servers do
                return
            self._send(200, head)
        elif path == "/never":
            self.server.released.wait(NEVER_SECONDS)
            self._send(200, head)
        elif path.startswith("/slow/"):
            self._slow(head)
        elif path.startswith("/hops/"):
            left = int(path.rsplit("/", 1)[1])
            if left:
                self._send(302, head, location=f"/hops/{left - 1}")
            else:
                self._send(200, head)
        elif path == "/to-ftp":
            self._send(302, head, location="ftp://127.0.0.1/file")
        elif path == "/bad-location":
            self._send(302, head, location="http://[::1/unclosed")
        elif path == "/flaky":
            self._send(self.server.flaky_status, head)
        else:
            self._send(404, head)

    def _slow(self, head):
        with self.server.lock:
            self.server.active += 1
            self.server.max_active = max(self.server.max_active, self.server.active)
        time.sleep(SLOW_SECONDS)
        # Counted down before answering: the checker may only start its next request once
        # this answer reached it, so the count never includes a request it has let go of.
        with self.server.lock:
            self.server.active -= 1
        self._send(200, head)

    def _send(self, status, head, location=None):
        body = b"hello"
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


@contextmanager
def serving():
    server = LinkServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.released.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def closed_port():
    """A port on 127.0.0.1 where nothing listens: connecting to it is refused."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]

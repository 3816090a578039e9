"""The README's nginx site writes its access lines without the token of an activation or reset link
(the application's log and gunicorn's redact it too). A real nginx, with deploy/nginx-site.conf filled in
as the production run fills it, in front of a small upstream that answers 200."""

from __future__ import annotations

import contextlib
import os
import secrets
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from e2e.production import topology


class _Ok(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def upstream():  # type: ignore[no-untyped-def]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@contextlib.contextmanager
def _nginx(tmp_path: Path, upstream: int) -> Iterator[Callable[[str], int]]:
    """The site filled in as the production run fills it, in front of 127.0.0.1:upstream; yields a function
    that GETs a path through nginx and TLS and returns the status."""
    if not os.access(topology.NGINX, os.X_OK):
        pytest.fail(f"nginx is needed at {topology.NGINX} (Debian package nginx)")
    port = topology.free_port()
    cert, key = topology.make_certificate(tmp_path, "127.0.0.1")
    site = tmp_path / "site.conf"
    site.write_text(topology.render_nginx_site({
        "LISTEN": f"127.0.0.1:{port}", "SERVER_NAME": "127.0.0.1", "CERTIFICATE": str(cert),
        "CERTIFICATE_KEY": str(key), "UPSTREAM": f"127.0.0.1:{upstream}",
        "ACCESS_LOG": str(tmp_path / "userhub-access.log"), "ERROR_LOG": str(tmp_path / "error.log"),
    }))
    temp = tmp_path / "temp"
    temp.mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {tmp_path / 'nginx.pid'};\n"
        f"error_log {tmp_path / 'error.log'} info;\nevents {{ worker_connections 64; }}\nhttp {{\n"
        + "".join(f"    {kind}_temp_path {temp / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        + f"    include {site};\n}}\n"
    )
    nginx = subprocess.Popen([topology.NGINX, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(main)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # the certificate made above

    def get(path: str) -> int:
        try:
            with urllib.request.urlopen(f"https://127.0.0.1:{port}{path}", timeout=5, context=context) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as error:
            return error.code

    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                get("/healthz")
                break
            except OSError:
                assert nginx.poll() is None and time.monotonic() < deadline, nginx.stderr.read() if nginx.stderr else ""
                time.sleep(0.2)
        yield get
    finally:
        nginx.terminate()
        nginx.wait(timeout=20)


def test_access_lines_carry_no_link_token(tmp_path: Path, upstream: int) -> None:
    tokens = [secrets.token_urlsafe(32) for _ in range(2)]
    with _nginx(tmp_path, upstream) as get:
        assert get(f"/activate/{tokens[0]}") == 200
        assert get(f"/password/reset/{tokens[1]}?lang=fr") == 200
    lines = (tmp_path / "userhub-access.log").read_text()
    assert '"GET /activate/[redacted] HTTP/1.1" 200' in lines, lines
    assert '"GET /password/reset/[redacted]?lang=fr HTTP/1.1" 200' in lines, lines
    assert '"GET /healthz HTTP/1.1" 200' in lines, lines  # other paths as they are
    for token in tokens:
        assert token not in lines, lines
        assert token not in (tmp_path / "error.log").read_text()


def test_upstream_errors_write_no_link_token(tmp_path: Path) -> None:
    """gunicorn down: nginx's error line names the request line, so a link's would hold its token. The
    links' errors stay out of the error log (their 502 is in the access log, redacted); others' stay in."""
    down = topology.free_port()  # nothing listens there
    tokens = [secrets.token_urlsafe(32) for _ in range(2)]
    with _nginx(tmp_path, down) as get:
        assert get(f"/activate/{tokens[0]}") == 502
        assert get(f"/password/reset/{tokens[1]}") == 502
        assert get("/sign-in") == 502
    errors = (tmp_path / "error.log").read_text()
    lines = (tmp_path / "userhub-access.log").read_text()
    assert '"GET /sign-in HTTP/1.1"' in errors and "connect() failed" in errors, errors  # useful lines kept
    assert '"GET /activate/[redacted] HTTP/1.1" 502' in lines, lines
    assert '"GET /password/reset/[redacted] HTTP/1.1" 502' in lines, lines
    for token in tokens:
        assert token not in errors, errors
        assert token not in lines, lines

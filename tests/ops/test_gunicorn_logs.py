"""gunicorn's own log lines (the error log, and the access log when someone turns it on) never show an
activation or reset token: the deploy configuration's logger redacts them as the application's log does.
A real gunicorn process, started with deploy/gunicorn.conf.py, serves an application that fails
outside Flask's error handling, which is when gunicorn writes the request's path."""

from __future__ import annotations

import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]

FAILING_APP = '''
def app(environ, start_response):
    if environ["PATH_INFO"] == "/healthz":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    raise RuntimeError("the application failed")
'''


def test_gunicorn_error_and_access_lines_carry_no_token(tmp_path: Path) -> None:
    (tmp_path / "failing_wsgi.py").write_text(FAILING_APP)
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "deploy/gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", "-",
             "--chdir", str(tmp_path), "failing_wsgi:app"],
            cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        tokens = [secrets.token_urlsafe(32) for _ in range(2)]
        for path in (f"/activate/{tokens[0]}", f"/password/reset/{tokens[1]}?next=1"):
            try:
                urllib.request.urlopen(base + path, timeout=5).close()
            except urllib.error.HTTPError as error:
                assert error.code == 500
            else:
                raise AssertionError("the failing application answered")
    finally:
        server.terminate()
        server.wait(timeout=20)
    text = log.read_text()
    assert re.search(r"Error handling request \S* ?/activate/\[redacted\]", text), text  # gunicorn's line
    assert re.search(r"Error handling request \S* ?/password/reset/\[redacted\]", text), text
    assert '"GET /activate/[redacted] HTTP/1.1" 500' in text, text  # and its access line
    for token in tokens:
        assert token not in text, text

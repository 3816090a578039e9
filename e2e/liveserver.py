"""userhub in its own processes, as in production: migrated and seeded by the flask CLI, served by
gunicorn on a free port, with a fresh SQLite database in a folder of its own."""

from __future__ import annotations

import os
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START_SECONDS = 30
FLASK = [sys.executable, "-m", "flask", "--app", "userhub"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a command from the project's folder; its output goes into the error when it fails."""
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"{shlex.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


class LiveServer:
    def __init__(self, folder: Path, smtp_port: int) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = folder / "server.log"
        self.process: subprocess.Popen[bytes] | None = None
        # Nothing of the developer's own USERHUB_* settings (their database!) leaks into the server.
        env = {key: value for key, value in os.environ.items() if not key.startswith("USERHUB_")}
        env.update({
            "USERHUB_DATABASE_URL": f"sqlite:///{folder / 'userhub.db'}",
            "USERHUB_SECRET_KEY": secrets.token_urlsafe(48),
            "USERHUB_BASE_URL": self.base_url,
            "USERHUB_SMTP_HOST": "127.0.0.1",
            "USERHUB_SMTP_PORT": str(smtp_port),
            "USERHUB_MAIL_TRANSPORT": "smtp",
            "USERHUB_MAIL_WORKER_THREAD": "1",
            "USERHUB_ARGON2_PROFILE": "test",
            "PYTHONUNBUFFERED": "1",
        })
        self.job_gate: Path | None = None
        if os.environ.get("USERHUB_E2E_SCREENSHOTS"):  # the screenshot run: imports can be held half-way,
            self.job_gate = folder / "hold-imports"  # and /demo-mailbox/ is pictured
            env.update({"E2E_JOB_GATE": str(self.job_gate), "USERHUB_DEMO_MAILBOX": "1"})
        self.env = env
        # CLI commands share the database but must not start an outbox thread of their own.
        self.cli_env = {**env, "USERHUB_MAIL_WORKER_THREAD": "0"}

    def start(self) -> None:
        run([*FLASK, "db", "upgrade"], self.cli_env)
        run([*FLASK, "seed-demo"], self.cli_env)
        options = ["-w", "2", "-b", f"127.0.0.1:{self.port}"]
        if self.job_gate is not None:  # e2e/job_gate.py: never in production, nor in the suite's ordinary runs
            options += ["-c", str(ROOT / "e2e" / "job_gate.py")]
        self.process = start_gunicorn(options, self.env, self.log, self.base_url + "/sign-in")

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)


def start_gunicorn(options: list[str], env: dict[str, str], log: Path, ready_url: str) -> subprocess.Popen[bytes]:
    """gunicorn serving userhub:create_app() from the project's folder with these options, its output in
    log; returned once ready_url answers 200 (an error with the log if it stops or does not answer)."""
    command = [sys.executable, "-m", "gunicorn", *options, "--graceful-timeout", "5"]
    if _gunicorn_has_control_socket():  # newer gunicorn opens one in ~/.gunicorn, shared by every run
        command.append("--no-control-socket")
    with log.open("wb") as log_file:
        process = subprocess.Popen([*command, "userhub:create_app()"], cwd=ROOT, env=env,
                                   stdout=log_file, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(process, log, ready_url)
    except BaseException:
        stop_process(process)
        raise
    return process


def stop_process(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_until_up(process: subprocess.Popen[bytes], log: Path, url: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped ({process.returncode}) while starting:\n"
                               + log.read_text(errors="replace"))
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)  # waiting for another process to bind its port
    raise RuntimeError(f"{url} did not answer 200 within {START_SECONDS} s:\n" + log.read_text(errors="replace"))


def _gunicorn_has_control_socket() -> bool:
    from gunicorn.config import KNOWN_SETTINGS

    return any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS)

"""Real SIP parts for the tests: userhub under gunicorn, Kamailio with the shipped configuration, and SIPp
phones, gateway, voicemail and callers, all on 127.0.0.1 on ports picked free. Every process started is
ended by its PID, also when a start fails."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = Path(__file__).resolve().parent / "scenarios"
CONFIG = ROOT / "kamailio" / "kamailio.cfg"
REALM = "userhub.local"
# Final answers a caller may get; each one is an optional receive of the caller scenario.
FINAL_CODES = (403, 404, 408, 433, 480, 482, 483, 484, 486, 487, 500, 503, 600, 603)


def tools_missing() -> list[str]:
    return [tool for tool in ("kamailio", "sipp", "kamcmd") if shutil.which(tool) is None]


_HANDED_OUT: set[int] = set()  # every port this process gave out: never twice


def udp_port(span: int = 1) -> int:
    """A port free for UDP (and TCP) on 127.0.0.1, with ``port + span - 1`` free too."""
    for _ in range(200):
        port = secrets.randbelow(30000) + 20000
        if _HANDED_OUT.intersection(range(port, port + span)):
            continue  # free now, but promised to a part that has not bound it yet
        sockets = []
        try:
            for offset in range(span):
                for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
                    s = socket.socket(socket.AF_INET, kind)
                    sockets.append(s)
                    s.bind(("127.0.0.1", port + offset))
            _HANDED_OUT.update(range(port, port + span))
            return port
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError("no free port found")


def _stop(process: subprocess.Popen[bytes] | None, timeout: float = 10, group: bool = False) -> None:
    """Stop a part; ``group``: it was started in a session of its own (Kamailio's forked children), and the
    whole group is ended, so that no child outlives a main process killed after the timeout."""
    if process is None or process.poll() is not None:
        if group and process is not None:
            _kill_group(process)
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if group:
        _kill_group(process)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)  # children still there after the main process ended
    except ProcessLookupError:
        pass


class Userhub:
    """gunicorn serving the test database (the tests write settings in it directly)."""

    def __init__(self, database_url: str, folder: Path, extra: dict[str, str] | None = None,
                 config: Path | None = None) -> None:
        """``extra``: more USERHUB_* settings (the benchmarks: rate limits in Redis, as in production);
        ``config``: a gunicorn configuration file (the benchmarks: deploy/gunicorn.conf.py, production's), its
        workers and address overridden (two workers, this port)."""
        self.config = config
        self.port = udp_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / "userhub.log"
        env = {key: value for key, value in os.environ.items() if not key.startswith("USERHUB_")}
        env.update({"USERHUB_DATABASE_URL": database_url, "USERHUB_SECRET_KEY": secrets.token_urlsafe(48),
                    "USERHUB_SIP_RING_SECONDS": "1", "USERHUB_WARM_UP": "0", "PYTHONUNBUFFERED": "1",
                    "PYTHONPATH": str(ROOT)})
        env.update(extra or {})
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("wb") as log:
            configured = ["--config", str(self.config)] if self.config else []
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", *configured, "-w", "2", "-b", f"127.0.0.1:{self.port}", "--graceful-timeout",
                 "3", "userhub:create_app()"], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("userhub stopped while starting:\n" + self.log.read_text(errors="replace"))
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        raise RuntimeError("userhub did not start:\n" + self.log.read_text(errors="replace"))

    def stop(self) -> None:
        _stop(self.process)


@dataclass
class Sipp:
    """One SIPp process; ``messages()`` reads what it sent and received (its -trace_msg file)."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    trace: Path
    log: Path

    def stop(self) -> None:
        _stop(self.process)

    def received(self) -> list[tuple[float, str]]:
        """(time, first line and headers) of each message it received, in order."""
        if not self.trace.exists():
            return []
        text = self.trace.read_text(errors="replace")
        found = []
        for block in re.split(r"^-{10,} ", text, flags=re.MULTILINE)[1:]:
            stamp, _, rest = block.partition("\n")
            if "message received" not in rest.split("\n", 1)[0]:
                continue
            message = rest.split("\n", 2)[2] if rest.count("\n") >= 2 else ""
            found.append((_stamp(stamp), message.strip()))
        return found

    def invites(self) -> list[tuple[float, str]]:
        return [(at, m) for at, m in self.received() if m.startswith("INVITE ")]

    def received_methods(self) -> list[str]:
        return [m.split(" ", 1)[0] for _at, m in self.received()]


def _stamp(line: str) -> float:
    parts = line.split()
    try:
        return datetime.strptime(f"{parts[0]} {parts[1]}", "%Y-%m-%d %H:%M:%S.%f").timestamp()
    except (ValueError, IndexError):
        return 0.0


@dataclass
class Lab:
    """Kamailio and the SIPp parts around it, for one test."""

    folder: Path
    userhub_url: str
    token: str
    proxy_port: int = 0
    kamailio: subprocess.Popen[bytes] | None = None
    parts: list[Sipp] = field(default_factory=list)
    gateway: Sipp | None = None
    voicemail: Sipp | None = None
    trace: bool = True  # SIPp parts keep every message (the tests read them; benchmarks turn it off)
    _defines: list[str] = field(default_factory=list)  # Kamailio's -A defines, kept for start_proxy

    def start(self, max_diversions: int = 5, decision_wait_ms: int = 1000, defines: list[str] | None = None) -> None:
        """Start the gateway, the voicemail and Kamailio; ``defines``: more -A defines (WITH_DMQ...)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.gateway = self.sipp("gateway", "phone.xml", answer_ms=1)
        self.voicemail = self.sipp("voicemail", "phone.xml", answer_ms=1)
        self.proxy_port = udp_port()
        run = self.folder / "kamailio"
        run.mkdir(exist_ok=True)
        self._defines = [f"LISTEN=udp:127.0.0.1:{self.proxy_port}", f'USERHUB_URL="{self.userhub_url}"',
                         f'USERHUB_TOKEN="{self.token}"', f'REALM="{REALM}"', f'GATEWAY="127.0.0.1:{self.gateway.port}"',
                         f'VOICEMAIL="127.0.0.1:{self.voicemail.port}"', f"MAX_DIVERSIONS={max_diversions}",
                         f"DECISION_WAIT_MS={decision_wait_ms}", "FAIL_OPEN_MS=3000",
                         f'CTL_SOCK="unix:{run}/kamailio_ctl"', "WITH_TEST_TIME", *(defines or [])]
        self.start_proxy()

    def stop_proxy(self) -> None:
        """Stop Kamailio alone (the SIPp parts stay): it forgets what it held in memory."""
        _stop(self.kamailio, group=True)

    def start_proxy(self) -> None:
        """Start Kamailio again, with the settings of ``start``."""
        run = self.folder / "kamailio"
        command = ["kamailio", "-f", str(CONFIG), "-DD", "-E", "-m", "64", "-M", "8", "-Y", str(run),
                   "-P", str(run / "kamailio.pid")]
        for define in self._defines:
            command += ["-A", define]
        self.kamailio_log = self.folder / "kamailio.log"
        with self.kamailio_log.open("ab") as log:
            self.kamailio = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.kamailio.poll() is not None:
                raise RuntimeError("Kamailio stopped while starting:\n" + self.kamailio_log.read_text(errors="replace"))
            probe = subprocess.run(["kamcmd", "-s", f"unix:{run}/kamailio_ctl", "core.uptime"], capture_output=True,
                                   check=False)
            if probe.returncode == 0:
                return
            time.sleep(0.05)
        raise RuntimeError("Kamailio did not start:\n" + self.kamailio_log.read_text(errors="replace"))

    def rpc(self, *command: str) -> str:
        """A kamcmd command on this proxy's control socket; its output."""
        done = subprocess.run(["kamcmd", "-s", f"unix:{self.folder / 'kamailio'}/kamailio_ctl", *command],
                              capture_output=True, check=False, timeout=10)
        return done.stdout.decode(errors="replace")

    def stop(self) -> None:
        for part in self.parts:
            part.stop()
        _stop(self.kamailio, group=True)

    def sipp(self, name: str, scenario: str, answer_ms: int | None = None, extra: list[str] | None = None,
             substitutions: dict[str, str] | None = None) -> Sipp:
        """A SIPp part running ``scenario`` (a UAS unless ``extra`` says otherwise)."""
        text = (SCENARIOS / scenario).read_text()
        for key, value in {"ANSWER_MS": str(answer_ms or 60000), **(substitutions or {})}.items():
            text = text.replace(key, value)
        path = self.folder / f"{name}.xml"
        path.write_text(text)
        # One block per part: ports picked one by one are free only until bound, so SIP could land on the
        # video port (media + 2) picked a moment later (CI: "Unable to bind video RTP socket").
        media = udp_port(5)
        port, control = media + 3, media + 4
        trace, log = self.folder / f"{name}.messages", self.folder / f"{name}.log"
        command = ["sipp", "-sf", str(path), "-i", "127.0.0.1", "-p", str(port), "-mp", str(media), "-cp",
                   str(control), "-ci", "127.0.0.1", "-nostdin",
                   *(["-trace_msg", "-message_file", str(trace)] if self.trace else []), *(extra or [])]
        with log.open("wb") as out:
            process = subprocess.Popen(command, cwd=self.folder, stdout=out, stderr=subprocess.STDOUT)
        part = Sipp(name, port, process, trace, log)
        self.parts.append(part)
        time.sleep(0.05)
        if process.poll() is not None:
            raise RuntimeError(f"SIPp {name} stopped at once:\n" + log.read_text(errors="replace"))
        return part

    def phone(self, name: str, answer_ms: int | None = None, busy: bool = False) -> Sipp:
        return self.sipp(name, "busy.xml" if busy else "phone.xml", answer_ms)

    def register(self, *phones: tuple[str, str, Sipp]) -> None:
        """Register (SIP user, password, phone) with digest authentication through SIPp, one by one."""
        for user, password, phone in phones:
            users = self.folder / f"register-{user}-{secrets.token_hex(3)}.csv"
            users.write_text(f"SEQUENTIAL\n{user};{password};{REALM};{phone.port}\n")
            part = self.sipp(users.stem, "register.xml",
                             extra=["-inf", str(users), "-au", user, "-ap", password, "-m", "1", "-timeout", "10s",
                                    "-timeout_error", f"127.0.0.1:{self.proxy_port}"])
            code = part.process.wait(timeout=15)
            if code != 0:
                raise AssertionError(f"registration of {user} failed ({code}):\n"
                                     + part.trace.read_text(errors="replace")[-3000:])

    def call(self, called: str, caller: str = "+33612345678", hold_ms: int = 200, headers: dict[str, str] | None = None,
             timeout: int = 30, from_domain: str | None = None) -> Call:
        """A call from the public network; returns when it ended."""
        return self.place(called, caller, hold_ms, headers, timeout, from_domain).end()

    def place(self, called: str, caller: str = "+33612345678", hold_ms: int = 200,
              headers: dict[str, str] | None = None, timeout: int = 30, from_domain: str | None = None) -> Pending:
        """A call from the public network, left running: ``end()`` waits for it. ``from_domain``: another
        From domain (the realm: a call that claims to be one of our phones, without credentials)."""
        from_domain = from_domain or ("anonymous.invalid" if caller == "anonymous" else "public.example")
        extra_headers = "".join(f"      {k}: {v}\n" for k, v in (headers or {}).items())
        failures = "\n".join(f'  <recv response="{code}" optional="true" next="failed"/>'
                              for code in (*FINAL_CODES, 401, 407))
        part = self.sipp(f"caller-{secrets.token_hex(3)}", "caller.xml",
                         extra=["-m", "1", "-timeout", f"{timeout}s", "-timeout_error", f"127.0.0.1:{self.proxy_port}"],
                         substitutions={"EXTRA_HEADERS\n": extra_headers, "FAILURES": failures, "CALLED": called,
                                        "CALLER": caller, "FROM_DOMAIN": from_domain, "HOLD_MS": str(hold_ms)})
        return Pending(part, time.time(), timeout)

    def phone_call(self, caller: str, password: str, called: str, hold_ms: int = 200, timeout: int = 30,
                   headers: dict[str, str] | None = None) -> Call:
        """A call placed by a phone of SIP user ``caller`` (digest-authenticated) to ``called``; ``headers``
        go into its authenticated INVITE."""
        extra_headers = "".join(f"      {k}: {v}\n" for k, v in (headers or {}).items())
        failures = "\n".join(f'  <recv response="{code}" optional="true" next="failed"/>'
                              for code in (*FINAL_CODES, 401, 407))
        part = self.sipp(f"phone-call-{secrets.token_hex(3)}", "phone_call.xml",
                         extra=["-au", caller, "-ap", password, "-m", "1", "-timeout", f"{timeout}s", "-timeout_error",
                                f"127.0.0.1:{self.proxy_port}"],
                         substitutions={"EXTRA_HEADERS\n": extra_headers, "FAILURES": failures, "CALLED": called,
                                        "CALLER": caller, "HOLD_MS": str(hold_ms)})
        return Pending(part, time.time(), timeout).end()


@dataclass
class Pending:
    part: Sipp
    started: float
    timeout: int

    def answered(self) -> bool:
        return any(m.startswith("SIP/2.0 200") for _at, m in self.part.received())

    def end(self) -> Call:
        self.part.process.wait(timeout=self.timeout + 10)
        finals = [int(m.split(" ", 2)[1]) for _at, m in self.part.received()
                  if m.startswith("SIP/2.0 ") and int(m.split(" ", 2)[1]) >= 200]
        # the last one: a phone's call gets 407 (the digest challenge) before its answer
        return Call(finals[-1] if finals else 0, self.started, time.time(), self.part)


@dataclass
class Call:
    code: int  # the final answer the caller got (0: none)
    started: float
    ended: float
    part: Sipp

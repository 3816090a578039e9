"""The README's production layout, started for real on this machine: Debian's nginx terminating TLS (a
certificate made now), gunicorn in production mode from deploy/Procfile and deploy/gunicorn.conf.py, a
PostgreSQL database of its own migrated by `flask db upgrade`, Redis for the limits, the mail worker as its
own process, and the suite's SMTP server.

Everything runs unprivileged in a temporary folder on free ports. Whatever fails, every process started is
stopped and the database dropped; a failure to start says which part failed, with its log.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import secrets
import shlex
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PROCFILE = DEPLOY / "Procfile"
NGINX_SITE = DEPLOY / "nginx-site.conf"
NGINX = os.environ.get("USERHUB_E2E_NGINX", "/usr/sbin/nginx")
REDIS_URL = os.environ.get("USERHUB_E2E_REDIS_URL", "redis://127.0.0.1:6379/12")  # its own db number
START_SECONDS = 60
_PLACEHOLDER = re.compile(r"\$\{([A-Z_]+)\}")


def procfile() -> dict[str, list[str]]:
    """deploy/Procfile: process name -> command (as a shell splits it)."""
    commands = {}
    for line in PROCFILE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, command = line.partition(":")
            commands[name.strip()] = shlex.split(command)
    return commands


def python_command(command: list[str]) -> list[str]:
    """`flask ...` / `gunicorn ...` run by this interpreter (python -m), so that the project's own environment
    serves, whatever is first on PATH."""
    return [sys.executable, "-m", command[0], *command[1:]]


def nginx_placeholders() -> set[str]:
    return set(_PLACEHOLDER.findall(NGINX_SITE.read_text()))


def render_nginx_site(values: dict[str, str]) -> str:
    """deploy/nginx-site.conf with its ${NAMES} filled in, as envsubst does; every name must have a value."""
    missing = nginx_placeholders() - values.keys()
    if missing:
        raise RuntimeError(f"no value for {sorted(missing)} in {NGINX_SITE}")
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], NGINX_SITE.read_text())


def production_environment(*, database_url: str, base_url: str, smtp_port: int, redis_url: str,
                           secret_key: str) -> dict[str, str]:
    """The README's `export USERHUB_...` lines, with this run's values (same names: a test checks it).
    The suite's SMTP server speaks plain SMTP without authentication on the loopback."""
    return {
        "USERHUB_ENV": "production",
        "USERHUB_SECRET_KEY": secret_key,
        "USERHUB_DATABASE_URL": database_url,
        "USERHUB_BASE_URL": base_url,
        "USERHUB_RATELIMIT_STORAGE_URL": redis_url,
        "USERHUB_TRUSTED_PROXIES": "1",
        "USERHUB_SMTP_HOST": "127.0.0.1",
        "USERHUB_SMTP_PORT": str(smtp_port),
        "USERHUB_SMTP_TLS": "none",
        "USERHUB_SMTP_USERNAME": "",
        "USERHUB_SMTP_PASSWORD": "",
    }


# Set by the README next to the USERHUB_ settings; read by deploy/gunicorn.conf.py.
GUNICORN_SETTINGS = ("GUNICORN_BIND", "WEB_CONCURRENCY")


def first_organization_commands(organization: str, site_url: str, admin_email: str) -> list[list[str]]:
    """The README's one-time set-up (`flask --app userhub` + these): organization, package, location, admin."""
    return [
        ["create-organization", organization, "--site-url", site_url],
        ["create-package", "webex_calling", "Webex Calling"],
        ["create-location", "--organization", organization, "--name", "Paris", "--country", "FR",
         "--time-zone", "Europe/Paris", "--numbers", "+33 1 84 88 32 00..+33 1 84 88 32 19"],
        ["create-admin", "--organization", organization, "--email", admin_email, "--first-name", "Alice",
         "--last-name", "Admin", "--locale", "fr"],
    ]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_certificate(folder: Path, host: str) -> tuple[Path, Path]:
    """A self-signed certificate for `host` (an IP address or a name), valid for a day."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    try:
        alternative: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        alternative = x509.DNSName(host)
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([alternative]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "site.crt", folder / "site.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_path.chmod(0o600)
    return cert_path, key_path


@dataclass
class _Process:
    name: str
    process: subprocess.Popen[bytes]
    log: Path


@dataclass
class ProductionSite:
    folder: Path
    smtp_port: int
    postgres_url: str  # an administrative connection (database `test`): the run's own database is made here
    host: str = "127.0.0.1"
    https_port: int = field(default_factory=free_port)
    app_port: int = field(default_factory=free_port)
    processes: list[_Process] = field(default_factory=list)
    database: str = ""
    env: dict[str, str] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"https://{self.host}:{self.https_port}"

    # --- start and stop ----------------------------------------------------------------------------

    def start(self) -> None:
        """Start everything; on any failure stop what was started, then raise with the logs that say why."""
        try:
            self._make_database()
            self._prepare_environment()
            commands = procfile()
            self.run(python_command(commands["release"]))  # `flask --app userhub db upgrade`
            self._spawn("gunicorn", python_command(commands["web"]), self.env)
            self._spawn("mail-worker", python_command(commands["mail"]), self.env)
            self._start_nginx()
            self._wait_until_up()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for started in reversed(self.processes):
            if started.process.poll() is None:
                started.process.send_signal(signal.SIGTERM)
        for started in reversed(self.processes):
            try:
                started.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                started.process.kill()
                started.process.wait()
        self.processes.clear()
        self._drop_database()

    def logs(self) -> str:
        """The tail of every log of the run: what to read when something failed."""
        parts = []
        for path in sorted(self.folder.glob("*.log")):
            parts.append(f"--- {path.name} ---\n{path.read_text(errors='replace')[-4000:]}")
        return "\n".join(parts)

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`flask --app userhub ARGS` with the site's production environment."""
        return self.run(python_command(["flask", "--app", "userhub", *args]))

    def run(self, command: list[str]) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120,
                                check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{shlex.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    # --- the parts ---------------------------------------------------------------------------------

    def _make_database(self) -> None:
        import sqlalchemy as sa

        name = f"uh_prod_{os.getpid()}_{secrets.token_hex(4)}"
        engine = sa.create_engine(self.postgres_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        finally:
            engine.dispose()
        self.database = name

    def _drop_database(self) -> None:
        if not self.database:
            return
        import sqlalchemy as sa

        engine = sa.create_engine(self.postgres_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'))
        finally:
            engine.dispose()
        self.database = ""

    def _prepare_environment(self) -> None:
        url = sa_url_with_database(self.postgres_url, self.database)
        # Nothing of the developer's own USERHUB_* settings leaks in: only the README's production settings.
        env = {key: value for key, value in os.environ.items() if not key.startswith("USERHUB_")}
        env.update(production_environment(database_url=url, base_url=self.base_url, smtp_port=self.smtp_port,
                                          redis_url=REDIS_URL, secret_key=secrets.token_urlsafe(48)))
        env.update(dict(zip(GUNICORN_SETTINGS, (f"127.0.0.1:{self.app_port}", "2"), strict=True)))
        env["PYTHONUNBUFFERED"] = "1"
        self.env = env

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log = self.folder / f"{name}.log"
        with log.open("wb") as log_file:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        self.processes.append(_Process(name, process, log))

    def _start_nginx(self) -> None:
        if not (os.path.isfile(NGINX) and os.access(NGINX, os.X_OK)):
            raise RuntimeError(f"nginx not found at {NGINX}: install it with apt-get install -y nginx "
                               "(the suite runs its own, unprivileged; no system service is needed)")
        cert, key = make_certificate(self.folder, self.host)
        site = self.folder / "userhub-site.conf"
        site.write_text(render_nginx_site({
            "LISTEN": f"{self.host}:{self.https_port}", "SERVER_NAME": self.host,
            "CERTIFICATE": str(cert), "CERTIFICATE_KEY": str(key), "UPSTREAM": f"127.0.0.1:{self.app_port}",
            "ACCESS_LOG": str(self.folder / "userhub-access.log"), "ERROR_LOG": str(self.folder / "nginx-error.log"),
        }))
        temp = self.folder / "nginx-temp"
        temp.mkdir()
        # The main configuration a distribution ships, reduced to what an unprivileged nginx needs: its own
        # pid file, logs and temporary folders, the site above included as /etc/nginx/sites-enabled would be.
        main = self.folder / "nginx.conf"
        user = "user root;\n" if os.geteuid() == 0 else ""  # as root, workers would otherwise become nobody
        main.write_text(
            f"{user}daemon off;\nworker_processes 1;\npid {self.folder / 'nginx.pid'};\n"
            f"error_log {self.folder / 'nginx-error.log'} info;\n"
            "events { worker_connections 256; }\n"
            "http {\n"
            f"    access_log {self.folder / 'nginx-access.log'};\n"
            + "".join(f"    {kind}_temp_path {temp / kind};\n"
                      for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
            + f"    include {site};\n}}\n"
        )
        test = subprocess.run([NGINX, "-t", "-p", str(self.folder), "-e", str(self.folder / "nginx-error.log"),
                               "-c", str(main)], capture_output=True, text=True, timeout=30, check=False)
        if test.returncode != 0:
            raise RuntimeError(f"nginx refused its configuration:\n{test.stderr}\n{main.read_text()}\n{site.read_text()}")
        self._spawn("nginx", [NGINX, "-p", str(self.folder), "-e", str(self.folder / "nginx-error.log"),
                              "-c", str(main)], dict(os.environ))

    def _wait_until_up(self) -> None:
        """Wait until /healthz answers 200 through nginx and TLS; say which process died if one did."""
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # our own certificate of the moment
        deadline = time.monotonic() + START_SECONDS
        last_error = "no answer"
        while time.monotonic() < deadline:
            for started in self.processes:
                if started.process.poll() is not None:
                    raise RuntimeError(f"{started.name} stopped ({started.process.returncode}) while the site "
                                       f"was starting:\n{self.logs()}")
            try:
                with urllib.request.urlopen(self.base_url + "/readyz", timeout=3, context=context) as response:
                    if response.status == 200:
                        return
            except urllib.error.HTTPError as exc:
                last_error = f"HTTP {exc.code}"
            except (urllib.error.URLError, ConnectionError, TimeoutError, ssl.SSLError) as exc:
                last_error = str(exc)
            time.sleep(0.3)  # other processes are binding their ports
        raise RuntimeError(f"{self.base_url}/readyz did not answer 200 within {START_SECONDS} s "
                           f"({last_error}):\n{self.logs()}")


def sa_url_with_database(url: str, database: str) -> str:
    """The same server and user, another database."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=database).render_as_string(hide_password=False)

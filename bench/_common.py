"""What the benches share: a database of each kind made and dropped (a SQLite file in a temporary folder,
a private PostgreSQL schema), the load average before and after, percentiles, the CPU time a request
costs (this process, and the PostgreSQL server process serving its connection), and PASS/FAIL next to
each figure.

Used by bench_rules, bench_admin_users, bench_loop_check and bench_load. On a shared machine the wall
clock also counts the time other processes held the CPU: the CPU times are the figures that survive the
load (a loaded machine still inflates them a little: shared caches), the wall clock is the goal's figure
on a quiet machine. Every bench prints the load average before and after so that a reader can tell.
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # a checkout, installed or not

import sqlalchemy as sa  # noqa: E402

POSTGRES_URL = os.environ.get("USERHUB_TEST_POSTGRES_URL",
                              os.environ.get("USERHUB_BENCH_POSTGRES_URL",
                                             "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
BACKENDS = ("sqlite", "postgresql")


def load_average() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def verdict(value: float, goal: float) -> str:
    """PASS when ``value`` is under ``goal`` (each bench says which figure its goal is about)."""
    return "PASS" if value < goal else "FAIL"


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0 to 1) by nearest rank: the figure one of the measured requests took."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


@contextmanager
def bench_run(title: str) -> Iterator[None]:
    """Prints the title with the load average before, and the load average after (also after a failure)."""
    print(f"{title}: {load_average()} before", flush=True)
    try:
        yield
    finally:
        print(f"{title}: {load_average()} after", flush=True)


@contextmanager
def database(backend: str) -> Iterator[str]:
    """The URL of an empty database of that kind, dropped afterwards: a file in a temporary folder, or a
    private schema of the PostgreSQL test database (so that benches and test runs never see each other)."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    if backend != "postgresql":
        raise ValueError(f"unknown database {backend!r} (sqlite or postgresql)")
    schema = f"bench_{os.getpid()}_{secrets.token_hex(4)}"
    admin = sa.create_engine(POSTGRES_URL)
    try:
        with admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        yield f"{POSTGRES_URL}{'&' if '?' in POSTGRES_URL else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def _schedstat_ms(pid: int) -> float | None:
    """CPU time a process has run, ms (Linux schedstat: nanoseconds, unlike /proc/<pid>/stat's 10 ms ticks)."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e6
    except (OSError, ValueError, IndexError):
        return None


class ServerCpu:
    """The CPU time of the PostgreSQL server processes serving an engine's connections, read from /proc
    when the server runs on this machine (as here); None otherwise (SQLite runs in this process, its time
    is in ``time.thread_time``). Parallel workers a query may start are other processes: not counted."""

    def __init__(self, engine: sa.Engine, connection: sa.Connection | None = None) -> None:
        """``connection``: one already open that the measured code uses (a session's); the connections the
        engine opens from now on are added as they open."""
        self.pids: set[int] = set()
        if engine.dialect.name == "postgresql":
            sa.event.listen(engine, "connect", self._remember)
            if connection is not None:
                self.pids.add(connection.execute(sa.text("SELECT pg_backend_pid()")).scalar_one())
            else:
                with engine.connect() as opened:  # the pool's connection the app will use first
                    self.pids.add(opened.execute(sa.text("SELECT pg_backend_pid()")).scalar_one())

    def _remember(self, dbapi_connection: object, _record: object) -> None:
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute("SELECT pg_backend_pid()")
        self.pids.add(cursor.fetchone()[0])
        cursor.close()
        dbapi_connection.rollback()  # type: ignore[attr-defined]  # leave no transaction open behind the pool

    def now_ms(self) -> float | None:
        if not self.pids:
            return None
        times = [_schedstat_ms(pid) for pid in sorted(self.pids)]
        return None if any(t is None for t in times) else sum(t for t in times if t is not None)


@dataclass
class Timing:
    wall: list[float]  # ms
    cpu: list[float]  # this thread's CPU, ms (the app; SQLite works in it)
    server: list[float] | None  # PostgreSQL's server processes, ms, when they can be read

    def work(self) -> list[float]:
        """Each run's own work: this thread's CPU plus the database server's."""
        if self.server is None:
            return list(self.cpu)
        return [c + s for c, s in zip(self.cpu, self.server, strict=True)]


def timed(runs: int, action: Callable[[], object], server: ServerCpu | None = None,
          before_each: Callable[[], object] | None = None) -> Timing:
    """Wall clock, this thread's CPU and the database server's CPU of ``runs`` calls of ``action``."""
    wall, cpu, server_ms = [], [], []
    readable = server is not None and server.now_ms() is not None
    for _ in range(runs):
        if before_each is not None:
            before_each()
        server_start = server.now_ms() if readable and server else None
        start, start_cpu = time.perf_counter(), time.thread_time()
        action()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
        if readable and server:
            end = server.now_ms()
            server_ms.append((end or 0.0) - (server_start or 0.0))
    return Timing(wall, cpu, server_ms if readable else None)

"""Password hashing with argon2id (argon2-cffi).

Each hash takes 64 MiB and, with its 4 lanes, both cores for about a third of a second. A worker computes
at most ``USERHUB_HASHES_AT_ONCE`` (default 1) at a time, in its own hashing threads whose scheduling
priority is lowered (Linux: nice +10, per thread): the other sign-ins wait their turn, and while they
hash, page views of every worker take the CPU first instead of queueing behind them (a morning rush:
bench/bench_load.py). The hash itself is not weakened, and the wait is the same whether the account
exists or not.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

# RFC 9106 "low memory" (t=3, m=64 MiB, p=4) passes OWASP's argon2id table; "test" is for the suite only.
_PROFILES = {
    "rfc9106_low_memory": profiles.RFC_9106_LOW_MEMORY,
    "test": profiles.CHEAPEST,
}
_DUMMY_PASSWORD = "not-a-real-password-but-hashed-the-same-way"
HASHING_NICE = 10  # added to the hashing threads' nice value; argon2's lane threads inherit it
T = TypeVar("T")
_POOL_LOCK = threading.Lock()


def _lower_priority() -> None:
    """Run this thread (a hashing thread) after page views. Linux sets the nice value per thread; elsewhere
    the call would change the whole process, so it is skipped."""
    if sys.platform == "linux":
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(),
                           min(19, os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) + HASHING_NICE))
        except OSError:
            pass  # not allowed here: hash at the normal priority


def _pool() -> ThreadPoolExecutor:
    """This worker's hashing threads (created in the worker after gunicorn forks, never at import)."""
    found = current_app.extensions.get("userhub_hash_pool")
    if found is None or found[0] != os.getpid():
        with _POOL_LOCK:
            found = current_app.extensions.get("userhub_hash_pool")
            if found is None or found[0] != os.getpid():
                at_once = max(1, int(current_app.config.get("USERHUB_HASHES_AT_ONCE", 1)))
                found = (os.getpid(), ThreadPoolExecutor(at_once, "userhub-hash", initializer=_lower_priority))
                current_app.extensions["userhub_hash_pool"] = found
    return found[1]


def _in_turn(work: Callable[[], T]) -> T:
    return _pool().submit(work).result()


def _hasher() -> PasswordHasher:
    name = current_app.config["USERHUB_ARGON2_PROFILE"]
    cache = current_app.extensions.setdefault("userhub_hashers", {})
    if name not in cache:
        cache[name] = PasswordHasher.from_parameters(_PROFILES[name])
    return cache[name]


def hash_password(password: str) -> str:
    hasher = _hasher()
    return _in_turn(lambda: hasher.hash(password))


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches. With no hash, spend the same time and answer False,
    so that timing does not tell an unknown or invited account from a wrong password."""
    hasher = _hasher()
    if not password_hash:
        dummy = current_app.extensions.setdefault("userhub_dummy_hash", {})
        if hasher not in dummy:
            dummy[hasher] = _in_turn(lambda: hasher.hash(_DUMMY_PASSWORD))
        _safe_verify(hasher, dummy[hasher], password)
        return False
    return _safe_verify(hasher, password_hash, password)


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def _safe_verify(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    def verify() -> bool:
        try:
            return hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
    return _in_turn(verify)

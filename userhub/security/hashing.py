"""Password hashing with argon2id (argon2-cffi).

Each hash takes 64 MiB and about a third of a second of both cores. A worker computes at most
``USERHUB_HASHES_AT_ONCE`` (default 1) at a time; the other sign-ins of that worker wait their turn
while its threads go on serving page views, instead of all the threads hashing at once and every page
view of the machine queueing behind them (a morning rush: bench/bench_load.py). The hash itself is not
weakened, and the wait is the same whether the account exists or not.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
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
T = TypeVar("T")
_SLOTS_LOCK = threading.Lock()


def _slots() -> threading.BoundedSemaphore:
    """This worker's hashing slots (each forked worker has its own: the app's extensions dict)."""
    slots = current_app.extensions.get("userhub_hash_slots")
    if slots is None:
        with _SLOTS_LOCK:
            slots = current_app.extensions.get("userhub_hash_slots")
            if slots is None:
                at_once = max(1, int(current_app.config.get("USERHUB_HASHES_AT_ONCE", 1)))
                slots = current_app.extensions["userhub_hash_slots"] = threading.BoundedSemaphore(at_once)
    return slots


def _in_turn(work: Callable[[], T]) -> T:
    with _slots():
        return work()


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

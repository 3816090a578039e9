"""Password hashing with argon2id (argon2-cffi)."""

from __future__ import annotations

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

# RFC 9106 "low memory" (t=3, m=64 MiB, p=4) passes OWASP's argon2id table; "test" is for the suite only.
_PROFILES = {
    "rfc9106_low_memory": profiles.RFC_9106_LOW_MEMORY,
    "test": profiles.CHEAPEST,
}
_DUMMY_PASSWORD = "not-a-real-password-but-hashed-the-same-way"


def _hasher() -> PasswordHasher:
    name = current_app.config["USERHUB_ARGON2_PROFILE"]
    cache = current_app.extensions.setdefault("userhub_hashers", {})
    if name not in cache:
        cache[name] = PasswordHasher.from_parameters(_PROFILES[name])
    return cache[name]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches. With no hash, spend the same time and answer False,
    so that timing does not tell an unknown or invited account from a wrong password."""
    hasher = _hasher()
    if not password_hash:
        dummy = current_app.extensions.setdefault("userhub_dummy_hash", {})
        if hasher not in dummy:
            dummy[hasher] = hasher.hash(_DUMMY_PASSWORD)
        _safe_verify(hasher, dummy[hasher], password)
        return False
    return _safe_verify(hasher, password_hash, password)


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def _safe_verify(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False

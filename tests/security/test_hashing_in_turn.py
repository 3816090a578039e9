"""A worker computes at most USERHUB_HASHES_AT_ONCE password hashes at a time, at a lower scheduling
priority: the other threads that need one wait their turn, and page views go first (a morning rush of
sign-ins then does not take every core from them)."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from userhub.security import hashing


class _Watched:
    """The real argon2 hasher of the app, counting how many of its calls run at the same moment."""

    def __init__(self, real) -> None:  # type: ignore[no-untyped-def]
        self.real, self.running, self.most = real, 0, 0
        self.lock = threading.Lock()
        self.entered = threading.Event()
        self.nice: set[int] = set()

    def _watch(self, work):  # type: ignore[no-untyped-def]
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
            self.nice.add(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        self.entered.set()
        try:
            # Give the other threads every chance to come in too if nothing stopped them.
            threading.Event().wait(0.05)
            return work()
        finally:
            with self.lock:
                self.running -= 1

    def hash(self, password: str) -> str:
        return self._watch(lambda: self.real.hash(password))

    def verify(self, password_hash: str, password: str) -> bool:
        return self._watch(lambda: self.real.verify(password_hash, password))

    def check_needs_rehash(self, password_hash: str) -> bool:
        return self.real.check_needs_rehash(password_hash)


@pytest.mark.parametrize("at_once", [1, 3])
def test_hashes_wait_their_turn(app, monkeypatch, at_once):
    app.config["USERHUB_HASHES_AT_ONCE"] = at_once
    app.extensions.pop("userhub_hash_pool", None)
    with app.app_context():
        watched = _Watched(hashing._hasher())
        monkeypatch.setattr(hashing, "_hasher", lambda: watched)
        stored = hashing.hash_password("correct horse")
    results: list[bool] = []

    def sign_in(password: str) -> None:
        with app.app_context():
            results.append(hashing.verify_password(stored, password))
            results.append(hashing.verify_password(None, password))  # unknown account: same work, same turn

    threads = [threading.Thread(target=sign_in, args=("correct horse" if i % 2 else "wrong",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert watched.most <= at_once
    assert sorted(results) == [False] * 12 + [True] * 4  # every sign-in was answered, rightly


def test_a_hash_still_verifies_and_the_turns_are_released(app):
    with app.app_context():
        for _ in range(3):  # a slot left taken would block the second round with one slot
            stored = hashing.hash_password("correct horse")
            assert hashing.verify_password(stored, "correct horse")
            assert not hashing.verify_password(stored, "wrong horse")


@pytest.mark.skipif(sys.platform != "linux", reason="the nice value is per thread on Linux only")
def test_hashes_run_after_page_views(app, monkeypatch):
    app.extensions.pop("userhub_hash_pool", None)
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    with app.app_context():
        watched = _Watched(hashing._hasher())
        monkeypatch.setattr(hashing, "_hasher", lambda: watched)
        assert hashing.verify_password(hashing.hash_password("correct horse"), "correct horse")
    assert watched.nice == {min(19, mine + hashing.HASHING_NICE)}
    # the request's own thread keeps its priority
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine

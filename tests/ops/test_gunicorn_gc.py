"""deploy/gunicorn.conf.py: a worker freezes what loading the application made, so that the garbage
collector's full passes no longer walk it in the middle of a request (the call decision's tail)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A worker's life in short: load the app, then gunicorn's post_worker_init hook from the deploy configuration.
WORKER = """
import gc, runpy, time
from userhub import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "USERHUB_WARM_UP": False, "USERHUB_SECRET_KEY": "k" * 48})
before = gc.get_freeze_count()
runpy.run_path("deploy/gunicorn.conf.py")["post_worker_init"](None)
started = time.process_time()
gc.collect()
print(before, gc.get_freeze_count(), len(gc.get_objects()), time.process_time() - started)
"""


def test_a_worker_freezes_the_loaded_application() -> None:
    done = subprocess.run([sys.executable, "-c", WORKER], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    before, frozen, tracked, _seconds = done.stdout.split()
    assert int(before) == 0
    assert int(frozen) > 50_000  # the application's objects
    assert int(tracked) < int(frozen) // 10  # what a full collection still walks

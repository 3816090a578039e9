"""A gunicorn config for the screenshot run only (`python -m e2e.screenshots`; never in production, nor in the
suite's ordinary runs): an import job waits between its chunks while a gate file exists, so that its progress
page can be pictured half-way ("20 of 30", the time left) however fast the machine is.

e2e/liveserver.py passes it to gunicorn (`-c`) with the gate's path in E2E_JOB_GATE when USERHUB_E2E_SCREENSHOTS
is set; the test creates the file before the upload and removes it once the picture is taken. The wait is
bounded: a forgotten gate delays an import by a minute, it never hangs the run."""

from __future__ import annotations

import os
import time
from typing import Any

GATE = os.environ.get("E2E_JOB_GATE", "")
LONGEST_WAIT = 60.0


def post_worker_init(worker: Any) -> None:
    """In each worker, once the app is loaded: wrap the jobs' runner of one chunk (run_job calls it by name)."""
    from userhub.admin import jobs

    run_chunk = jobs.run_chunk

    def held(job: Any) -> bool:
        if GATE and job.kind == "import" and job.done > 0:
            deadline = time.monotonic() + LONGEST_WAIT
            while os.path.exists(GATE) and time.monotonic() < deadline:
                time.sleep(0.1)
        return run_chunk(job)

    jobs.run_chunk = held

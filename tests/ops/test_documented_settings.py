"""Every USERHUB_* environment variable that config.py reads is explained in the README."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_in_the_readme():
    source = (ROOT / "userhub" / "config.py").read_text()
    names = {f"USERHUB_{n}" for n in re.findall(r'_env(?:_int|_bool)?\("([A-Z0-9_]+)"', source)}
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"USERHUB_[A-Z0-9_]+", readme))
    # The SMTP settings share one row: `USERHUB_SMTP_HOST`, `_PORT`, ...
    documented |= {f"USERHUB_SMTP_{part}" for part in re.findall(r"`_([A-Z]+)`", readme)}
    assert len(names) > 20
    assert sorted(names - documented) == []

"""One list of emergency numbers: what userhub sends to the gateway while it answers is what the proxy
sends on its own when userhub does not (kamailio.cfg's EMERGENCY_NUMBERS default)."""

from __future__ import annotations

import re
from pathlib import Path

from userhub.sip.outbound import EMERGENCY_NUMBERS

CONFIG = Path(__file__).resolve().parents[2] / "kamailio" / "kamailio.cfg"


def test_the_proxy_and_userhub_know_the_same_emergency_numbers():
    [pattern] = re.findall(r'^#!define EMERGENCY_NUMBERS "\^\((.*)\)\$"$', CONFIG.read_text(), flags=re.M)
    assert set(pattern.split("|")) == set(EMERGENCY_NUMBERS)

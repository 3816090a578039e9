"""The SIP test parts clean up after themselves: a proxy that fails to start leaves no process behind."""

from __future__ import annotations

import pytest

from .harness import Lab


def test_a_proxy_that_fails_to_start_leaves_no_process(userhub_server, tmp_path):  # type: ignore[no-untyped-def]
    lab = Lab(tmp_path, userhub_server.url, "no-token")
    try:
        with pytest.raises(RuntimeError, match="Kamailio stopped while starting"):
            lab.start(defines=["WITH_DMQ"])  # DMQ without its socket and addresses: the configuration is refused
    finally:
        lab.stop()
    assert lab.kamailio is not None and lab.parts, "nothing was started"
    assert lab.kamailio.poll() is not None
    assert all(part.process.poll() is not None for part in lab.parts)  # the gateway and voicemail SIPp too

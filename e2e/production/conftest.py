"""The production topology (topology.py), started once for this folder's tests, and a browser context that
accepts its certificate of the moment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from e2e.conftest import TIMEOUT_MS, _server_logs
from e2e.liveserver import free_port
from e2e.mailcatcher import Mail, start_smtp_server
from e2e.production.topology import ProductionSite

POSTGRES_URL = os.environ.get("USERHUB_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="module")
def production_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ProductionSite, Mail]]:
    """The site, and the mail its worker sent to the suite's SMTP server."""
    if os.environ.get("USERHUB_E2E_BASE_URL"):
        pytest.skip("deployed mode: the production topology is started only in local mode")
    controller, collector = start_smtp_server("127.0.0.1", free_port())
    folder = tmp_path_factory.mktemp("userhub-production")
    site = ProductionSite(folder, smtp_port=controller.port, postgres_url=POSTGRES_URL)
    for name in ("gunicorn", "mail-worker", "nginx-error"):  # printed at the end of a failed run
        _server_logs.append(folder / f"{name}.log")
    try:
        failure = ""
        try:
            site.start()  # stops what it started and raises with the logs when a part fails
        except Exception as exc:
            failure = f"the production topology did not start: {exc}"
        if failure:
            pytest.fail(failure, pytrace=False)
        yield site, Mail(collector)
    finally:
        site.stop()
        controller.stop()


@pytest.fixture
def https_context(_browser: Any) -> Iterator[Any]:
    """A fresh French browser context that accepts the site's self-signed certificate."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = _browser.new_context(locale="fr-FR", ignore_https_errors=True,
                                   extra_http_headers={"Accept-Language": "fr-FR"})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context
    finally:
        context.close()

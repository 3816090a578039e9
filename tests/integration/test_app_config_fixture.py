"""The app_config fixture (tests/conftest.py) takes settings through an indirect parameter."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "app_config",
    [{"USERHUB_BASE_URL": "https://other.example.org", "BABEL_DEFAULT_LOCALE": "fr"}],
    indirect=True,
)
def test_an_indirect_parameter_is_merged_into_the_settings(app, app_config):
    assert app.config["USERHUB_BASE_URL"] == "https://other.example.org"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "fr"
    assert app.config["TESTING"] is True  # merged into the testing settings, not replacing them


def test_without_a_parameter_the_testing_settings_stand(app):
    assert app.config["USERHUB_BASE_URL"] == "https://hub.example.com"

"""The app's gettext (userhub.i18n) finds the request's catalogue once, and still follows every change of
language: the reader's, an email's recipient's (force_locale), and a language chosen mid-request."""

from __future__ import annotations

from flask import render_template_string, session
from flask_babel import force_locale, refresh

from userhub.i18n import gettext, lazy_gettext, ngettext

LABEL = lazy_gettext("Save")  # as forms define their labels, at import time


def test_code_and_templates_speak_the_readers_language(app):
    # each request in its own application context, as when serving (the fixture keeps one open)
    with app.app_context(), app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert gettext("Save") == "Enregistrer"
        assert str(LABEL) == "Enregistrer"
        assert render_template_string('{{ _("Save") }}') == "Enregistrer"
    with app.app_context(), app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert gettext("Save") == "Save"
        assert str(LABEL) == "Save"


def test_an_email_in_the_recipients_language_and_back(app):
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert gettext("Save") == "Enregistrer"
        with force_locale("en"):
            assert gettext("Save") == "Save"
            assert render_template_string('{{ _("Save") }}') == "Save"
        assert gettext("Save") == "Enregistrer"
        assert render_template_string('{{ _("Save") }}') == "Enregistrer"


def test_a_language_chosen_during_the_request(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert gettext("Save") == "Save"
        session["locale"] = "fr"
        refresh()
        assert gettext("Save") == "Enregistrer"


def test_values_and_plurals(app):
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert ngettext("%(num)d user added", "%(num)d users added", 1) == "1 utilisateur ajouté"
        assert ngettext("%(num)d user added", "%(num)d users added", 3) == "3 utilisateurs ajoutés"
        assert gettext("%(name)s is already on a call", name="Jane") == "Jane est déjà en communication"


def test_outside_a_request_the_source_text(app):
    assert gettext("Save") == "Save"
    assert ngettext("%(num)d ring", "%(num)d rings", 2) == "2 rings"

"""One heading pattern (issue 13): every page of Settings > Calling names what it shows or edits in its
one h1 (« Sonnerie simultanée – nouvelle règle »), never the generic area name "Calling" / « Appel ». A dash, not
a colon, joins the feature and the rule: three French feature names hold a colon (« Appels sélectifs : rejet »)."""

from __future__ import annotations

import html
import re

from userhub.calling import registry

from .conftest import save_rule

RULE = {"name": "Démarcheurs", "rule": "on", "calls_from": "any", "schedule": ""}


def h1s(client, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, url
    text = html.unescape(response.get_data(as_text=True))
    return [re.sub(r"<[^>]+>|[ \t\n]+", " ", h).strip() for h in re.findall(r"<h1[^>]*>(.*?)</h1>", text, re.S)]


def test_every_feature_page_and_sub_page_names_what_it_edits(me_client):
    with_rules = [f for f in registry.features() if f.criteria is not None]
    assert len(with_rules) >= 6  # simultaneous and sequential ring, selective ones, priority alert...
    for feature in with_rules:
        assert save_rule(me_client, feature.key, RULE).status_code == 302, feature.key
    pages: dict[str, str] = {}
    for feature in registry.features():
        label = str(feature.label)
        base = f"/settings/calling/{feature.key}"
        pages[base] = label
        if feature.criteria is not None:
            pages[f"{base}/rules/new"] = f"{label} – new rule"
            pages[f"{base}/rules/0"] = f"{label} – rule “Démarcheurs”"
            pages[f"{base}/rules/0/delete"] = f"{label} – delete a rule"
    pages["/settings/calling"] = "Call settings"
    pages["/settings/calling/history"] = "History of call settings"
    for url, heading in pages.items():
        assert h1s(me_client, url) == [heading], url


def test_no_page_of_the_calling_tabs_has_the_generic_heading(me_client):
    """The tabs' pages and what they link to: schedules, voicemail, contacts and their sub-pages."""
    urls = ["/settings/calling", "/settings/calling/schedules", "/settings/calling/schedules/new",
            "/settings/calling/voicemail", "/settings/calling/contacts", "/settings/calling/history"]
    for url in urls:
        found = h1s(me_client, url)
        assert len(found) == 1 and found[0] not in ("Calling", "Appel"), (url, found)


def test_the_rule_editor_heading_in_french(me_client):
    me_client.post("/language", data={"locale": "fr"})
    assert h1s(me_client, "/settings/calling/simultaneous-ring/rules/new") == ["Sonnerie simultanée – nouvelle règle"]
    assert save_rule(me_client, "simultaneous-ring", RULE).status_code == 302
    assert h1s(me_client, "/settings/calling/simultaneous-ring/rules/0") == [
        "Sonnerie simultanée – règle «\u00a0Démarcheurs\u00a0»"]

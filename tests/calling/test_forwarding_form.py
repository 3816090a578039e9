"""Call forwarding's form: one choice per group between ringing the number and its voicemail, messages that
name their group, details that JavaScript may fold (all present in the HTML)."""

from __future__ import annotations

import re

from .conftest import save

URL = "/settings/calling/call-forwarding"
GROUPS = ("always", "busy", "no_answer", "business_continuity")


def test_each_group_offers_one_choice_between_the_number_and_its_voicemail(me_client) -> None:
    html = me_client.get(URL).get_data(as_text=True)
    for group in GROUPS:
        radios = re.findall(rf'<input[^>]*name="{group}_to_voicemail"[^>]*>', html)
        assert len(radios) == 2 and all('type="radio"' in r for r in radios), group
        assert sum("checked" in r for r in radios) == 1 and 'value="n"' in next(r for r in radios if "checked" in r)
        # Without JavaScript the details are in the page; the script folds them under the group's switch.
        assert f'id="{group}-details" data-shown-by="{group}_enabled"' in html
    assert "js/forwarding-groups.js" in html
    assert 'type="checkbox" name="busy_to_voicemail"' not in html


def test_voicemail_choice_is_saved_and_shown_and_nonsense_is_refused(me_client, stored, me) -> None:
    data = {"busy_enabled": "y", "busy_destination": "0634333211", "busy_to_voicemail": "y", "no_answer_rings": "3"}
    assert save(me_client, "call-forwarding", data).status_code == 302
    assert stored(me, "call-forwarding").values.busy_to_voicemail is True
    html = me_client.get(URL).get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*name="busy_to_voicemail"[^>]*value="y"|'
                     r'<input[^>]*name="busy_to_voicemail"[^>]*value="y"[^>]*checked', html)
    # Both at once is not a choice the form knows: refused, nothing stored.
    response = save(me_client, "call-forwarding", {**data, "busy_to_voicemail": "both"}, version="1")
    assert response.status_code == 400
    assert stored(me, "call-forwarding").version == 1
    assert save(me_client, "call-forwarding", {**data, "busy_to_voicemail": "n"}, version="1").status_code == 302
    assert stored(me, "call-forwarding").values.busy_to_voicemail is False


def test_each_error_names_its_group(me_client, stored, me) -> None:
    response = save(me_client, "call-forwarding", {"busy_enabled": "y", "no_answer_enabled": "y", "no_answer_rings": "30"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "When busy: Enter the number to forward to." in html
    assert "When no answer: Enter the number to forward to." in html
    assert "When no answer: Enter a number of rings between 2 and 20." in html
    assert stored(me, "call-forwarding").version == 0


def test_errors_name_their_group_in_french(me_client, me) -> None:
    me.locale = "fr"
    from userhub.extensions import db

    db.session.commit()
    html = save(me_client, "call-forwarding", {"busy_enabled": "y", "no_answer_rings": "3"}).get_data(as_text=True)
    assert "En cas d’occupation\u202f: Saisissez le numéro de renvoi." in html
    # The summary at the top names the field, with the same French colon (it read "Renvoyer vers: ...").
    assert "Renvoyer vers\u00a0: En cas d’occupation\u202f: Saisissez le numéro de renvoi." in html
    assert "Envoyer directement vers la messagerie vocale de ce numéro" in html

"""Deleting a speed dial or a contact asks first: the list links to a confirmation page (no JavaScript),
whose form deletes; opening the page deletes nothing."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from userhub.contacts import services, speed_dials
from userhub.contacts.models import Contact, SpeedDial
from userhub.extensions import db


def _exists(model, row_id: int) -> bool:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return db.session.scalar(select(model.id).where(model.id == row_id)) is not None


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.get_data(as_text=True))


def _headings(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", _text(response), re.S)]


def test_a_speed_dial_is_deleted_after_confirmation(employee_client, employee):
    entry = speed_dials.add_speed_dial(employee, "07", "+33634333211", "Mobile")
    entry_id = entry.id
    url = f"/settings/calling/contacts/speed-dials/{entry_id}/delete"
    listing = _text(employee_client.get("/settings/calling/contacts"))
    assert f'href="{url}"' in listing and f'action="{url}"' not in listing  # a link to the question, not a delete
    page = employee_client.get(url)
    assert page.status_code == 200 and "Delete speed dial 07?" in _text(page) and '<form method="post"' in _text(page)
    assert _headings(page) == ["Delete speed dial 07?"]  # the question once, as the page's title
    assert _exists(SpeedDial, entry_id)  # asking deletes nothing
    assert employee_client.post(url).status_code == 302
    assert not _exists(SpeedDial, entry_id)


def test_a_contact_is_deleted_after_confirmation_in_french(employee_client, employee, other_client):
    contact = services.save_contact(employee, "Léa Moreau", [services.NumberInput("mobile", "+33634333212")])
    contact_id = contact.id
    url = f"/settings/calling/contacts/{contact_id}/delete"
    assert other_client.get(url).status_code in (403, 404)  # nobody else's question either
    employee_client.post("/language", data={"locale": "fr"})
    page = _text(employee_client.get(url))
    assert "Supprimer le contact Léa Moreau\u00a0?" in page and "«\u00a0Léa Moreau\u00a0» sera supprimé" in page
    assert _exists(Contact, contact_id)
    assert employee_client.post(url).status_code == 302
    assert not _exists(Contact, contact_id)

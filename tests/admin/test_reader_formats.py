"""Numbers, dates and time zones as the reader reads them in their language (Babel), not as stored."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from userhub.admin.models import PackageAssignment
from userhub.extensions import db


def _page(client, url: str) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(client.get(url).get_data(as_text=True))


def test_billing_shows_dates_and_user_days_in_the_readers_language(admin_client, organization, packages):
    for user_id in range(1, 1101):  # 1,100 people the whole period: 67,100 user-days
        db.session.add(PackageAssignment(organization_id=organization.id, user_id=user_id,
                                         user_email=f"{user_id}@x.example.com", package_id=packages["webex_suite"].id,
                                         started_at=datetime(2026, 10, 1, tzinfo=UTC), ended_at=None))
    db.session.commit()
    url = "/admin/billing?start=2026-11-01&end=2026-12-31"
    english = _page(admin_client, url)
    assert "From November 1, 2026 to December 31, 2026" in english and "67,100.00" in english
    admin_client.post("/language", data={"locale": "fr"})
    french = _page(admin_client, url)
    assert "Du 1 novembre 2026 au 31 décembre 2026" in french
    assert "67\u202f100,00" in french and "67100.0" not in french and "2026-11-01</" not in french


def test_time_zones_are_named_not_shown_as_ids(admin_client, paris):
    english = _page(admin_client, "/admin/locations")
    assert "Central European Time" in english and "Europe/Paris" not in english
    admin_client.post("/language", data={"locale": "fr"})
    assert "heure d’Europe centrale" in _page(admin_client, f"/admin/locations/{paris.id}")


def test_the_new_location_form_names_its_time_zones_in_the_readers_language(admin_client):
    """The zone menu reads "Central European Time (Berlin)", not "Europe/Berlin"; its values stay the ids."""
    english = _page(admin_client, "/admin/locations/new")
    assert '<option value="Europe/Berlin">Central European Time (Berlin)</option>' in english
    assert ">Europe/Berlin<" not in english and ">UTC<" in english
    admin_client.post("/language", data={"locale": "fr"})
    french = _page(admin_client, "/admin/locations/new")
    assert '<option selected value="Europe/Paris">heure d’Europe centrale (Paris)</option>' in french
    assert '<option value="Europe/London">heure\u00a0: Royaume-Uni (Londres)</option>' in french
    assert admin_client.post("/admin/locations/new", data={"name": "Berlin", "country": "DE",
                                                           "time_zone": "Europe/Berlin"}).status_code == 302
    assert "heure d’Europe centrale (Berlin)" in _page(admin_client, "/admin/locations")

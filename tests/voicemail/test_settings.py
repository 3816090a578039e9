"""Voicemail settings page: defaults, ranges, addresses and numbers, stale saves, isolation, cascade."""

from __future__ import annotations

import pytest

from tests.voicemail.conftest import settings_data
from userhub.extensions import db
from userhub.voicemail.models import VoicemailSettings


def _row(user_id: int) -> VoicemailSettings | None:
    db.session.expire_all()
    return db.session.get(VoicemailSettings, user_id)


def _stored(user_id: int) -> VoicemailSettings:
    """What the user has: the saved row, or the defaults (not stored until the first save)."""
    from userhub.accounts.models import User
    from userhub.voicemail.services import get_settings

    return _row(user_id) or get_settings(db.session.get(User, user_id))


def test_the_page_shows_the_reference_defaults_and_a_save_bumps_the_version(employee_client, employee):
    page = employee_client.get("/settings/calling/voicemail")
    assert page.status_code == 200
    assert 'name="unanswered_rings" type="number" value="3"' in page.text or 'value="3"' in page.text
    assert _row(employee.id) is None  # reading the page stores nothing
    settings = _stored(employee.id)
    assert (settings.enabled, settings.send_busy_calls, settings.send_unanswered_calls,
            settings.unanswered_rings, settings.storage) == (True, False, True, 3, "internal")
    saved = employee_client.post("/settings/calling/voicemail",
                                 data=settings_data(1, send_busy_calls="y", unanswered_rings="5"))
    assert saved.status_code == 302
    settings = _stored(employee.id)
    assert (settings.send_busy_calls, settings.unanswered_rings, settings.version) == (True, 5, 2)


@pytest.mark.parametrize(("rings", "accepted"), [("1", False), ("2", True), ("20", True), ("21", False)])
def test_rings_before_voicemail_go_from_2_to_20(employee_client, employee, rings, accepted):
    employee_client.get("/settings/calling/voicemail")
    response = employee_client.post("/settings/calling/voicemail", data=settings_data(unanswered_rings=rings))
    assert response.status_code == (302 if accepted else 400)
    assert _stored(employee.id).unanswered_rings == (int(rings) if accepted else 3)
    if not accepted:
        assert "Choose between 2 and 20 rings." in response.text
        assert f'value="{rings}"' in response.text  # what was typed is kept


def test_bad_addresses_and_numbers_are_refused_field_by_field_and_nothing_is_stored(employee_client, employee):
    employee_client.get("/settings/calling/voicemail")
    response = employee_client.post("/settings/calling/voicemail", data=settings_data(
        notifications_enabled="y", notification_email="jane@@example.com", transfer_enabled="y",
        transfer_number="12", storage="external", external_email="", send_all_calls="y"))
    assert response.status_code == 400
    assert "is not a valid email address" in response.text
    assert "“12” is not a valid phone number." in response.text
    assert 'id="external_email-error"' in response.text and 'aria-describedby="external_email-hint external_email-error"' in response.text
    settings = _stored(employee.id)
    assert (settings.send_all_calls, settings.notifications_enabled, settings.version) == (False, False, 1)


def test_transfer_number_is_parsed_with_the_location_country_and_shown_formatted(employee_client, employee):
    employee_client.get("/settings/calling/voicemail")
    response = employee_client.post("/settings/calling/voicemail", data=settings_data(
        transfer_enabled="y", transfer_number="06 34 33 32 11", email_copy_enabled="y",
        email_copy_address="Jane.Copy@Example.com"))
    assert response.status_code == 302
    settings = _stored(employee.id)
    assert (settings.transfer_number, settings.email_copy_address) == ("+33634333211", "jane.copy@example.com")
    assert 'value="06 34 33 32 11"' in employee_client.get("/settings/calling/voicemail").text


def test_a_save_from_an_out_of_date_page_is_refused_with_the_current_values(employee_client, employee):
    employee_client.get("/settings/calling/voicemail")
    assert employee_client.post("/settings/calling/voicemail", data=settings_data(1, unanswered_rings="7")).status_code == 302
    stale = employee_client.post("/settings/calling/voicemail", data=settings_data(1, unanswered_rings="9"))
    assert stale.status_code == 409
    assert 'id="conflict"' in stale.text and "Your changes were not saved" in stale.text
    assert 'value="7"' in stale.text and 'name="version" type="hidden" value="2"' in stale.text
    assert _stored(employee.id).unanswered_rings == 7


def test_fax_messaging_only_where_the_organization_allows_it(employee_client, employee):
    from userhub.voicemail.services import set_fax_messaging

    assert "Fax number" not in employee_client.get("/settings/calling/voicemail").text
    employee_client.post("/settings/calling/voicemail", data=settings_data(fax_enabled="y", fax_number="01 84 88 32 09"))
    assert _stored(employee.id).fax_enabled is False  # ignored: not allowed
    set_fax_messaging(employee.organization, True)
    assert "Fax number" in employee_client.get("/settings/calling/voicemail").text
    saved = employee_client.post("/settings/calling/voicemail",
                                 data=settings_data(2, fax_enabled="y", fax_number="01 84 88 32 09"))
    assert saved.status_code == 302
    assert (_stored(employee.id).fax_enabled, _stored(employee.id).fax_number) == (True, "+33184883209")


def test_each_user_only_ever_sees_and_changes_their_own_settings(employee_client, employee, other_client):
    employee_client.get("/settings/calling/voicemail")
    other_client.post("/settings/calling/voicemail", data=settings_data(1, unanswered_rings="12", user_id=employee.id))
    assert _stored(employee.id).unanswered_rings == 3
    assert 'value="12"' not in employee_client.get("/settings/calling/voicemail").text


def test_deleting_the_user_deletes_their_voicemail_data(employee_client, employee):
    from userhub.voicemail.models import VoicemailPin
    from userhub.voicemail.pin import set_pin

    assert employee_client.post("/settings/calling/voicemail", data=settings_data()).status_code == 302
    set_pin(employee, "582049")
    user_id = employee.id
    assert _row(user_id) is not None
    db.session.delete(employee)
    db.session.commit()
    assert _row(user_id) is None
    assert db.session.query(VoicemailPin).filter_by(user_id=user_id).count() == 0


def test_routing_reads_the_defaults_then_what_the_user_saved(employee_client, employee):
    from userhub.voicemail.for_routing import VoicemailForRouting, voicemail_for_routing

    assert voicemail_for_routing(employee.id) == VoicemailForRouting(True, False, False, True, 3)
    employee_client.get("/settings/calling/voicemail")
    employee_client.post("/settings/calling/voicemail", data=settings_data(
        send_busy_calls="y", send_unanswered_calls=None, unanswered_rings="6"))
    db.session.expire_all()
    assert voicemail_for_routing(employee.id) == VoicemailForRouting(True, False, True, False, 6)


def test_the_version_check_is_in_the_update_itself_not_at_the_commit(employee, monkeypatch):
    """errors.StalePage: the service refuses a stale save when it writes, wherever the commit happens (the
    request's edge, issue #14), even when someone saves between its read and its write."""
    from sqlalchemy import update

    from userhub.voicemail import services

    services.save_settings(employee, services.VoicemailInput(version=1, unanswered_rings=5))
    checked = services._checked

    def someone_saves_meanwhile(user, data):  # type: ignore[no-untyped-def]
        # Another request's save, unseen by this session's objects (as from another connection).
        db.session.execute(update(VoicemailSettings).where(VoicemailSettings.user_id == user.id)
                           .values(version=VoicemailSettings.version + 1, unanswered_rings=7)
                           .execution_options(synchronize_session=False))
        return checked(user, data)

    monkeypatch.setattr(services, "_checked", someone_saves_meanwhile)
    monkeypatch.setattr(db.session, "commit", lambda: None)  # the commit is not the service's
    with pytest.raises(services.StaleSettings) as stale:
        services.save_settings(employee, services.VoicemailInput(version=2, unanswered_rings=9))
    assert stale.value.status == 409
    monkeypatch.undo()
    assert _stored(employee.id).unanswered_rings != 9


def test_a_stale_save_stores_none_of_its_greetings(employee, monkeypatch):
    """The 409 page is drawn in the stale request's own transaction: a greeting sent with a page that was
    out of date must not be stored there, or that page would offer a file that is about to vanish."""
    from sqlalchemy import update

    from userhub.voicemail import services
    from userhub.voicemail.models import GreetingKind

    from .route_samples import _wav

    services.save_settings(employee, services.VoicemailInput(version=1, unanswered_rings=5))
    checked = services._checked

    def someone_saves_meanwhile(user, data):  # type: ignore[no-untyped-def]
        db.session.execute(update(VoicemailSettings).where(VoicemailSettings.user_id == user.id)
                           .values(version=VoicemailSettings.version + 1)
                           .execution_options(synchronize_session=False))
        return checked(user, data)

    monkeypatch.setattr(services, "_checked", someone_saves_meanwhile)
    with pytest.raises(services.StaleSettings):
        services.save_settings(employee, services.VoicemailInput(
            version=2, busy_greeting="custom", greeting_files={"busy": ("phantom.wav", _wav())}))
    assert services.greeting_audio(employee, GreetingKind.BUSY) is None

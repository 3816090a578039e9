"""Routes of the voicemail area: settings with their greetings (one form), playback and removal of a
greeting, and the access code (PIN)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..errors import show_on
from ..i18n import gettext as _
from ..phones import format_number
from ..security.access import own_data
from . import pin, services
from .blueprint import bp
from .forms import PinForm, VoicemailSettingsForm
from .models import GreetingKind, VoicemailSettings


_FIELDS = [name for name in services.VoicemailInput.__dataclass_fields__
           if name not in ("version", "errors", "greeting_files")]
_KINDS = "<any(busy, no_answer):kind>"


def _fill(form: VoicemailSettingsForm, settings: VoicemailSettings) -> None:
    """Show the stored values (numbers in the reader's format)."""
    region = services.region_of(current_user)
    for name in _FIELDS:
        getattr(form, name).data = getattr(settings, name)
    form.transfer_number.data = format_number(settings.transfer_number, region)
    form.fax_number.data = format_number(settings.fax_number, region)
    form.version.data = str(settings.version)


def _greeting_files(form: VoicemailSettingsForm) -> dict[str, tuple[str, bytes]]:
    """The greeting files chosen in this save (a file input left empty sends no file)."""
    files = {}
    for kind in GreetingKind:
        storage = getattr(form, f"{kind.value}_greeting_file").data
        if storage is not None and getattr(storage, "filename", None):
            # One byte past the limit is enough to refuse the file as too large.
            files[kind.value] = (storage.filename, storage.read(services.MAX_GREETING_BYTES + 1))
    return files


def _page(form: VoicemailSettingsForm, status: int = 200, conflict: bool = False):  # type: ignore[no-untyped-def]
    return render_template(
        "voicemail/settings.html", form=form, greetings=services.uploaded_greetings(current_user),
        fax_allowed=services.fax_allowed(current_user), pin_set_at=pin.pin_set_at(current_user), conflict=conflict,
        max_greeting_kb=services.MAX_GREETING_BYTES // 1024,
    ), status


@bp.route("/settings/calling/voicemail", methods=["GET", "POST"])
def settings() -> ResponseReturnValue:
    form = VoicemailSettingsForm()
    if request.method != "POST":  # GET and HEAD only show the page
        _fill(form, services.get_settings(current_user))
        return _page(form)
    form.validate()
    try:
        version = int(form.version.data or 0)
    except ValueError:
        abort(400)
    data = services.VoicemailInput(version=version, errors={name: str(errs[0]) for name, errs in form.errors.items()})
    for name in _FIELDS:
        value = getattr(form, name).data
        if value is not None:
            setattr(data, name, value)
    data.greeting_files = _greeting_files(form)
    try:
        services.save_settings(current_user, data)
    except services.StaleSettings as stale:
        fresh = VoicemailSettingsForm(formdata=None)
        _fill(fresh, stale.current)
        return _page(fresh, stale.status, conflict=True)
    except services.VoicemailInvalid as invalid:
        show_on(form, invalid)
        return _page(form, 400)
    flash(_("Your voicemail settings have been saved."), "success")
    return redirect(url_for("voicemail.settings"))


@bp.get(f"/settings/calling/voicemail/greetings/{_KINDS}/audio")
@own_data
def greeting_audio(kind: str) -> ResponseReturnValue:
    greeting = services.greeting_audio(current_user, GreetingKind(kind))
    if greeting is None:
        abort(404)
    response = Response(greeting.audio, mimetype="audio/wav")
    response.headers["Content-Disposition"] = "inline"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post(f"/settings/calling/voicemail/greetings/{_KINDS}/delete")
@own_data
def delete_greeting(kind: str) -> ResponseReturnValue:
    services.delete_greeting(current_user, GreetingKind(kind))
    flash(_("The custom greeting has been removed; callers hear the default greeting."), "success")
    return redirect(url_for("voicemail.settings"))


@bp.route("/settings/calling/voicemail/access-code", methods=["GET", "POST"])
def access_code() -> ResponseReturnValue:
    form = PinForm()
    if form.validate_on_submit():
        try:
            pin.set_pin(current_user, form.pin.data)
        except pin.PinRefused as refused:
            show_on(form, refused)
        else:
            flash(_("Your voicemail access code has been saved."), "success")
            return redirect(url_for("voicemail.settings"))
    status = 400 if form.errors else 200
    return render_template("voicemail/access_code.html", form=form, rules=list(pin.RULE_MESSAGES.values()),
                           pin_set_at=pin.pin_set_at(current_user)), status

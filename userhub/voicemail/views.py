"""Routes of the voicemail area: settings, greetings (upload, playback, removal) and the access code (PIN)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..errors import show_on
from ..i18n import gettext as _, lazy_gettext as _l
from ..phones import format_number
from ..security.access import own_data
from . import pin, services
from .blueprint import bp
from .forms import GreetingUploadForm, PinForm, VoicemailSettingsForm
from .models import GreetingKind, VoicemailSettings


_FIELDS = [name for name in services.VoicemailInput.__dataclass_fields__ if name not in ("version", "errors")]
_KINDS = "<any(busy, no_answer):kind>"
_UPLOAD_LABELS = {"busy": _l("“Busy” greeting"), "no_answer": _l("“No answer” greeting")}


def _fill(form: VoicemailSettingsForm, settings: VoicemailSettings) -> None:
    """Show the stored values (numbers in the reader's format)."""
    region = services.region_of(current_user)
    for name in _FIELDS:
        getattr(form, name).data = getattr(settings, name)
    form.transfer_number.data = format_number(settings.transfer_number, region)
    form.fax_number.data = format_number(settings.fax_number, region)
    form.version.data = str(settings.version)


def _page(form: VoicemailSettingsForm, status: int = 200, upload_forms: dict | None = None,  # type: ignore[type-arg]
          conflict: bool = False):  # type: ignore[no-untyped-def]
    forms = upload_forms or {}
    uploads = {kind.value: forms.get(kind.value) or GreetingUploadForm(prefix=kind.value) for kind in GreetingKind}
    for kind, upload in uploads.items():  # two file inputs on one page: each named after its greeting
        upload.greeting_file.label.text = _UPLOAD_LABELS[kind]
    return render_template(
        "voicemail/settings.html", form=form, uploads=uploads, greetings=services.uploaded_greetings(current_user),
        fax_allowed=services.fax_allowed(current_user), pin_set_at=pin.pin_set_at(current_user), conflict=conflict,
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


@bp.post(f"/settings/calling/voicemail/greetings/{_KINDS}")
@own_data
def upload_greeting(kind: str) -> ResponseReturnValue:
    upload = GreetingUploadForm(prefix=kind)
    upload.validate()
    storage = upload.greeting_file.data
    data = storage.read(services.MAX_GREETING_BYTES + 1) if storage else b""
    try:
        services.upload_greeting(current_user, GreetingKind(kind), getattr(storage, "filename", "") or "", data)
    except services.GreetingRefused as refused:
        show_on(upload, refused, field="greeting_file")
        form = VoicemailSettingsForm(formdata=None)
        _fill(form, services.get_settings(current_user))
        return _page(form, 400, upload_forms={kind: upload})
    flash(_("Your greeting has been uploaded. Choose “Custom greeting” to use it."), "success")
    return redirect(url_for("voicemail.settings", _anchor=f"greeting-{kind}"))


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

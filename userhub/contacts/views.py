"""Routes of the contacts area: speed dials, personal contacts, vCard import and export."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..errors import show_on
from ..i18n import gettext as _, ngettext
from ..phones import format_number
from ..security.access import own_data
from . import services, speed_dials, vcard
from .blueprint import bp
from .forms import NUMBER_TYPES, ContactForm, ImportForm, SpeedDialForm
from .models import Contact


URL = "/settings/calling/contacts"


def _page(speed_dial_form: SpeedDialForm | None = None, import_form: ImportForm | None = None,
          import_problems: list[vcard.Problem] | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    query = request.args.get("q", "").strip()[:100]
    return render_template(
        "contacts/index.html", speed_dials=speed_dials.speed_dials(current_user),
        speed_dial_form=speed_dial_form or SpeedDialForm(formdata=None), query=query,
        contacts=services.search_contacts(current_user, query), import_form=import_form or ImportForm(formdata=None),
        import_problems=import_problems or [], kinds=dict(NUMBER_TYPES), region=current_user.location.country if current_user.location else None,
    ), status


@bp.get(URL)
def index() -> ResponseReturnValue:
    return _page()


@bp.post(f"{URL}/speed-dials")
def add_speed_dial() -> ResponseReturnValue:
    form = SpeedDialForm()
    if form.validate():
        try:
            entry = speed_dials.add_speed_dial(current_user, form.code.data, form.destination.data,
                                               form.description.data)
        except speed_dials.SpeedDialInvalid as invalid:
            show_on(form, invalid)
        else:
            flash(_("Speed dial %(code)s has been added.", code=entry.code_text), "success")
            return redirect(url_for("contacts.index", _anchor="speed-dials"))
    return _page(speed_dial_form=form, status=400)


@bp.route(f"{URL}/speed-dials/<int:speed_dial_id>/delete", methods=["GET", "POST"])
@own_data
def delete_speed_dial(speed_dial_id: int) -> ResponseReturnValue:
    """GET: the confirmation page (no JavaScript needed); POST: delete."""
    if request.method != "POST":
        entry = next((s for s in speed_dials.speed_dials(current_user) if s.id == speed_dial_id), None) or abort(404)
        return render_template("contacts/confirm_delete.html", title=_("Delete speed dial %(code)s?", code=entry.code_text),
                               what=entry.description or entry.code_text, back=url_for("contacts.index", _anchor="speed-dials"))
    if not speed_dials.delete_speed_dial(current_user, speed_dial_id):
        abort(404)
    flash(_("The speed dial has been deleted."), "success")
    return redirect(url_for("contacts.index", _anchor="speed-dials"))


def _fill(form: ContactForm, contact: Contact) -> None:
    region = current_user.location.country if current_user.location else None
    form.name.data = contact.name
    for entry, number in zip(form.numbers.entries, contact.numbers, strict=False):
        entry.form.kind.data = number.kind
        entry.form.number.data = format_number(number.number, region)


def _edit(contact_id: int | None):  # type: ignore[no-untyped-def]
    contact = None
    if contact_id is not None:
        contact = services.get_contact(current_user, contact_id)
        if contact is None:
            abort(404)
    form = ContactForm()
    if request.method != "POST" and contact is not None:
        _fill(form, contact)
    if request.method == "POST" and form.validate():
        numbers = [services.NumberInput(e.form.kind.data or "", e.form.number.data or "") for e in form.numbers]
        try:
            services.save_contact(current_user, form.name.data, numbers, contact_id)
        except services.ContactInvalid as invalid:
            show_on(form, invalid)
        else:
            flash(_("The contact has been saved."), "success")
            return redirect(url_for("contacts.index", _anchor="contacts"))
    status = 400 if request.method == "POST" else 200
    return render_template("contacts/contact.html", form=form, contact=contact), status


@bp.route(f"{URL}/new", methods=["GET", "POST"])
def new_contact() -> ResponseReturnValue:
    return _edit(None)


@bp.route(f"{URL}/<int:contact_id>", methods=["GET", "POST"])
@own_data
def edit_contact(contact_id: int) -> ResponseReturnValue:
    return _edit(contact_id)


@bp.route(f"{URL}/<int:contact_id>/delete", methods=["GET", "POST"])
@own_data
def delete_contact(contact_id: int) -> ResponseReturnValue:
    """GET: the confirmation page (no JavaScript needed); POST: delete."""
    if request.method != "POST":
        contact = services.get_contact(current_user, contact_id) or abort(404)
        return render_template("contacts/confirm_delete.html", title=_("Delete the contact %(name)s?", name=contact.name),
                               what=contact.name, back=url_for("contacts.index", _anchor="contacts"))
    if not services.delete_contact(current_user, contact_id):
        abort(404)
    flash(_("The contact has been deleted."), "success")
    return redirect(url_for("contacts.index", _anchor="contacts"))


@bp.post(f"{URL}/import")
def import_vcards() -> ResponseReturnValue:
    form = ImportForm()
    form.validate()
    upload = form.vcard_file.data
    data = upload.read(services.MAX_IMPORT_BYTES + 1) if upload else b""
    if not data:
        form.vcard_file.errors = [_("Choose a file.")]
        return _page(import_form=form, status=400)
    try:
        count = services.import_vcards(current_user, data)
    except vcard.VCardError as refused:
        show_on(form, refused)
        return _page(import_form=form, import_problems=refused.problems, status=400)
    flash(ngettext("%(num)d contact imported.", "%(num)d contacts imported.", count), "success")
    return redirect(url_for("contacts.index", _anchor="contacts"))


@bp.get(f"{URL}/contacts.vcf")
def export_vcards() -> ResponseReturnValue:
    response = Response(services.export_vcards(current_user), mimetype="text/vcard")
    response.headers["Content-Disposition"] = 'attachment; filename="contacts.vcf"'
    return response

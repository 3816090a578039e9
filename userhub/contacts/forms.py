"""Forms of the contacts page. Syntax only; the services check codes, numbers and extensions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import FieldList, Form, FormField, SelectField, StringField, SubmitField
from wtforms.validators import Length

from ..forms import options
from ..i18n import lazy_gettext as _l
from .models import DESCRIPTION_LENGTH, MAX_NUMBERS_PER_CONTACT, NAME_LENGTH


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


NUMBER_TYPES = [("work", _l("Work")), ("mobile", _l("Mobile")), ("home", _l("Home phone")), ("fax", _l("Fax")),
                ("other", _l("Other"))]


class SpeedDialForm(FlaskForm):
    # No maxlength of 2: the browser would cut "100" to "10" without a word and save it; the service
    # refuses every code but 00 to 99 with its message, and the page keeps what was typed.
    code = StringField(_l("Speed dial code"), filters=[_strip],
                       render_kw={"inputmode": "numeric", "pattern": "[0-9]{2}", "size": 3})
    destination = StringField(_l("Phone number or extension"), filters=[_strip], validators=[Length(max=40)],
                              render_kw={"inputmode": "tel", "autocomplete": "off"})
    description = StringField(_l("Description"), filters=[_strip],
                              validators=[Length(max=DESCRIPTION_LENGTH,
                                                 message=_l("At most %(max)d characters."))],
                              render_kw={"maxlength": DESCRIPTION_LENGTH})
    submit = SubmitField(_l("Add"))


class NumberEntryForm(Form):
    kind = SelectField(_l("Type"), choices=options(NUMBER_TYPES), default="work", validate_choice=False)
    number = StringField(_l("Phone number"), filters=[_strip], validators=[Length(max=40)],
                         render_kw={"inputmode": "tel", "autocomplete": "off"})


class ContactForm(FlaskForm):
    name = StringField(_l("Name"), filters=[_strip],
                       validators=[Length(max=NAME_LENGTH, message=_l("At most %(max)d characters."))])
    numbers = FieldList(FormField(NumberEntryForm), min_entries=MAX_NUMBERS_PER_CONTACT,
                        max_entries=MAX_NUMBERS_PER_CONTACT)
    submit = SubmitField(_l("Save"))


class ImportForm(FlaskForm):
    vcard_file = FileField(_l("vCard file (.vcf)"), render_kw={"accept": ".vcf,text/vcard,text/x-vcard"})
    submit = SubmitField(_l("Import"))

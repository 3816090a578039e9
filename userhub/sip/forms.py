"""Forms of the SIP pages. Syntax only; the service checks the policy."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from ..i18n import lazy_gettext as _l


class SipPasswordForm(FlaskForm):
    # Shown in clear on purpose: it is a suggested random value the person copies into the phone.
    password = StringField(_l("SIP password"), validators=[InputRequired(_l("Enter a SIP password.")),
                                                           Length(max=128, message=_l("At most 128 characters."))])

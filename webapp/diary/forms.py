"""One form class a page of the diary."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import MultipleFileField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from webapp.forms import Form  # text fields drop control characters: see webapp/forms.py
from webapp.report.forms import LONG_TEXT, YES_NO, too_long


class ReferenceForm(Form):
    reference = StringField(
        _l("Your reference number"),
        validators=[
            DataRequired(_l("Enter the reference number of your report")),
            Regexp(r"^\s*\d{3}[\s-]?\d{3}[\s-]?\d{3}\s*$", message=_l("Enter a reference like 123-456-789")),
        ],
    )


class CodeForm(Form):
    code = StringField(
        _l("The code we texted you"),
        validators=[
            DataRequired(_l("Enter the code we texted you")),
            Regexp(r"^\s*\d{6}\s*$", message=_l("The code is 6 numbers")),
        ],
    )


class EntryForm(Form):
    occurred_at = StringField(
        _l("When did it happen?"),
        validators=[DataRequired(_l("Tell us the date and time it happened")), Length(max=200)],
    )
    what_happened = TextAreaField(
        _l("What happened?"), validators=[DataRequired(_l("Tell us what happened")), too_long(LONG_TEXT)]
    )
    who_involved = TextAreaField(_l("Who was involved?"), validators=[Optional(), too_long(LONG_TEXT)])
    effect = TextAreaField(_l("How did it affect you?"), validators=[Optional(), too_long(LONG_TEXT)])
    police_told = RadioField(
        _l("Did you tell the police?"), choices=YES_NO, validators=[DataRequired(_l("Select yes or no"))]
    )
    police_reference = StringField(_l("Police reference, if you have one"), validators=[Optional(), Length(max=64)])
    evidence = MultipleFileField(_l("Photos, videos or sound recordings (optional)"))

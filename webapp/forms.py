"""The base of every form a resident (or anyone) fills in: hostile posts are refused in the resident's words.

Two things WTForms does not do for us:

- **Control characters never reach the store.** A NUL (which no keyboard types, but a hostile post or a bad
  paste can carry) cannot be stored in a PostgreSQL text column at all: without this, such a post was a 500
  on PostgreSQL, and stored as sent on SQLite. The other control characters (terminal escapes, backspace,
  bell...) mean nothing in a report and can rewrite what staff see in a terminal (`flask messages list`). So
  every text field drops them before it is validated: a field of nothing but control characters is empty,
  and refused as empty. Tab and new lines stay; so do the format characters a language needs (right-to-left
  marks, joiners in emoji).
- **A choice that is not one of the choices gets the field's own message.** WTForms' built-in ones ("Not a
  valid choice.", "'<what was sent>' is not a valid choice for this field.") are not translated into every
  language the service speaks (none into Urdu, not the second into Polish), and the second repeats whatever
  was posted back onto the page.
"""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired

KEPT_CONTROLS = frozenset("\t\n\r")


def without_control_characters(value):
    if not isinstance(value, str):
        return value
    return "".join(ch for ch in value if ch in KEPT_CONTROLS or unicodedata.category(ch) != "Cc")


def _invalid_choice_message(unbound_field):
    """What to say when a posted choice is not one of the field's: its own 'select...' message where it has one."""
    args, kwargs = unbound_field.args, unbound_field.kwargs
    validators = kwargs.get("validators") or (args[1] if len(args) > 1 else ()) or ()
    for validator in validators:
        if isinstance(validator, DataRequired) and validator.message:
            return validator.message
    if issubclass(unbound_field.field_class, SelectMultipleField):
        return _l("Select all that apply, or none.")
    values = [getattr(c, "value", c[0] if isinstance(c, tuple) else c) for c in kwargs.get("choices") or ()]
    if values == ["yes", "no"]:
        return _l("Select yes or no")
    return _l("Select an answer, or that you would rather not say")


class Form(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            # Every text field (TextAreaField is one), not passwords: they are checked as typed.
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                filters = unbound_field.kwargs.get("filters") or ()
                options = {**options, "filters": [*filters, without_control_characters]}
            # Radios, selects and checkboxes.
            if issubclass(field_class, SelectField) and unbound_field.kwargs.get("invalid_choice_message") is None:
                options = {**options, "invalid_choice_message": _invalid_choice_message(unbound_field)}
            return super().bind_field(form, unbound_field, options)

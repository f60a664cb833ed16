"""One form class a page of the web report. Labels are lazy, so they follow the resident's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from asb_domain.repeats import phone_key, postcode_key
from webapp.forms import Form  # text fields drop control characters: see webapp/forms.py
from webapp.i18n import policy_text


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def too_long(limit: int) -> Length:
    return Length(max=limit, message=_l("Keep it under %(max)d characters", max=limit))


YES_NO = choices([("yes", _l("Yes")), ("no", _l("No"))])
LONG_TEXT = 5000


class DangerForm(Form):
    danger = RadioField(
        _l("Is anyone in immediate danger right now?"),
        choices=YES_NO,
        validators=[DataRequired(_l("Select yes if anyone is in immediate danger right now"))],
    )


class DescriptionForm(Form):
    description = TextAreaField(
        _l("What is happening?"),
        validators=[
            DataRequired(_l("Tell us what is happening")),
            too_long(LONG_TEXT),
        ],
    )


class MoreThanThatForm(Form):
    signs = SelectMultipleField(
        _l("What makes it more than that?"),
        validators=[DataRequired(_l("Select what makes it more than that, or go back to the start"))],
    )

    def __init__(self, policy, matter, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {s["id"]: s["label"] for s in policy.raw["asb_signs"]}
        self.signs.choices = choices((s, policy_text(labels[s])) for s in matter.asb_after_all)


NOT_SURE = "not_sure"


class CaseTypeForm(Form):
    case_type = RadioField(
        _l("Which of these is closest to what is happening?"),
        validators=[DataRequired(_l("Select what is closest to what is happening, or that you are not sure"))],
    )

    def __init__(self, policy, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.case_type.choices = choices(
            [(c.id, policy_text(c.label)) for c in policy.case_types.values()] + [(NOT_SURE, _l("I'm not sure"))]
        )


class ContinueForm(Form):
    """A page with nothing to answer: just the CSRF token and a button."""


class WhenForm(Form):
    incident_when = TextAreaField(
        _l("When does it happen?"),
        validators=[
            DataRequired(_l("Tell us when it happens, for example 'most nights after 11pm'")),
            too_long(LONG_TEXT),
        ],
    )


def _valid_postcode(form, field):
    if field.data and postcode_key(field.data) is None:
        raise ValidationError(_l("Enter a real postcode, like AB1 2CD"))


class WhereForm(Form):
    location = TextAreaField(
        _l("Where does it happen?"),
        validators=[DataRequired(_l("Tell us where it happens")), too_long(LONG_TEXT)],
    )
    address = TextAreaField(_l("Your address (optional)"), validators=[Optional(), too_long(500)])
    postcode = StringField(_l("Postcode (optional)"), validators=[Optional(), too_long(10), _valid_postcode])


class WhoForm(Form):
    responsible = TextAreaField(
        _l("Who is responsible, if you know? (optional)"), validators=[Optional(), too_long(LONG_TEXT)]
    )


SKIP = "skip"


def ram_form_class(question):
    """The form for one RAM question: its options from the policy, details and consent where it has them."""
    label = policy_text(question.text)
    options = [(o.id, policy_text(o.label)) for o in question.options]
    required = _l("Select an answer, or that you would rather not say")
    if question.multiple:
        # Several answers can apply: none ticked means none of them (no validator needed: an empty list is
        # valid). Not Optional(): a first value of "" made it clear the "not a choice" error and stop, so
        # answer=&answer=<anything> was saved into the draft as the answer.
        answer = SelectMultipleField(label, choices=choices(options))
    else:
        answer = RadioField(
            label, choices=choices([*options, (SKIP, _l("I'd rather not say"))]), validators=[DataRequired(required)]
        )
    fields = {"answer": answer}
    if question.details:
        fields["details"] = TextAreaField(policy_text(question.details), validators=[Optional(), too_long(LONG_TEXT)])
    if question.consent:
        fields["consent"] = RadioField(policy_text(question.consent), choices=YES_NO, validators=[Optional()])
    return type(f"RamForm{question.number}", (Form,), fields)


RELATIONSHIPS = choices(
    [
        ("self", _l("I am reporting for myself")),
        ("relative", _l("A relative")),
        ("carer", _l("A carer")),
        ("support_worker", _l("A support worker")),
        ("other", _l("Someone else")),
    ]
)


class AboutYouForm(Form):
    relationship = RadioField(
        _l("Are you reporting for yourself or for someone else?"),
        choices=RELATIONSHIPS,
        validators=[DataRequired(_l("Select whether you are reporting for yourself or someone else"))],
    )
    reporter_name = StringField(
        _l("If you are reporting for someone else, your name and how you know them"),
        validators=[too_long(200)],  # not Optional(): that would skip the check below
    )

    def validate_reporter_name(self, field):
        if self.relationship.data not in (None, "self") and not (field.data or "").strip():
            raise ValidationError(_l("Tell us your name and how you know the person"))


def _valid_phone(form, field):
    if field.data and phone_key(field.data) is None:
        raise ValidationError(_l("Enter a UK phone number, like 07700 900123"))


class ContactForm(Form):
    contact = RadioField(
        _l("Can we contact you about this report?"),
        choices=YES_NO,
        validators=[DataRequired(_l("Select yes if we can contact you about this report"))],
    )
    contact_name = StringField(_l("Your name"), validators=[Optional(), too_long(200)])
    contact_phone = StringField(_l("Phone number"), validators=[Optional(), too_long(32), _valid_phone])
    contact_email = StringField(
        _l("Email address"),
        validators=[
            Optional(),
            too_long(254),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter a real email address")),
        ],
    )

    def validate_contact_phone(self, field):
        if self.contact.data == "yes" and not (field.data or self.contact_email.data):
            raise ValidationError(_l("Enter a phone number or an email address so we can contact you"))


SAFE_METHODS = choices(
    [
        ("text", _l("A text message")),
        ("call", _l("A phone call")),
        ("voicemail", _l("A voicemail message")),
        ("email", _l("An email")),
    ]
)


class ContactSafetyForm(Form):
    methods = SelectMultipleField(
        _l("Which of these are safe for us to use?"),
        choices=SAFE_METHODS,
        validators=[DataRequired(_l("Select at least one way that is safe to contact you"))],
    )
    # None ticked is any time. Not Optional(): it let periods=&periods=<anything> through (see ram_form_class).
    periods = SelectMultipleField(_l("What times of day are safe?"))
    days = RadioField(_l("Which days are safe?"), validators=[DataRequired(_l("Select which days are safe"))])
    safe_times = TextAreaField(
        _l("Anything else about when or how to contact you (optional)"), validators=[Optional(), too_long(500)]
    )

    def __init__(self, policy, *args, **kwargs):
        super().__init__(*args, **kwargs)
        section = policy.raw["keeping_informed"]
        self.periods.choices = choices((p["id"], policy_text(p["label"])) for p in section["periods"])
        self.days.choices = choices((d["id"], policy_text(d["label"])) for d in section["days"])


class UpdatesForm(Form):
    frequency = RadioField(
        _l("How often would you like an update from your officer?"),
        validators=[DataRequired(_l("Select how often you would like an update"))],
    )

    def __init__(self, policy, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.frequency.choices = choices(
            (f["id"], policy_text(f["label"])) for f in policy.raw["keeping_informed"]["update_frequencies"]
        )


class ConsentForm(Form):
    consent = RadioField(
        _l("Can we share information with other agencies to help keep you safe?"),
        choices=YES_NO,
        validators=[DataRequired(_l("Select yes if we can share information with other agencies"))],
    )


class ResumeForm(Form):
    code = StringField(
        _l("Your resume code"),
        validators=[DataRequired(_l("Enter the resume code we gave you")), too_long(20)],
    )

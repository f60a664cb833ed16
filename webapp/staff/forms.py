from wtforms import PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

# Text fields drop control characters: a NUL in the sign-in name was a 500 on PostgreSQL (webapp/forms.py).
from webapp.forms import Form


class LoginForm(Form):
    username = StringField("Username", validators=[DataRequired("Enter your username"), Length(max=120)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password"), Length(max=200)])


class AcknowledgeForm(Form):
    pass


class AssignForm(Form):
    officer = SelectField("Assign to", validators=[DataRequired("Choose an officer")])


class NoteForm(Form):
    note = TextAreaField("Add a note", validators=[DataRequired("Write the note"), Length(max=5000)])


class LegalHoldForm(Form):
    reason = TextAreaField(
        "Why it is held (for staff only)",
        validators=[DataRequired("Give the reason for the hold"), Length(max=500)],
    )


class CloseForm(Form):
    closure_code = RadioField(
        "Why is it closing? (the resident is told this)", validators=[DataRequired("Choose why it is closing")]
    )
    reason = TextAreaField(
        "Notes for the case file (not sent to the resident)",
        validators=[DataRequired("Give the reason"), Length(max=2000)],
    )

    def __init__(self, policy, *args, **kwargs):
        from asb_domain.informing import closure_reasons

        super().__init__(*args, **kwargs)
        self.closure_code.choices = [SelectChoice(r["id"], r["label"]) for r in closure_reasons(policy)]


class UpdateForm(Form):
    kind = RadioField("Update the resident", validators=[DataRequired("Choose the update")])

    def __init__(self, *args, **kwargs):
        from webapp.informing import UPDATE_KINDS

        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice(k, label) for k, label in UPDATE_KINDS.items()]


class FrequencyForm(Form):
    frequency = RadioField("How often the resident hears from us", validators=[DataRequired("Choose how often")])

    def __init__(self, policy, *args, **kwargs):
        from asb_domain.informing import frequencies

        super().__init__(*args, **kwargs)
        self.frequency.choices = [SelectChoice(f["id"], f["label"]) for f in frequencies(policy)]

from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired("Enter your username"), Length(max=120)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password"), Length(max=200)])


class AcknowledgeForm(FlaskForm):
    pass


class AssignForm(FlaskForm):
    officer = SelectField("Assign to", validators=[DataRequired("Choose an officer")])


class NoteForm(FlaskForm):
    note = TextAreaField("Add a note", validators=[DataRequired("Write the note"), Length(max=5000)])


class CloseForm(FlaskForm):
    outcome = RadioField(
        "Outcome",
        choices=[SelectChoice("resolved", "Resolved"), SelectChoice("unresolved", "Closed without resolution")],
        validators=[DataRequired("Choose the outcome")],
    )
    reason = TextAreaField("Reason for closing", validators=[DataRequired("Give the reason"), Length(max=2000)])

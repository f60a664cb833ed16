from __future__ import annotations

from flask import abort, render_template
from flask_babel import force_locale
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from asb_domain.informing import survey as survey_questions
from webapp import current_policy, informing
from webapp.extensions import limiter
from webapp.forms import Form  # a posted answer that is not an option gets a message in the resident's words
from webapp.i18n import policy_text
from webapp.survey import bp


def survey_form(policy):
    """One radio question for each survey question in the policy; any may be left out."""

    class SurveyForm(Form):
        pass

    for question in survey_questions(policy):
        choices = [SelectChoice(o["id"], policy_text(o["label"])) for o in question["options"]]
        setattr(
            SurveyForm,
            question["id"],
            RadioField(policy_text(question["text"]), choices=choices, validators=[Optional()]),
        )
    return SurveyForm()


@bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def answer(token: str):
    survey = informing.survey_for_token(token)
    if survey is None:
        abort(404)
    with force_locale(survey.report.language or "en"):
        if survey.status != "sent":
            return render_template("survey/done.html", back_url=None)
        policy = current_policy()
        form = survey_form(policy)
        if form.validate_on_submit():
            answers = {q["id"]: form[q["id"]].data for q in survey_questions(policy) if form[q["id"]].data}
            informing.complete_survey(survey, answers)
            return render_template("survey/done.html", back_url=None)
        questions = [form[q["id"]] for q in survey_questions(policy)]
        return render_template("survey/answer.html", form=form, questions=questions, back_url=None)

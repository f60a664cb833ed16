from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from asb_domain.informing import SafeTimes, default_frequency
from asb_domain.references import format_reference
from webapp import current_policy
from webapp.confirmation import hear_by, send_confirmation
from webapp.extensions import db, limiter
from webapp.models import Report
from webapp.report import bp, drafts, journey, summary
from webapp.report.forms import (
    NOT_SURE,
    SKIP,
    AboutYouForm,
    CaseTypeForm,
    ConsentForm,
    ContactForm,
    ContactSafetyForm,
    ContinueForm,
    DangerForm,
    DescriptionForm,
    MoreThanThatForm,
    ResumeForm,
    UpdatesForm,
    WhenForm,
    WhereForm,
    WhoForm,
    ram_form_class,
)
from webapp.reports import submit
from webapp.screening import screen


def _go_on(report: Report, step: str):
    """After a page is answered: back to the check page when changing an answer, else the next page."""
    if request.args.get("change") and journey.answered(current_policy(), report, "check"):
        return redirect(url_for("report.check"))
    return redirect(step_url(journey.next_step(current_policy(), report, step)))


def _page(template: str, report: Report | None, step: str, form, **context):
    back = journey.previous_step(current_policy(), report, step) if report else None
    return render_template(
        template,
        form=form,
        report=report,
        step=step,
        back_url=step_url(back) if back else url_for("main.start"),
        **context,
    )


def _require_draft() -> Report:
    report = drafts.current_draft()
    if report is None:
        abort(redirect(url_for("report.lost")))
    return report


@bp.route("/danger", methods=["GET", "POST"])
def danger():
    report = drafts.current_draft()
    form = DangerForm(data={"danger": (report.draft.get("danger") if report else None)})
    if form.validate_on_submit():
        report = report or drafts.start_draft(str(get_locale()))
        drafts.update(report, "danger", danger=form.danger.data)
        if form.danger.data == "yes":
            return redirect(url_for("report.emergency"))
        return _go_on(report, "danger")
    return _page("report/danger.html", report, "danger", form)


@bp.get("/emergency")
def emergency():
    report = drafts.current_draft()
    carry_on = None
    if report is not None:
        carry_on = step_url("type" if report.description else "what")
    return render_template("report/emergency.html", report=report, carry_on=carry_on)


@bp.route("/what", methods=["GET", "POST"])
def what():
    report = _require_draft()
    form = DescriptionForm(obj=report)
    if form.validate_on_submit():
        report.description = form.description.data.strip()
        result = screen(report.description, report.language)
        report.triage_outcome = result.outcome
        report.screened_matter = result.matter if result.outcome == "not_asb" else None
        report.asb_signs = list(result.signs)
        if result.case_type and (report.case_type is None or "type" not in report.draft.get("done", [])):
            report.case_type = result.case_type
        drafts.update(report, "what", flags=list(result.flags))
        if result.outcome == "emergency":
            return redirect(url_for("report.emergency"))
        return _go_on(report, "what")
    return _page("report/what.html", report, "what", form)


@bp.route("/more-than-that", methods=["GET", "POST"])
def more_than_that():
    report = _require_draft()
    policy = current_policy()
    matter = policy.not_asb.get(report.screened_matter or "")
    if matter is None:
        return redirect(step_url("type"))
    form = MoreThanThatForm(policy, matter, data={"signs": report.asb_signs})
    if form.validate_on_submit():
        report.asb_signs = form.signs.data
        drafts.update(report, "more-than-that")
        return _go_on(report, "more-than-that")
    self_help = [policy.by_id("self_help", item) for item in matter.what_you_can_do]
    return _page("report/not_asb.html", report, "more-than-that", form, matter=matter, self_help=self_help)


@bp.route("/type", methods=["GET", "POST"])
def case_type():
    report = _require_draft()
    policy = current_policy()
    chosen = report.case_type or (NOT_SURE if "type" in report.draft.get("done", []) else None)
    form = CaseTypeForm(policy, data={"case_type": chosen})
    if form.validate_on_submit():
        report.case_type = None if form.case_type.data == NOT_SURE else form.case_type.data
        report.category = policy.case_types[report.case_type].category if report.case_type else None
        drafts.update(report, "type")
        return _go_on(report, "type")
    suggested = policy.case_types.get(report.case_type or "")
    return _page("report/case_type.html", report, "type", form, suggested=suggested)


@bp.route("/advice", methods=["GET", "POST"])
def advice():
    report = _require_draft()
    policy = current_policy()
    case_type = policy.case_types.get(report.case_type or "")
    if case_type is None or not case_type.advice:
        return redirect(step_url("when"))
    form = ContinueForm()
    if form.validate_on_submit():
        drafts.update(report, "advice")
        return _go_on(report, "advice")
    contacts = [policy.contact(c) for c in case_type.advice]
    return _page("report/advice.html", report, "advice", form, case_type=case_type, contacts=contacts)


def _text_page(step: str, form_class, template: str, fields: tuple[str, ...]):
    report = _require_draft()
    form = form_class(obj=report)
    if form.validate_on_submit():
        for name in fields:
            value = getattr(form, name).data
            setattr(report, name, value.strip() if isinstance(value, str) and value.strip() else None)
        drafts.update(report, step)
        return _go_on(report, step)
    return _page(template, report, step, form)


@bp.route("/when", methods=["GET", "POST"])
def when():
    return _text_page("when", WhenForm, "report/when.html", ("incident_when",))


@bp.route("/where", methods=["GET", "POST"])
def where():
    return _text_page("where", WhereForm, "report/where.html", ("location", "address", "postcode"))


@bp.route("/who", methods=["GET", "POST"])
def who():
    return _text_page("who", WhoForm, "report/who.html", ("responsible",))


@bp.route("/ram/<int:number>", methods=["GET", "POST"])
def ram(number: int):
    report = _require_draft()
    policy = current_policy()
    question = next((q for q in policy.questions if q.number == number), None)
    if question is None:
        abort(404)
    saved = report.draft.get("ram", {}).get(question.id)
    form_class = ram_form_class(question)
    data = {}
    if saved is not None:
        options = saved["options"]
        data["answer"] = options if question.multiple else (options[0] if options else SKIP)
        data["details"] = saved.get("details")
        data["consent"] = {True: "yes", False: "no"}.get(saved.get("consent"))
    form = form_class(data=data)
    step = f"{journey.RAM_PREFIX}{number}"
    if form.validate_on_submit():
        answer = form.answer.data
        options = list(answer or []) if question.multiple else ([] if answer == SKIP else [answer])
        answers = dict(report.draft.get("ram", {}))
        answers[question.id] = {
            "options": options,
            "details": (form.details.data or "").strip() or None if question.details else None,
            "consent": {"yes": True, "no": False}.get(form.consent.data) if question.consent else None,
        }
        drafts.update(report, step, ram=answers)
        return _go_on(report, step)
    return _page("report/ram.html", report, step, form, question=question, total=len(policy.questions))


@bp.route("/about-you", methods=["GET", "POST"])
def about_you():
    report = _require_draft()
    form = AboutYouForm(data={"relationship": report.draft.get("relationship"), "reporter_name": report.reporter_name})
    if form.validate_on_submit():
        report.reporter_relationship = form.relationship.data
        report.reporter_name = (
            (form.reporter_name.data or "").strip() or None if form.relationship.data != "self" else None
        )
        drafts.update(report, "about-you", relationship=form.relationship.data)
        return _go_on(report, "about-you")
    return _page("report/about_you.html", report, "about-you", form)


@bp.route("/contact", methods=["GET", "POST"])
def contact():
    report = _require_draft()
    chosen = report.draft.get("contact")
    form = ContactForm(obj=report, data={"contact": chosen} if chosen else None)
    if request.method == "GET" and chosen:
        form.contact.data = chosen
    if form.validate_on_submit():
        report.no_contact = form.contact.data == "no"
        if report.no_contact:
            report.contact_name = report.contact_phone = report.contact_email = None
            report.text_safe = report.call_safe = report.voicemail_safe = report.email_safe = None
        else:
            report.contact_name = (form.contact_name.data or "").strip() or None
            report.contact_phone = (form.contact_phone.data or "").strip() or None
            report.contact_email = (form.contact_email.data or "").strip() or None
        drafts.update(report, "contact", contact=form.contact.data)
        return _go_on(report, "contact")
    return _page("report/contact.html", report, "contact", form)


@bp.route("/contact-safety", methods=["GET", "POST"])
def contact_safety():
    report = _require_draft()
    methods = [m for m in ("text", "call", "voicemail", "email") if getattr(report, f"{m}_safe")]
    windows = SafeTimes.from_dict(report.contact_windows)
    form = ContactSafetyForm(
        current_policy(),
        data={
            "methods": methods,
            "periods": list(windows.periods),
            "days": windows.days,
            "safe_times": report.safe_times,
        },
    )
    if form.validate_on_submit():
        for method in ("text", "call", "voicemail", "email"):
            setattr(report, f"{method}_safe", method in form.methods.data)
        report.contact_windows = SafeTimes(tuple(form.periods.data or ()), form.days.data).as_dict()
        report.safe_times = (form.safe_times.data or "").strip() or None
        drafts.update(report, "contact-safety")
        return _go_on(report, "contact-safety")
    return _page("report/contact_safety.html", report, "contact-safety", form)


@bp.route("/updates", methods=["GET", "POST"])
def updates():
    report = _require_draft()
    policy = current_policy()
    form = UpdatesForm(policy, data={"frequency": report.update_frequency or default_frequency(policy)})
    if form.validate_on_submit():
        report.update_frequency = form.frequency.data
        drafts.update(report, "updates")
        return _go_on(report, "updates")
    return _page("report/updates.html", report, "updates", form)


@bp.route("/consent", methods=["GET", "POST"])
def consent():
    report = _require_draft()
    current = {True: "yes", False: "no"}.get(report.consent_to_share)
    form = ConsentForm(data={"consent": current})
    if form.validate_on_submit():
        report.consent_to_share = form.consent.data == "yes"
        drafts.update(report, "consent")
        return _go_on(report, "consent")
    return _page("report/consent.html", report, "consent", form, policy=current_policy())


@bp.route("/check", methods=["GET", "POST"])
def check():
    report = _require_draft()
    policy = current_policy()
    missing = journey.first_unanswered(policy, report)
    if missing != "check":
        return redirect(step_url(missing))
    form = ContinueForm()
    if form.validate_on_submit():
        answers = {qid: a["options"] for qid, a in report.draft.get("ram", {}).items()}
        details = {qid: a["details"] for qid, a in report.draft.get("ram", {}).items() if a.get("details")}
        consents = {qid: a["consent"] for qid, a in report.draft.get("ram", {}).items() if a.get("consent") is not None}
        report.resume_code_hash = None
        staff = session.pop("report_actor", None)
        submit(policy, report, answers, details, consents, actor=f"staff:{staff}" if staff else "resident")
        session.pop("report_id", None)
        session.pop("report_channel", None)
        session["submitted_id"] = report.id
        send_confirmation(report)
        return redirect(url_for("report.confirmation"))
    drafts.update(report, "check")
    return _page("report/check.html", report, "check", form, sections=summary.sections(policy, report, step_url))


def report_reference(report: Report) -> str:
    return format_reference(report.reference)


@bp.get("/confirmation")
def confirmation():
    report_id = session.get("submitted_id")
    report = db.session.get(Report, report_id) if report_id else None
    if report is None or report.reference is None:
        return redirect(url_for("main.start"))
    return render_template(
        "report/confirmation.html",
        report=report,
        reference=report_reference(report),
        hear_by=hear_by(report),
        policy=current_policy(),
    )


@bp.get("/save")
def save():
    report = _require_draft()
    code = drafts.issue_resume_code(report)
    return render_template("report/save.html", report=report, code=drafts.format_code(code), back_url=request.referrer)


@bp.route("/resume", methods=["GET", "POST"])
# A resume code opens a report with someone's health and abuse in it: guessing must be slow.
@limiter.limit(lambda: current_app.config["RESUME_CODE_LIMIT"], methods=["POST"])
def resume():
    form = ResumeForm()
    if form.validate_on_submit():
        report = drafts.resume(form.code.data)
        if report is not None:
            return redirect(step_url(journey.first_unanswered(current_policy(), report)))
        form.code.errors.append(_("We could not find a report with that code. Check it and try again."))
    return render_template("report/resume.html", form=form, back_url=url_for("main.start"))


@bp.get("/lost")
def lost():
    """Reached a page with no report in progress: start again or carry on with a code."""
    return render_template("report/lost.html")


@bp.post("/keep-alive")
def keep_alive():
    """Extends the session (the timeout warning's 'stay' button)."""
    session.modified = True
    return "", 204


STEP_VIEWS = {
    "danger": "report.danger",
    "what": "report.what",
    "more-than-that": "report.more_than_that",
    "type": "report.case_type",
    "advice": "report.advice",
    "when": "report.when",
    "where": "report.where",
    "who": "report.who",
    "about-you": "report.about_you",
    "contact": "report.contact",
    "contact-safety": "report.contact_safety",
    "updates": "report.updates",
    "consent": "report.consent",
    "check": "report.check",
}


def step_url(name: str, **args) -> str:
    """The address of a step of the journey (the order lives in journey.py)."""
    if name.startswith(journey.RAM_PREFIX):
        return url_for("report.ram", number=int(name[len(journey.RAM_PREFIX) :]), **args)
    return url_for(STEP_VIEWS[name], **args)

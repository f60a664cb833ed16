from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from asb_domain.informing import default_frequency
from webapp import access_codes, current_policy, informing
from webapp.case import bp
from webapp.diary.forms import CodeForm, ReferenceForm
from webapp.extensions import db, limiter
from webapp.i18n import LANGUAGES
from webapp.models import CaseEvent, Report
from webapp.report.forms import UpdatesForm
from webapp.reports import SUBMITTED_STATUSES


@bp.route("", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def start():
    form = ReferenceForm()
    if form.validate_on_submit():
        access_codes.ask_for_code(
            "case",
            form.reference.data,
            SUBMITTED_STATUSES,
            lambda code: _("Your code to see your case is %(code)s. It works for 15 minutes.", code=code),
        )
        return redirect(url_for("case.code"))
    return render_template("case/start.html", form=form, back_url=url_for("main.start"))


@bp.route("/code", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def code():
    if not access_codes.pending("case"):
        return redirect(url_for("case.start"))
    form = CodeForm()
    if form.validate_on_submit():
        report_id, error = access_codes.check_code("case", form.code.data)
        if report_id:
            session["case_report"] = report_id
            session.permanent = True
            return redirect(url_for("case.status"))
        form.code.errors.append(error)
    return render_template("diary/code.html", form=form, back_url=url_for("case.start"), again=url_for("case.start"))


def _case() -> Report:
    report = db.session.get(Report, session.get("case_report") or 0)
    if report is None or report.status not in SUBMITTED_STATUSES:
        abort(redirect(url_for("case.start")))
    return report


@bp.route("/status", methods=["GET", "POST"])
def status():
    """The status in plain words: nothing about the people reported. An open case can change its update frequency."""
    report = _case()
    policy = current_policy()
    chosen = request.args.get("lang")
    if chosen in LANGUAGES and chosen != report.language and report.status in ("submitted", "acknowledged"):
        report.language = chosen  # chosen on the language switcher: every later message follows
        report.events.append(CaseEvent(actor="resident", kind="language", detail=chosen))
        db.session.commit()
    form = UpdatesForm(policy, data={"frequency": report.update_frequency or default_frequency(policy)})
    is_open = report.status in ("submitted", "acknowledged")
    if is_open and form.validate_on_submit():
        informing.set_update_frequency(report, form.frequency.data, "resident")
        flash(_("Thank you. We will update you at least this often."))
        return redirect(url_for("case.status"))
    return render_template(
        "case/status.html",
        report=report,
        status_text=informing.status_text(report),
        form=form if is_open else None,
        back_url=url_for("main.start"),
    )

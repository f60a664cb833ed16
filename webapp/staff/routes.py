"""Staff pages. Staff pages are in English; what residents wrote is shown with its language."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from asb_domain.dates import local_date
from asb_domain.references import format_reference
from webapp import audit, current_policy, informing, reports
from webapp.extensions import db, limiter
from webapp.models import CaseEvent, Report, StaffUser, utcnow
from webapp.report_data import report_summary
from webapp.staff import bp, sessions
from webapp.staff.accounts import ADMIN, authenticate, can_hold, can_see, sign_out_everywhere
from webapp.staff.forms import (
    AcknowledgeForm,
    AssignForm,
    CloseForm,
    FrequencyForm,
    LegalHoldForm,
    LoginForm,
    NoteForm,
    UpdateForm,
)

OPEN_STATUSES = ("submitted", "acknowledged")


def actor() -> str:
    return f"staff:{current_user.username}"


def today() -> date:
    return local_date(current_policy(), informing.now())


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["STAFF_LOGIN_LIMIT"], methods=["POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user, why = authenticate(form.username.data.strip(), form.password.data)
        if user is not None:
            # A fresh session: nothing from before sign-in (a planted cookie) carries over. Flask's signed
            # cookie session changes with its content, so the cookie after sign-in is a new one.
            session.clear()
            session.permanent = True
            login_user(user)
            sessions.start()
            audit.record(f"staff:{user.username}", "login")
            return redirect(url_for("staff.queue"))
        error = (
            "This account is locked after too many failed attempts. Try again later."
            if why == "locked"
            else "The username or password is not right."
        )
        form.password.errors.append(error)
    error_list = [{"text": errors[0], "href": f"#{name}"} for name, errors in form.errors.items() if errors]
    return render_template("staff/login.html", form=form, error_list=error_list)


@bp.post("/logout")
@login_required
def logout():
    audit.record(actor(), "logout")
    sign_out_everywhere(current_user._get_current_object())  # a copied cookie stops working too
    logout_user()
    session.clear()
    return redirect(url_for("staff.login"))


def visible_reports(statuses, filters: dict):
    columns = {k: v for k, v in filters.items() if k in ("risk_level", "category", "handling_role")}
    role = None if current_user.role == ADMIN else current_user.role
    if role and columns.get("handling_role") not in (None, role):
        # Asking the queue or the export for another role's reports: they are never shown (the query keeps to
        # the user's own role), and the attempt is audited like opening one of them.
        audit.record(actor(), "view_denied", detail=f"{request.path}: handling_role={columns['handling_role']}"[:200])
    return reports.queue(role=role, statuses=statuses, **columns)


def _filters() -> tuple[list[str], dict]:
    status = request.args.get("status") or "open"
    statuses = {
        "open": OPEN_STATUSES,
        "submitted": ("submitted",),
        "acknowledged": ("acknowledged",),
        "closed": ("closed_resolved", "closed_unresolved"),
    }.get(status, OPEN_STATUSES)
    # Only values the queue knows: anything else in the address (a NUL was a 500 on PostgreSQL) is no filter.
    policy = current_policy()
    known = {
        "risk_level": {b["id"] for b in policy.raw["ram"]["bands"]},
        "category": {c["id"] for c in policy.raw["categories"]},
        "handling_role": {r["id"] for r in policy.raw["roles"]},
    }
    filters = {k: request.args.get(k) for k in known if request.args.get(k) in known[k]}
    filters["status"] = status
    return list(statuses), filters


@bp.get("/")
@login_required
def queue():
    if current_user.role == "contact_centre":
        return redirect(url_for("staff.phone_report"))
    statuses, filters = _filters()
    rows = visible_reports(statuses, filters)
    now = today()
    due_today = sum(1 for r in rows if r.acknowledge_by == now and r.acknowledged_at is None)
    overdue = sum(1 for r in rows if r.acknowledge_by and r.acknowledge_by < now and r.acknowledged_at is None)
    updates_overdue = sum(1 for r in rows if r.next_update_due and r.next_update_due < now)
    updates_due_today = sum(1 for r in rows if r.next_update_due == now)
    audit.record(actor(), "view_queue", detail=f"{len(rows)} rows")
    policy = current_policy()
    filter_options = [
        (
            "status",
            "Status",
            [("open", "Open"), ("submitted", "New"), ("acknowledged", "Acknowledged"), ("closed", "Closed")],
        ),
        ("risk_level", "Risk", [("", "Any"), ("high", "High"), ("medium", "Medium"), ("low", "Low")]),
        ("category", "Category", [("", "Any")] + [(c["id"], c["label"]) for c in policy.raw["categories"]]),
        ("handling_role", "Handler", [("", "Any")] + [(r["id"], r["label"]) for r in policy.raw["roles"]]),
    ]
    return render_template(
        "staff/queue.html",
        rows=rows,
        today=now,
        due_today=due_today,
        overdue=overdue,
        updates_overdue=updates_overdue,
        updates_due_today=updates_due_today,
        filters=filters,
        filter_options=filter_options,
        policy=policy,
        fmt=format_reference,
    )


@bp.get("/queue.csv")
@login_required
def queue_csv():
    statuses, filters = _filters()
    rows = visible_reports(statuses, filters)
    out = io.StringIO()
    fields = list(report_summary(rows[0]).keys()) if rows else ["reference"]
    writer = csv.DictWriter(out, fieldnames=fields)
    writer.writeheader()
    for report in rows:
        writer.writerow(report_summary(report))
        audit.record(actor(), "export_csv", report.id)
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=asb-queue.csv"},
    )


def _report_or_404(reference: str) -> Report:
    report = reports.find_submitted(reference)
    if report is None:
        abort(404)
    if not can_see(current_policy(), current_user, report.handling_role):
        audit.record(actor(), "view_denied", report.id)
        abort(403)
    return report


def _assign_form() -> AssignForm:
    form = AssignForm()
    officers = db.session.scalars(select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.username))
    form.officer.choices = [(u.username, f"{u.full_name} ({u.username})") for u in officers]
    return form


@bp.get("/reports/<reference>")
@login_required
def report(reference: str):
    report = _report_or_404(reference)
    audit.record(actor(), "view_report", report.id)
    linked = {
        ref: db.session.scalar(select(Report.id).where(Report.reference == ref)) for ref in report.linked_references
    }
    return render_template(
        "staff/report.html",
        report=report,
        policy=current_policy(),
        fmt=format_reference,
        linked=linked,
        ack_form=AcknowledgeForm(),
        assign_form=_assign_form(),
        note_form=NoteForm(),
        close_form=CloseForm(current_policy()),
        update_form=UpdateForm(),
        frequency_form=FrequencyForm(current_policy(), data={"frequency": report.update_frequency}),
        held=informing.held_messages(report),
        sent=informing.messages_to_resident(report),
        officer=informing.officer_name(report.officer_told),
        survey=_survey_of(report),
        today=today(),
        can_hold=can_hold(current_user),
    )


def _survey_of(report: Report):
    from webapp.models import SatisfactionSurvey

    return db.session.scalar(select(SatisfactionSurvey).where(SatisfactionSurvey.report_id == report.id))


@bp.post("/reports/<reference>/acknowledge")
@login_required
def acknowledge(reference: str):
    report = _report_or_404(reference)
    if AcknowledgeForm().validate_on_submit():
        done = reports.acknowledge(report, current_user.username, officer=current_user.username)
        audit.record(actor(), "acknowledge", report.id, None if done else "already acknowledged")
        flash("Report acknowledged." if done else "This report was already acknowledged.")
    return redirect(url_for("staff.report", reference=reference))


@bp.post("/reports/<reference>/assign")
@login_required
def assign(reference: str):
    report = _report_or_404(reference)
    form = _assign_form()
    if form.validate_on_submit():
        reports.assign(report, form.officer.data, current_user.username)
        audit.record(actor(), "assign", report.id, form.officer.data)
        flash(f"Assigned to {form.officer.data}.")
    return redirect(url_for("staff.report", reference=reference))


@bp.post("/reports/<reference>/note")
@login_required
def note(reference: str):
    report = _report_or_404(reference)
    form = NoteForm()
    if form.validate_on_submit():
        reports.add_note(report, form.note.data.strip(), current_user.username)
        audit.record(actor(), "note", report.id)
        flash("Note added.")
    return redirect(url_for("staff.report", reference=reference))


@bp.post("/reports/<reference>/close")
@login_required
def close(reference: str):
    report = _report_or_404(reference)
    form = CloseForm(current_policy())
    if form.validate_on_submit():
        reports.close(current_policy(), report, form.closure_code.data, form.reason.data.strip(), current_user.username)
        audit.record(actor(), "close", report.id, form.closure_code.data)
        flash("Report closed. The resident is told why, and asked how we did.")
    else:
        flash("To close a report, choose why it is closing and write your notes.")
    return redirect(url_for("staff.report", reference=reference))


@bp.post("/reports/<reference>/update")
@login_required
def update(reference: str):
    """An update to the resident, by their safe channel at a safe time (or given in person). Resets the schedule."""
    report = _report_or_404(reference)
    form = UpdateForm()
    if form.validate_on_submit():
        message = informing.record_update(report, form.kind.data, current_user.username)
        audit.record(actor(), "update_resident", report.id, form.kind.data)
        if message is not None and message.status == "held":
            flash("Update recorded. The message is waiting: see 'Messages waiting' below.")
        else:
            flash("Update recorded.")
    return redirect(url_for("staff.report", reference=reference))


@bp.post("/reports/<reference>/update-frequency")
@login_required
def update_frequency(reference: str):
    report = _report_or_404(reference)
    form = FrequencyForm(current_policy())
    if form.validate_on_submit():
        informing.set_update_frequency(report, form.frequency.data, current_user.username)
        audit.record(actor(), "update_frequency", report.id, form.frequency.data)
        flash("Update frequency changed.")
    return redirect(url_for("staff.report", reference=reference))


def _may_hold(report: Report) -> None:
    if not can_hold(current_user):
        audit.record(actor(), "view_denied", report.id, "legal hold")
        abort(403)


@bp.post("/reports/<reference>/legal-hold")
@login_required
def legal_hold(reference: str):
    """Hold the report for legal proceedings: retention and erasure leave it, and everything with it, alone."""
    report = _report_or_404(reference)
    _may_hold(report)
    form = LegalHoldForm()
    if form.validate_on_submit():
        already = report.legal_hold
        report.legal_hold = True
        report.legal_hold_reason = form.reason.data.strip()
        report.events.append(CaseEvent(actor=current_user.username, kind="legal_hold"))
        db.session.commit()
        audit.record(actor(), "legal_hold", report.id, "reason changed" if already else "set")
        flash("Held for legal proceedings: it will not be deleted or anonymised until the hold is released.")
    else:
        flash("To hold a report for legal proceedings, give the reason.")
    return redirect(url_for("staff.report", reference=reference))


@bp.post("/reports/<reference>/legal-hold/release")
@login_required
def release_legal_hold(reference: str):
    report = _report_or_404(reference)
    _may_hold(report)
    if AcknowledgeForm().validate_on_submit() and report.legal_hold:
        report.legal_hold = False
        report.legal_hold_reason = None
        report.events.append(CaseEvent(actor=current_user.username, kind="legal_hold_released"))
        db.session.commit()
        audit.record(actor(), "legal_hold_release", report.id)
        flash("Legal hold released: the retention times apply again.")
    return redirect(url_for("staff.report", reference=reference))


@bp.get("/phone-report")
@login_required
def phone_report():
    """Contact-centre staff take a report by phone through the resident's own journey, recorded as a phone report."""
    return render_template("staff/phone_report.html")


@bp.post("/phone-report")
@login_required
def start_phone_report():
    if not AcknowledgeForm().validate_on_submit():
        abort(400)
    session.pop("report_id", None)
    session["report_channel"] = "phone"
    session["report_actor"] = current_user.username
    audit.record(actor(), "start_phone_report")
    return redirect(url_for("report.danger"))


@bp.get("/reports/<reference>/diary-sheet")
@login_required
def diary_sheet(reference: str):
    """The diary as a printable sheet for a case file or court bundle, with whether its chain is intact."""
    from webapp.diary.store import check_chain

    report = _report_or_404(reference)
    audit.record(actor(), "view_diary_sheet", report.id)
    return render_template(
        "staff/diary_sheet.html",
        report=report,
        policy=current_policy(),
        fmt=format_reference,
        breaks=check_chain(report),
        printed_at=utcnow(),
    )


@bp.get("/reports/<reference>/evidence/<int:evidence_id>")
@login_required
def evidence(reference: str, evidence_id: int):
    from flask import send_from_directory

    from webapp.diary.evidence import evidence_dir
    from webapp.models import DiaryEvidence

    report = _report_or_404(reference)
    item = db.session.get(DiaryEvidence, evidence_id)
    if item is None or item.entry.report_id != report.id or not item.stored_as:
        abort(404)
    audit.record(actor(), "view_evidence", report.id, str(evidence_id))
    return send_from_directory(evidence_dir(), item.stored_as, mimetype=item.content_type)


@bp.get("/satisfaction")
@login_required
def satisfaction():
    """Managers' view of the satisfaction survey: by month, by handling role, by category. Admins only."""
    from webapp.satisfaction import summary

    if current_user.role != ADMIN:
        audit.record(actor(), "view_denied", detail="satisfaction")
        abort(403)
    audit.record(actor(), "view_satisfaction")
    return render_template("staff/satisfaction.html", tables=summary(current_policy()), policy=current_policy())

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from webapp import access_codes, current_policy
from webapp.diary import bp
from webapp.diary.evidence import MAX_BYTES, MAX_FILES, EvidenceRefused, check, save
from webapp.diary.forms import CodeForm, EntryForm, ReferenceForm
from webapp.diary.store import add_entry, is_danger
from webapp.extensions import db, limiter
from webapp.models import Report

OPEN = ("submitted", "acknowledged")
# A diary entry may carry MAX_FILES files of up to MAX_BYTES each, as its page says; the app's 16 MB for any
# post refused two large videos with an error page. Room for those and the entry's words.
ENTRY_MAX_CONTENT_LENGTH = MAX_FILES * MAX_BYTES + 1024 * 1024


@bp.url_value_preprocessor
def _room_for_evidence(endpoint, values):
    # Before any before_request: CSRFProtect reads the form there, and the limit applies when it is parsed.
    if endpoint == "diary.entry":
        request.max_content_length = ENTRY_MAX_CONTENT_LENGTH


@bp.route("", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def start():
    form = ReferenceForm()
    if form.validate_on_submit():
        access_codes.ask_for_code(
            "diary",
            form.reference.data,
            OPEN,
            lambda code: _("Your code to add to your diary is %(code)s. It works for 15 minutes.", code=code),
        )
        return redirect(url_for("diary.code"))
    return render_template("diary/start.html", form=form, back_url=url_for("main.start"))


@bp.route("/code", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def code():
    if not access_codes.pending("diary"):
        return redirect(url_for("diary.start"))
    form = CodeForm()
    if form.validate_on_submit():
        report_id, error = access_codes.check_code("diary", form.code.data)
        if report_id:
            session["diary_report"] = report_id
            session.permanent = True
            return redirect(url_for("diary.entry"))
        form.code.errors.append(error)
    return render_template("diary/code.html", form=form, back_url=url_for("diary.start"))


def _diary_report() -> Report:
    report = db.session.get(Report, session.get("diary_report") or 0)
    if report is None or report.status not in OPEN:
        abort(redirect(url_for("diary.start")))
    return report


@bp.route("/entry", methods=["GET", "POST"])
def entry():
    report = _diary_report()
    form = EntryForm()
    if form.validate_on_submit():
        files = [f for f in form.evidence.data or [] if getattr(f, "filename", "")]
        if len(files) > MAX_FILES:
            form.evidence.errors.append(_("Send %(max)d files or fewer at a time", max=MAX_FILES))
        # Every file is checked before any is written: one refused file used to leave the ones before it in
        # the evidence folder, belonging to no entry.
        checked = []
        for upload in files[:MAX_FILES]:
            try:
                checked.append(check(upload.stream))
            except EvidenceRefused as exc:
                message = {
                    "too_big": _("Each file must be smaller than 10 MB"),
                    "wrong_type": _(
                        "Each file must be a photo (JPG, PNG, GIF, WebP), a video (MP4) "
                        "or a sound recording (MP3, M4A, WAV)"
                    ),
                }[str(exc)]
                if message not in form.evidence.errors:
                    form.evidence.errors.append(message)
        if not form.evidence.errors:
            evidence = [save(c) for c in checked]
            added = add_entry(
                current_policy(),
                report,
                "web",
                evidence=evidence,
                occurred_at=form.occurred_at.data.strip(),
                what_happened=form.what_happened.data.strip(),
                who_involved=(form.who_involved.data or "").strip() or None,
                effect=(form.effect.data or "").strip() or None,
                police_told=form.police_told.data == "yes",
                police_reference=(form.police_reference.data or "").strip() or None,
            )
            session["diary_added"] = {
                "seq": added.seq,
                "danger": is_danger(current_policy(), added.what_happened, report.language),
            }
            return redirect(url_for("diary.added"))
    return render_template("diary/entry.html", form=form, back_url=url_for("main.start"))


@bp.get("/added")
def added():
    done = session.get("diary_added")
    if not done:
        return redirect(url_for("diary.entry"))
    return render_template("diary/added.html", seq=done["seq"], danger=done["danger"], back_url=None)

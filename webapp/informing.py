"""Keeping the resident informed: every message the landlord starts, by a safe channel at a safe time.

A message goes by text where the resident said texts are safe, else by email
where email is safe; never by voicemail or call (an officer does those
personally). It goes only inside the resident's safe times and the policy's
hours (`asb_domain.informing`): outside them it is held, and released by the
worker when the window opens. A message that cannot be sent safely at all is
held with the reason, which the officer sees on the report page.

Every message is in the resident's language and discreet: the landlord, the
reference, the officer's name and how to reach them. Never the neighbour, the
matter, or anything the resident told us: someone else may read the phone.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app, url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select

from asb_domain import informing
from asb_domain.dates import local_date
from asb_domain.informing import SafeTimes
from asb_domain.references import format_reference
from asb_domain.repeats import phone_key
from webapp import current_policy
from webapp.extensions import db
from webapp.i18n import policy_text
from webapp.models import CaseEvent, OutboundMessage, Report, SatisfactionSurvey, StaffUser, utcnow
from webapp.outbound import claim_for_sending, email_sender, send_message, send_stored

# Why a message waits, in the officer's words (staff pages are in English).
HELD_REASONS = {
    "outside_safe_times": "Waiting for the resident's safe time",
    "no_contact": "Not sent: the resident asked us not to contact them",
    "phone_only": "Not sent: the resident said only a phone call is safe. Call them",
    "no_safe_channel": "Not sent: no safe way to send it (no safe number or email)",
    "email_unavailable": "Not sent: email is safe for the resident, but this service has no email set up",
}


def now() -> datetime:
    """The time: tests set ASB_CLOCK to a function returning a fixed moment."""
    clock = current_app.config.get("ASB_CLOCK")
    return clock() if clock else utcnow()


def safe_times(report: Report) -> SafeTimes:
    return SafeTimes.from_dict(report.contact_windows)


def route(report: Report) -> tuple[str | None, str | None, str | None]:
    """(channel, address, None), or (None, None, why not)."""
    if report.no_contact:
        return None, None, "no_contact"
    phone = phone_key(report.contact_phone) if report.contact_phone else None
    if report.text_safe and phone:
        return "sms", phone, None
    if report.email_safe and report.contact_email:
        if hasattr(email_sender(), "send_email"):
            return "email", report.contact_email, None
        return None, None, "email_unavailable"
    if report.call_safe or report.voicemail_safe:
        return None, None, "phone_only"
    return None, None, "no_safe_channel"


def officer_name(username: str | None) -> str | None:
    if not username:
        return None
    user = db.session.scalar(select(StaffUser).where(StaffUser.username == username))
    return user.full_name if user is not None else username


def _landlord() -> dict:
    policy = current_policy()
    return {"landlord": policy.landlord_name, "phone": policy.raw["landlord"].get("phone", "")}


def notify(report: Report, purpose: str, text_for, key: str | None = None) -> OutboundMessage:
    """Send `text_for()` (called in the resident's language) to the resident, safely; once per `key`."""
    channel, address, why_not = route(report)
    with force_locale(report.language or "en"):
        body = text_for()
        subject = _(
            "%(landlord)s: your case %(reference)s", reference=format_reference(report.reference), **_landlord()
        )
    dedupe_key = f"{purpose}:{report.reference}:{key or secrets.token_hex(6)}"
    if channel is None:
        hold = (None, why_not)
    else:
        moment = informing.next_safe_moment(current_policy(), safe_times(report), now())
        hold = None if moment <= now() else (moment, "outside_safe_times")
    return send_message(
        address or "",
        body,
        dedupe_key=dedupe_key,
        report_id=report.id,
        channel=channel or "sms",
        subject=subject if channel == "email" else None,
        purpose=purpose,
        hold=hold,
    )


def release_held(at: datetime | None = None) -> int:
    """Send each held message whose resident's safe time has come (asked again: their times may have changed)."""
    at = at or now()
    due = db.session.scalars(
        select(OutboundMessage)
        .where(OutboundMessage.status == "held", OutboundMessage.not_before.is_not(None))
        .where(OutboundMessage.not_before <= at)
        .order_by(OutboundMessage.not_before, OutboundMessage.id)
    ).all()
    sent = 0
    for message in due:
        report = db.session.get(Report, message.report_id) if message.report_id else None
        if report is not None:
            moment = informing.next_safe_moment(current_policy(), safe_times(report), at)
            if moment > at:
                message.not_before = moment
                db.session.commit()
                continue
        if claim_for_sending(message, at):  # another worker may be sending it already
            send_stored(message)
            sent += 1
    return sent


def held_messages(report: Report) -> list[dict]:
    """What waits for this resident and why, for the officer."""
    rows = db.session.scalars(
        select(OutboundMessage)
        .where(OutboundMessage.report_id == report.id, OutboundMessage.status.in_(("held", "opted_out")))
        .order_by(OutboundMessage.id)
    ).all()
    policy = current_policy()
    out = []
    for m in rows:
        why = "Not sent: the resident's number has opted out of texts (STOP)" if m.status == "opted_out" else ""
        why = why or HELD_REASONS.get(m.held_reason or "", m.held_reason or "")
        if m.not_before:
            from zoneinfo import ZoneInfo

            local = m.not_before.astimezone(ZoneInfo(policy.response_times["timezone"]))
            why += f": goes {local:%a %d %b at %H:%M}"
        out.append({"purpose": m.purpose, "why": why, "created_at": m.created_at, "status": m.status})
    return out


def messages_to_resident(report: Report) -> list[OutboundMessage]:
    return db.session.scalars(
        select(OutboundMessage).where(OutboundMessage.report_id == report.id).order_by(OutboundMessage.id)
    ).all()


# --- the messages --------------------------------------------------------------------------


def _ref(report: Report) -> str:
    return format_reference(report.reference)


def _schedule_next_update(report: Report, contacted: datetime) -> None:
    policy = current_policy()
    report.last_update_at = contacted
    report.next_update_due = informing.update_due(policy, report.update_frequency, local_date(policy, contacted))


def on_acknowledged(report: Report, officer_username: str) -> None:
    """Tell the resident who their officer is and how to reach them; start the update schedule."""
    name = officer_name(officer_username)
    report.officer_told = officer_username
    _schedule_next_update(report, now())
    db.session.commit()
    notify(
        report,
        "acknowledgement",
        lambda: _(
            "%(landlord)s: we have your case %(reference)s. Your officer is %(officer)s. "
            "To reach them call %(phone)s and give your reference.",
            reference=_ref(report),
            officer=name,
            **_landlord(),
        ),
        key="1",
    )


def on_officer_changed(report: Report, officer_username: str) -> None:
    """Once the resident knows an officer, a new one is news: tell them."""
    if report.officer_told is None or report.officer_told == officer_username:
        return
    name = officer_name(officer_username)
    report.officer_told = officer_username
    db.session.commit()
    notify(
        report,
        "officer_changed",
        lambda: _(
            "%(landlord)s: your case %(reference)s has a new officer, %(officer)s. "
            "To reach them call %(phone)s and give your reference.",
            reference=_ref(report),
            officer=name,
            **_landlord(),
        ),
    )


# Updates an officer can send: each says nothing about the case beyond that there is news.
UPDATE_KINDS = {
    "progress": "We are still working on the case (sent to the resident)",
    "call_me": "Ask the resident to call their officer (sent to the resident)",
    "spoke": "I updated the resident by phone or in person (nothing sent)",
}


def record_update(report: Report, kind: str, by: str) -> OutboundMessage | None:
    """An update to the resident: sent (progress, call_me) or given in person (spoke). Resets the schedule."""
    name = officer_name(report.assigned_to or by)
    message = None
    if kind == "progress":
        message = notify(
            report,
            "update",
            lambda: _(
                "%(landlord)s: we are still working on your case %(reference)s. "
                "Your officer %(officer)s can tell you more on %(phone)s.",
                reference=_ref(report),
                officer=name,
                **_landlord(),
            ),
        )
    elif kind == "call_me":
        message = notify(
            report,
            "update",
            lambda: _(
                "%(landlord)s: %(officer)s, your officer for case %(reference)s, would like to talk to you. "
                "Please call %(phone)s when it is safe.",
                reference=_ref(report),
                officer=name,
                **_landlord(),
            ),
        )
    elif kind != "spoke":
        raise ValueError(kind)
    _schedule_next_update(report, now())
    report.events.append(CaseEvent(actor=by, kind="update", detail=kind))
    db.session.commit()
    return message


def set_update_frequency(report: Report, frequency: str, by: str) -> None:
    if frequency not in {f["id"] for f in informing.frequencies(current_policy())}:
        raise ValueError(frequency)
    report.update_frequency = frequency
    if report.last_update_at is not None:
        _schedule_next_update(report, report.last_update_at)
    report.events.append(CaseEvent(actor=by, kind="update_frequency", detail=frequency))
    db.session.commit()


def case_review_text() -> str:
    review = current_policy().case_review
    return _(
        "As you reported %(reports)d times in %(months)d months, you can ask for a case review: call %(phone)s.",
        reports=review["reports"],
        months=review["window_months"],
        **_landlord(),
    )


def on_closed(report: Report) -> None:
    """Tell the resident why the case closed and how to report again; offer the case review; then the survey."""
    policy = current_policy()
    reason = informing.closure_reason(policy, report.closure_code)
    report.next_update_due = None
    db.session.commit()

    def closure_text() -> str:
        lines = [
            _("%(landlord)s: your case %(reference)s is now closed.", reference=_ref(report), **_landlord()),
            policy_text(reason["text"]),
            _("If it happens again, call %(phone)s or text this number.", **_landlord()),
        ]
        if report.case_review_eligible:
            lines.append(case_review_text())
        return " ".join(lines)

    notify(report, "closure", closure_text, key="1")
    start_survey(report)


# --- the satisfaction survey ------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def survey_question_text(index: int) -> str:
    """A survey question with its numbered answers: one text each (call in the resident's locale)."""
    question = informing.survey(current_policy())[index]
    options = " ".join(f"{n} {policy_text(o['label'])}" for n, o in enumerate(question["options"], 1))
    return _("%(question)s Reply %(options)s", question=policy_text(question["text"]), options=options)


def start_survey(report: Report) -> SatisfactionSurvey | None:
    """By text where texts are safe (each question a text, answered with a number); else a web link by email."""
    if db.session.scalar(select(SatisfactionSurvey).where(SatisfactionSurvey.report_id == report.id)):
        return None
    channel, address, _why = route(report)
    if channel is None:
        return None
    count = len(informing.survey(current_policy()))
    if channel == "sms":
        survey = SatisfactionSurvey(report_id=report.id, channel="sms", phone=address, answers={})
        db.session.add(survey)
        db.session.commit()
        notify(
            report,
            "survey",
            lambda: (
                _("We would like to know how we did: %(n)d short questions. Reply SKIP to say no.", n=count)
                + "\n"
                + survey_question_text(0)
            ),
            key="0",
        )
        return survey
    token = secrets.token_urlsafe(24)
    survey = SatisfactionSurvey(report_id=report.id, channel="web", token_hash=_hash(token), answers={})
    db.session.add(survey)
    db.session.commit()
    link = _public_url("survey.answer", token=token)
    notify(
        report,
        "survey",
        lambda: _(
            "We would like to know how we did with your case %(reference)s: %(n)d short questions at %(link)s",
            reference=_ref(report),
            n=count,
            link=link,
        ),
        key="0",
    )
    return survey


def _public_url(endpoint: str, **values) -> str:
    """A link for the resident: on PUBLIC_BASE_URL when set (behind a proxy the request's own host is not it)."""
    from flask import has_request_context

    base = current_app.config.get("PUBLIC_BASE_URL")
    if has_request_context() and not base:
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=base or "http://localhost"):
        return url_for(endpoint, _external=True, **values)


def survey_for_token(token: str) -> SatisfactionSurvey | None:
    return db.session.scalar(
        select(SatisfactionSurvey).where(
            SatisfactionSurvey.token_hash == _hash(token), SatisfactionSurvey.channel == "web"
        )
    )


def complete_survey(survey: SatisfactionSurvey, answers: dict) -> None:
    survey.answers = dict(answers)
    survey.status = "completed"
    survey.completed_at = now()
    survey.report.events.append(CaseEvent(actor="resident", kind="survey", detail="answered"))
    db.session.commit()


# How long after it starts a survey by text takes the resident's texts as its answers. After that a text is
# a text again (a new report, STATUS...): an unanswered survey never swallows what a resident sends months later.
SURVEY_OPEN_DAYS = 14


def open_sms_survey(phone: str) -> SatisfactionSurvey | None:
    return db.session.scalar(
        select(SatisfactionSurvey)
        .where(SatisfactionSurvey.phone == phone, SatisfactionSurvey.status == "sent")
        .where(SatisfactionSurvey.sent_at >= utcnow() - timedelta(days=SURVEY_OPEN_DAYS))
        .order_by(SatisfactionSurvey.id.desc())
        .limit(1)
    )


def survey_labels(index: int) -> dict[str, str]:
    """A survey question's option labels as the resident saw them (call in the resident's locale)."""
    return {o["id"]: policy_text(o["label"]) for o in informing.survey(current_policy())[index]["options"]}


def survey_reply(message, lang: str) -> bool:
    """A text while a survey question is open: recorded as its answer, and the next question or thanks sent back.

    Understood in the case's language (and the language the resident texts in): a number, an option's label,
    or its words ("fairly satisfied i guess", "نعم"). A reply not clearly one answer is asked again with its
    numbers, never guessed and never passed to the bot. Returns False when no survey is open for the number.
    """
    from asb_domain.answers import command

    survey = open_sms_survey(message.from_number)
    if survey is None:
        return False
    policy = current_policy()
    questions = informing.survey(policy)
    report = survey.report
    index = survey.next_question
    message.status = "handled"
    languages = list(dict.fromkeys([report.language or lang, lang]))
    if any(command(policy, message.body, code) in ("skip", "stop") for code in languages):
        survey.status = "declined"
        db.session.commit()
        _reply(message, report, "survey-skip", lambda: _("Thank you. We will not ask again."))
        return True
    option = None
    for code in languages:
        with force_locale(code):
            labels = survey_labels(index)
        option = option or informing.survey_answer(policy, index, message.body, code, labels)
    if option is None:
        db.session.commit()
        _reply(
            message,
            report,
            f"survey-unclear-{index}",
            lambda: (
                _("Sorry, we did not understand your answer. To stop the survey, reply SKIP.")
                + "\n"
                + survey_question_text(index)
            ),
        )
        return True
    answers = dict(survey.answers or {})
    answers[questions[index]["id"]] = option
    survey.answers = answers
    survey.next_question = index + 1

    def understood() -> str:
        # An answer in words is read back, so the resident sees what was recorded.
        if message.body.strip().rstrip(".!").isdigit():
            return ""
        label = next(o["label"] for o in questions[index]["options"] if o["id"] == option)
        return _("You answered: %(answer)s.", answer=policy_text(label)) + "\n"

    if survey.next_question >= len(questions):
        complete_survey(survey, answers)
        _reply(message, report, "survey-done", lambda: understood() + _("Thank you. Your answers help us do better."))
    else:
        db.session.commit()
        _reply(message, report, f"survey-{index + 1}", lambda: understood() + survey_question_text(index + 1))
    return True


def _reply(message, report: Report, key: str, text_for) -> None:
    """A reply to a text the resident just sent: it goes at once, to the number that sent it."""
    with force_locale(report.language or "en"):
        body = text_for()
    send_message(message.from_number, body, dedupe_key=f"{key}:{message.provider_sid}", report_id=report.id)


# --- a resident asking how their case stands ----------------------------------------------------


def case_for_number(phone: str) -> Report | None:
    """The newest case, open or closed, whose contact number is this one."""
    from webapp.diary.store import open_case_for
    from webapp.reports import SUBMITTED_STATUSES

    return open_case_for(phone, SUBMITTED_STATUSES)


def status_text(report: Report) -> str:
    """The case's status in plain words (call in the resident's locale): nothing about who was reported."""
    ref = _ref(report)
    landlord = _landlord()
    if report.status == "submitted":
        text = _(
            "Your case %(reference)s is with us. We will contact you by %(date)s.",
            reference=ref,
            date=format_date(report.acknowledge_by, "d MMMM"),
        )
    elif report.status == "acknowledged":
        officer = officer_name(report.officer_told or report.assigned_to or report.acknowledged_by)
        if report.next_update_due:
            text = _(
                "Your case %(reference)s is open. Your officer is %(officer)s. Your next update is due by %(date)s.",
                reference=ref,
                officer=officer,
                date=format_date(report.next_update_due, "d MMMM"),
            )
        else:
            text = _("Your case %(reference)s is open. Your officer is %(officer)s.", reference=ref, officer=officer)
    else:
        text = _(
            "Your case %(reference)s was closed on %(date)s.",
            reference=ref,
            date=format_date(report.closed_at, "d MMMM"),
        )
    return text + " " + _("Questions? Call %(phone)s and give your reference.", **landlord)

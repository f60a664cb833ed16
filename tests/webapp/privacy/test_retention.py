"""Retention, on SQLite and PostgreSQL: what is past the policy's time is deleted or anonymised, nothing else.

`flask retention apply` deletes unsubmitted reports, anonymises closed reports
(keeping the statistics), deletes old messages, SMS conversations and the bot's
conversations; a legal hold keeps a report and everything with it, and is named.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from asb_domain.references import format_reference
from tests.webapp.factories import draft_report, submitted
from tests.webapp.privacy.helpers import (
    backdate,
    close,
    conversation,
    days_ago,
    reply,
    tables_holding,
    text_message,
    tracker_db,
    tracker_senders,
    whole_record,
    with_diary,
)
from webapp.diary.evidence import evidence_dir
from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    DiaryEvidence,
    InboundMessage,
    OutboundMessage,
    Report,
    SatisfactionSurvey,
    SmsConversation,
)
from webapp.privacy.retention import apply_retention, retention_cli

OLD_CASE = "OLDCASE-7731-quartz"
NEW_CASE = "NEWCASE-1188-meadow"
OPEN_CASE = "OPENCASE-4420-harbour"


def run(app, *args):
    return app.test_cli_runner().invoke(retention_cli, ["apply", *args], catch_exceptions=False)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def closed_years_ago(policy, canary, years, phone, **fields):
    report = close(policy, whole_record(policy, canary, phone=phone, **fields))
    backdate(Report, report.id, closed_at=days_ago(365 * years + 2), submitted_at=days_ago(365 * years + 30))
    return db.session.get(Report, report.id)


def age_messages(phone: str, days: float) -> None:
    when = days_ago(days)
    db.session.execute(
        InboundMessage.__table__.update().where(InboundMessage.from_number == phone).values(received_at=when)
    )
    db.session.execute(
        OutboundMessage.__table__.update().where(OutboundMessage.to_number == phone).values(created_at=when)
    )
    db.session.execute(SmsConversation.__table__.update().where(SmsConversation.phone == phone).values(created_at=when))
    db.session.commit()


def test_retention_deletes_and_anonymises_exactly_what_is_past_its_time_and_nothing_else(app, policy, tmp_path):
    # Unsubmitted reports: one past 30 days, one not.
    old_draft, new_draft = draft_report(), draft_report(description="still writing it")
    db.session.add_all([old_draft, new_draft])
    db.session.commit()
    old_draft_id, new_draft_id = old_draft.id, new_draft.id
    backdate(Report, old_draft_id, updated_at=days_ago(31))
    # Closed reports: one closed 6 years and 2 days ago, one a year ago; an open one submitted 7 years ago.
    old = closed_years_ago(policy, OLD_CASE, 6, "07700 900001")
    new = closed_years_ago(policy, NEW_CASE, 1, "07700 900002")
    still_open = whole_record(policy, OPEN_CASE, phone="07700 900003")
    backdate(Report, still_open.id, submitted_at=days_ago(7 * 365))
    old_photo = old.diary[0].evidence[0].stored_as
    # Texts: number 1's all past 90 days; number 2's old but it texted yesterday; number 3's recent; and one
    # old message still waiting for the bot.
    age_messages("+447700900001", 91)
    age_messages("+447700900002", 91)
    text_message("+447700900002", "and again last night", when=days_ago(1))
    waiting = text_message("+447700900004", "waiting for the bot", when=days_ago(95), status="retry")
    conversation("+447700900004", when=days_ago(95))
    # The bot's conversations.
    sms_old = db.session.scalar(select(SmsConversation).where(SmsConversation.phone == "+447700900001")).sender_id
    sms_two = db.session.scalar(select(SmsConversation).where(SmsConversation.phone == "+447700900002")).sender_id
    sms_new = db.session.scalar(select(SmsConversation).where(SmsConversation.phone == "+447700900003")).sender_id
    tracker = tracker_db(
        tmp_path / "tracker.sqlite3",
        {
            sms_old: (days_ago(91), "old text"),
            sms_two: (days_ago(1), "recent text"),
            sms_new: (days_ago(2), "recent text"),
            "sms-9999": (days_ago(120), "a text conversation the web app no longer knows"),
            "web-0a1b2c": (days_ago(91), "an old web chat"),
            "web-3d4e5f": (days_ago(3), "a recent web chat"),
            "default": (days_ago(400), "rasa shell"),
        },
    )
    before = {"inbound": count(InboundMessage), "outbound": count(OutboundMessage)}

    result = run(app, "--tracker-db", tracker)

    assert result.exit_code == 0, result.output
    out = result.output
    assert "Deleted 1 unsubmitted report(s)." in out
    assert "Anonymised 1 closed report(s): 1 diary entr(ies) blanked, 1 evidence file(s) and 2 message(s)" in out
    assert "Deleted 2 message(s) in, 4 message(s) out, 1 SMS conversation(s)." in out
    assert "(2 by text, 1 web chat; 9 event(s))" in out  # sms_old, the orphan sms-9999, the old web chat
    assert "Kept 1 old message(s) still waiting to be handled or sent." in out
    for canary in (OLD_CASE, NEW_CASE, OPEN_CASE):
        assert canary not in out  # counts, never content

    # Unsubmitted: only the old one went.
    assert db.session.get(Report, old_draft_id) is None
    assert db.session.get(Report, new_draft_id) is not None

    # The old closed report: the person gone, the statistics kept.
    old = db.session.get(Report, old.id)
    assert old.anonymised_at is not None
    assert (old.description, old.address, old.postcode, old.contact_phone, old.contact_name) == (None,) * 5
    assert (old.incident_when, old.location, old.responsible, old.safe_times, old.closed_reason) == (None,) * 5
    assert (old.contact_key, old.address_key) == (None, None)
    assert all(a.details is None for a in old.answers)
    assert [e.what_happened for e in old.diary] == [""]
    assert old.diary[0].who_involved is None and old.diary[0].police_reference is None
    assert not (evidence_dir() / old_photo).exists()
    assert count(DiaryEvidence) == 2  # the new and the open report's photos
    assert old.reference and old.submitted_at and old.closed_at and old.status == "closed_resolved"
    assert (old.category, old.case_type, old.ram_total, old.risk_level) == ("nuisance", "noise", 2, "low")
    assert old.closure_code == "resolved"
    assert [a.score for a in old.answers] == [a.score for a in db.session.get(Report, new.id).answers]
    [survey] = db.session.scalars(select(SatisfactionSurvey).where(SatisfactionSurvey.report_id == old.id))
    assert survey.phone is None and survey.token_hash is None
    assert [e.detail for e in old.events if e.kind == "closed"] == ["resolved"]
    assert [e.detail for e in old.events if e.kind == "note"] == [None]
    assert tables_holding(OLD_CASE) == {}
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "anonymise")).all()
    assert [(a.report_id, a.actor) for a in audit] == [(old.id, "system:retention")]

    # The report closed a year ago and the open one are untouched.
    for report, canary in ((new, NEW_CASE), (still_open, OPEN_CASE)):
        report = db.session.get(Report, report.id)
        assert report.anonymised_at is None and canary in report.description
        assert canary in report.diary[0].what_happened
        assert (evidence_dir() / report.diary[0].evidence[0].stored_as).exists()

    # Messages: number 1's old messages went (those about the anonymised report with it); number 2 texted
    # yesterday, so its conversation stays (its old messages go); number 3 is recent; the waiting one stays.
    assert db.session.scalars(select(InboundMessage.from_number).order_by(InboundMessage.id)).all() == [
        "+447700900003",
        "+447700900002",
        "+447700900004",
    ]
    assert db.session.get(InboundMessage, waiting.id) is not None
    phones = db.session.scalars(select(SmsConversation.phone).order_by(SmsConversation.id)).all()
    assert phones == ["+447700900002", "+447700900003", "+447700900004"]
    assert count(InboundMessage) == before["inbound"] - 2  # number 1's and number 2's old texts
    assert not db.session.scalars(select(OutboundMessage).where(OutboundMessage.to_number == "+447700900001")).all()
    assert db.session.scalars(select(OutboundMessage).where(OutboundMessage.to_number == "+447700900003")).all()

    # The bot's conversations: the old text one, the one nobody knows any more, the old web chat.
    assert tracker_senders(tracker) == {sms_two, sms_new, "web-3d4e5f", "default"}


def test_a_dry_run_says_what_retention_would_do_and_changes_nothing(app, policy, tmp_path):
    old = closed_years_ago(policy, OLD_CASE, 7, "07700 900001")
    age_messages("+447700900001", 100)
    tracker = tracker_db(tmp_path / "tracker.sqlite3", {"web-0a1b2c": (days_ago(91), "an old web chat")})
    rows = {m.__tablename__: count(m) for m in (Report, InboundMessage, OutboundMessage, SmsConversation)}

    result = run(app, "--dry-run", "--tracker-db", tracker)

    assert result.exit_code == 0, result.output
    assert "dry run: nothing changed" in result.output
    assert "Would anonymise 1 closed report(s)" in result.output
    assert "Would delete 1 bot conversation(s) from the tracker (0 by text, 1 web chat" in result.output
    db.session.expire_all()
    assert db.session.get(Report, old.id).anonymised_at is None
    assert OLD_CASE in db.session.get(Report, old.id).description
    assert {m.__tablename__: count(m) for m in (Report, InboundMessage, OutboundMessage, SmsConversation)} == rows
    assert tracker_senders(tracker) == {"web-0a1b2c"}
    assert (evidence_dir() / db.session.get(Report, old.id).diary[0].evidence[0].stored_as).exists()


def test_a_report_under_a_legal_hold_is_held_back_by_retention_and_named(app, policy, tmp_path):
    held = closed_years_ago(policy, OLD_CASE, 8, "07700 900001", submission_key="chat:web-held01:1")
    held.legal_hold, held.legal_hold_reason = True, "Possession claim"
    db.session.commit()
    age_messages("+447700900001", 200)
    sms = db.session.scalar(select(SmsConversation)).sender_id
    tracker = tracker_db(
        tmp_path / "tracker.sqlite3",
        {sms: (days_ago(200), "text"), "web-held01": (days_ago(200), "the chat the report came from")},
    )

    result = run(app, "--tracker-db", tracker)

    assert result.exit_code == 0, result.output
    ref = format_reference(held.reference)
    assert "Anonymised 0 closed report(s)" in result.output
    assert f"{ref}: closed " in result.output and "due to be anonymised, under a legal hold" in result.output
    assert f"{ref}: 4 old message(s) to or from the number on the case, under a legal hold" in result.output
    assert f"{ref}: the SMS conversation of the number on the case, with the bot's, under a legal hold" in result.output
    held = db.session.get(Report, held.id)
    assert held.anonymised_at is None and OLD_CASE in held.description
    assert (evidence_dir() / held.diary[0].evidence[0].stored_as).exists()
    assert count(InboundMessage) == 1 and count(SmsConversation) == 1
    assert len(tracker_senders(tracker)) == 2  # the SMS conversation and the web chat of the held case


def test_an_unsubmitted_report_under_a_legal_hold_is_not_deleted(app, policy):
    draft = draft_report(legal_hold=True, legal_hold_reason="Injunction")
    db.session.add(draft)
    db.session.commit()
    backdate(Report, draft.id, updated_at=days_ago(400))
    assert "Deleted 0 unsubmitted report(s)." in run(app, "--no-tracker").output
    assert db.session.get(Report, draft.id) is not None


def test_an_evidence_file_another_report_still_holds_is_not_deleted(app, policy):
    old = closed_years_ago(policy, OLD_CASE, 6, "07700 900001")
    other = submitted(policy, contact_phone="07700 900002", address="9 Other Road")
    same = (evidence_dir() / old.diary[0].evidence[0].stored_as).read_bytes()
    with_diary(policy, other, "the same photo", photo=same)  # the same bytes: the same file
    name = other.diary[0].evidence[0].stored_as
    assert name == old.diary[0].evidence[0].stored_as

    result = run(app, "--no-tracker")

    assert "1 diary entr(ies) blanked, 0 evidence file(s)" in result.output
    assert (evidence_dir() / name).exists()
    assert db.session.get(Report, old.id).diary[0].evidence == []


def test_retention_needs_the_bot_tracker_or_an_explicit_no_tracker(app, policy, tmp_path):
    missing = run(app)
    assert missing.exit_code == 2
    assert "--tracker-db or RASA_TRACKER_DB" in missing.output
    nowhere = run(app, "--tracker-db", str(tmp_path / "no-such.sqlite3"))
    assert nowhere.exit_code == 1 and "no Rasa tracker database at" in nowhere.output
    assert not (tmp_path / "no-such.sqlite3").exists()  # never made up


def test_the_tracker_is_found_by_sqlalchemy_url_or_rasa_tracker_db(app, policy, tmp_path, monkeypatch):
    tracker = tracker_db(tmp_path / "tracker.sqlite3", {"web-0a1b2c": (days_ago(91), "old web chat")})
    assert "1 web chat" in run(app, "--tracker-db", f"sqlite:///{tracker}").output
    assert tracker_senders(tracker) == set()
    monkeypatch.setenv("RASA_TRACKER_DB", tracker)
    assert "0 web chat" in run(app).output


def test_messages_are_kept_for_exactly_the_policys_message_days(app, policy):
    phone = "+447700900001"
    conversation(phone, when=days_ago(200))
    text_message(phone, "just past", when=days_ago(90) - timedelta(minutes=5))
    text_message(phone, "just inside", when=days_ago(90) + timedelta(minutes=5))
    reply(phone, "reply just past", when=days_ago(90) - timedelta(minutes=5))

    result = apply_retention(policy, None)

    assert (result.inbound, result.outbound, result.conversations) == (1, 1, 0)
    assert db.session.scalars(select(InboundMessage.body)).all() == ["just inside"]
    assert count(SmsConversation) == 1  # it still has a message

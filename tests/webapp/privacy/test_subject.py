"""Subject access and erasure on request, on SQLite and PostgreSQL.

`flask subject export` writes everything held about one resident as JSON;
`flask subject erase --confirm` leaves no trace of their words anywhere in the
store or the bot's tracker, except what a legal hold keeps (named), keeps the
audit trail of the erasure itself, and keeps their STOP.
"""

from __future__ import annotations

import json
import os
import stat

from sqlalchemy import select

from asb_domain.references import format_reference
from tests.webapp.privacy.helpers import (
    close,
    days_ago,
    reply,
    tables_holding,
    text_message,
    tracker_db,
    tracker_holding,
    tracker_senders,
    whole_record,
)
from webapp import audit
from webapp.diary.evidence import evidence_dir
from webapp.extensions import db
from webapp.models import AuditEvent, Report, SmsConversation, SmsOptOut
from webapp.outbound import opted_out, send_message
from webapp.privacy.subject import subject_cli

CANARY = "CANARY-5e2b-kestrel-violet"
OTHER = "OTHERPERSON-9c4d-walnut"
PHONE = "+447700900123"


def run(app, *args):
    return app.test_cli_runner().invoke(subject_cli, list(args), catch_exceptions=False)


def resident(app, policy, tmp_path):
    """A resident with two reports (one closed, with a survey), a diary with a photo, texts, a web chat and a
    draft; someone else's report; and a tracker with both people's bot conversations."""
    first = close(policy, whole_record(policy, CANARY, phone="07700 900123", email="Sam@Example.org"))
    second = whole_record(policy, CANARY, phone="07700 900123", submission_key="chat:web-5a5a5a:1700000000")
    from tests.webapp.factories import draft_report

    draft = draft_report(description=f"unfinished {CANARY}", contact_phone="07700 900123")
    db.session.add(draft)
    db.session.commit()
    someone_else = whole_record(policy, OTHER, phone="07700 900999")
    audit.record("staff:tem", "view_report", first.id)
    audit.record("staff:tem", "view_report", someone_else.id)
    sms = db.session.scalar(select(SmsConversation).where(SmsConversation.phone == PHONE)).sender_id
    other_sms = db.session.scalar(select(SmsConversation).where(SmsConversation.phone == "+447700900999")).sender_id
    tracker = tracker_db(
        tmp_path / "tracker.sqlite3",
        {
            sms: (days_ago(1), f"by text {CANARY}"),
            "web-5a5a5a": (days_ago(2), f"by web chat {CANARY}"),
            other_sms: (days_ago(1), f"by text {OTHER}"),
            "web-7b7b7b": (days_ago(1), "someone else's chat"),
        },
    )
    return first, second, draft, someone_else, tracker, sms


def test_export_holds_everything_about_the_resident_including_what_they_typed_into_the_report_diary_and_texts(
    app, policy, tmp_path
):
    first, second, draft, someone_else, tracker, sms = resident(app, policy, tmp_path)
    out = tmp_path / "sar.json"

    result = run(app, "export", "--phone", "07700 900123", "--out", str(out), "--tracker-db", tracker, "--by", "dpo")

    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600  # readable by whoever ran it, nobody else
    assert CANARY not in result.output  # the command's own words are counts
    data = json.loads(out.read_text(encoding="utf-8"))
    refs = [r["reference"] for r in data["reports"]]
    assert refs == [format_reference(first.reference), format_reference(second.reference), None]
    assert format_reference(someone_else.reference) not in refs and OTHER not in out.read_text(encoding="utf-8")
    report = data["reports"][0]
    assert CANARY in report["description"] and CANARY in report["address"] and CANARY in report["contact"]["name"]
    assert any(CANARY in (a["details"] or "") for a in report["ram"]["answers"])
    assert CANARY in report["diary"][0]["what_happened"]
    assert any(CANARY in (h["detail"] or "") for h in report["history"])  # the officer's note
    assert CANARY in data["reports"][2]["description"]  # the unsubmitted report too
    assert [CANARY in m["body"] for m in data["messages_in"]] == [True, True]
    assert data["messages_out"] and all(m["to"] in (PHONE, "Sam@Example.org") for m in data["messages_out"])
    [photo, photo2] = data["evidence_files"]
    assert len(photo["sha256"]) == 64 and photo["file_present"] and photo["reference"] == refs[0]
    assert data["sms"]["conversations"][0]["sender_id"] == sms
    assert [s["reference"] for s in data["satisfaction_surveys"]] == [refs[0]]
    assert [(e["actor"], e["action"], e["reference"]) for e in data["audit_events"]] == [
        ("staff:tem", "view_report", refs[0])
    ]
    chats = {c["sender_id"]: c["messages"] for c in data["bot_conversations"]}
    assert set(chats) == {sms, "web-5a5a5a"}
    assert CANARY in chats["web-5a5a5a"][0]["text"] and chats["web-5a5a5a"][0]["who"] == "resident"
    exported = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "subject_export")).all()
    assert {(e.actor, e.report_id) for e in exported} == {("cli:dpo", r.id) for r in (first, second, draft)}


def test_a_resident_is_found_the_same_by_number_email_or_reference(app, policy, tmp_path):
    first, second, draft, someone_else, tracker, sms = resident(app, policy, tmp_path)

    def reports_found(*how):
        result = run(app, "export", *how, "--no-tracker")
        assert result.exit_code == 0, result.output
        return [r["reference"] for r in json.loads(result.output)["reports"]]

    by_phone = reports_found("--phone", "+44 7700 900123")
    assert by_phone == reports_found("--reference", format_reference(second.reference))
    assert reports_found("--email", "sam@example.org") == [format_reference(first.reference)]
    assert run(app, "export", "--phone", PHONE, "--email", "sam@example.org").exit_code == 2
    assert run(app, "export").exit_code == 2
    assert "no report" in run(app, "export", "--reference", "111-222-333", "--no-tracker").output


def test_erasing_a_resident_leaves_no_trace_of_their_words_but_keeps_the_audit_of_the_erasure(app, policy, tmp_path):
    first, second, draft, someone_else, tracker, sms = resident(app, policy, tmp_path)
    draft_id = draft.id
    photos = [evidence_dir() / r.diary[0].evidence[0].stored_as for r in (first, second)]
    assert set(tables_holding(CANARY)) >= {"reports", "ram_answers", "case_events", "diary_entries", "inbound_messages"}

    result = run(app, "erase", "--phone", "07700 900123", "--confirm", "--tracker-db", tracker, "--by", "dpo")

    assert result.exit_code == 0, result.output
    assert CANARY not in result.output
    assert "Anonymised 2 report(s): 2 diary entr(ies) blanked, 2 evidence file(s) deleted." in result.output
    assert "Deleted 1 unsubmitted report(s)." in result.output
    assert "Deleted 2 bot conversation(s) from the tracker (6 event(s))." in result.output
    db.session.expire_all()
    # Not a word of theirs in any table, nor in the bot's tracker, nor their photos on disk.
    assert tables_holding(CANARY) == {}
    assert tracker_holding(tracker, CANARY) == 0
    assert not any(p.exists() for p in photos)
    assert db.session.get(Report, draft_id) is None
    assert db.session.scalar(select(SmsConversation).where(SmsConversation.phone == PHONE)) is None
    # The case statistics stay, anonymised.
    first = db.session.get(Report, first.id)
    assert first.reference and first.anonymised_at and first.status == "closed_resolved" and first.ram_total == 2
    assert first.contact_phone is None and first.contact_email is None and first.contact_key is None
    # Someone else's record is untouched.
    assert set(tables_holding(OTHER)) >= {"reports", "diary_entries", "inbound_messages"}
    assert tracker_senders(tracker) == {db.session.scalar(select(SmsConversation)).sender_id, "web-7b7b7b"}
    # The erasure is audited, with counts, and the audit survives it.
    erased = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "erase").order_by(AuditEvent.id)).all()
    assert [(e.actor, e.report_id, e.detail) for e in erased[:2]] == [
        ("cli:dpo", first.id, "anonymised on request"),
        ("cli:dpo", second.id, "anonymised on request"),
    ]
    summary = erased[-1]
    assert summary.report_id is None
    assert summary.detail.startswith("on request: 2 report(s) anonymised, 1 unsubmitted deleted, 2 diary, 2 files")
    assert "2 bot conv" in summary.detail
    # The earlier audit trail about their reports is still there, still pointing at them.
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.report_id == first.id)).all()


def test_an_erased_resident_who_texted_stop_stays_opted_out(app, policy, tmp_path):
    whole_record(policy, CANARY, phone="07700 900123")
    db.session.add(SmsOptOut(phone=PHONE))
    db.session.commit()

    result = run(app, "erase", "--phone", PHONE, "--confirm", "--no-tracker")

    assert "Kept: the number stays opted out of texts (it said STOP)" in result.output
    assert opted_out(PHONE)
    message = send_message(PHONE, "Your case is closed", dedupe_key="after-erasure")
    assert message.status == "opted_out" and message.attempts == 0


def test_erasure_holds_back_a_report_under_a_legal_hold_and_says_why(app, policy, tmp_path):
    held = whole_record(policy, CANARY, phone="07700 900123")
    held.legal_hold, held.legal_hold_reason = True, "Possession claim"
    db.session.commit()
    freed = whole_record(policy, "FREED-3f3f", phone="07700 900123", email="sam@example.org")
    text_message(PHONE, f"about the held case {CANARY}")
    reply("sam@example.org", "Your case", report_id=freed.id)

    result = run(app, "erase", "--phone", PHONE, "--confirm", "--no-tracker")

    ref = format_reference(held.reference)
    assert f"  {ref}: under a legal hold" in result.output
    assert f"  {ref}: the SMS conversation of the number on the case" in result.output
    assert "message(s) to or from the number or email on the case" in result.output
    held = db.session.get(Report, held.id)
    assert held.anonymised_at is None and CANARY in held.description and held.legal_hold_reason
    assert (evidence_dir() / held.diary[0].evidence[0].stored_as).exists()
    assert set(tables_holding(CANARY)) >= {"reports", "diary_entries", "inbound_messages"}
    # The report not held is anonymised; its text came from the number on the held case, so the hold keeps it.
    assert tables_holding("FREED-3f3f") == {"inbound_messages": 1}
    assert db.session.get(Report, freed.id).anonymised_at is not None
    erased = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "erase")).all()
    assert (held.id, "held back: legal hold") in [(e.report_id, e.detail) for e in erased]


def test_erase_without_confirm_only_says_what_it_would_do(app, policy, tmp_path):
    first, second, draft, someone_else, tracker, sms = resident(app, policy, tmp_path)
    before = tables_holding(CANARY)

    result = run(app, "erase", "--reference", format_reference(first.reference), "--tracker-db", tracker)

    assert result.exit_code == 1
    assert "Nothing erased: this is what --confirm would do." in result.output
    assert "Would anonymise 2 report(s)" in result.output
    assert tables_holding(CANARY) == before
    assert tracker_holding(tracker, CANARY) == 2
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action == "erase")).all()


def test_erasing_needs_the_bot_tracker_or_an_explicit_no_tracker(app, policy):
    whole_record(policy, CANARY)
    result = run(app, "erase", "--phone", PHONE, "--confirm")
    assert result.exit_code == 2 and "--tracker-db or RASA_TRACKER_DB" in result.output
    assert CANARY in db.session.scalar(select(Report.description))

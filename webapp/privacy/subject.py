"""`flask subject export|erase`: everything held about one resident, and erasing it on request.

A resident is found by their number (`--phone`), their email (`--email`), or
a report's reference (`--reference`: that report's number and email then find
their other reports). What is held about them:

- their reports (unsubmitted ones too), with everything staff see (webapp/report_data.report_detail):
  contact safety, RAM answers, flags, diary, history; and each diary entry's evidence files, with hashes;
- the texts from their number and every message to their number, their email, or about their reports;
- their SMS conversation with the bot, and whether their number said STOP;
- the satisfaction surveys about their reports;
- the audit log of who looked at or did what to their reports;
- the bot's own record of their conversations (web chat and text), from Rasa's tracker store.

Erasing anonymises their submitted reports (webapp/privacy/records.py: the case statistics stay), deletes
their unsubmitted reports, messages, SMS conversation and bot conversations, and keeps anything under a
legal hold, named. The erasure itself is audited, with counts only.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from dataclasses import dataclass, field
from datetime import datetime

import click
from flask.cli import AppGroup
from sqlalchemy import delete, func, or_, select, update

from asb_domain.references import format_reference, parse_reference
from asb_domain.repeats import email_key, phone_key
from webapp import audit, current_policy
from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    InboundMessage,
    OutboundMessage,
    Report,
    SatisfactionSurvey,
    SmsConversation,
    SmsOptOut,
    utcnow,
)
from webapp.privacy.records import Removed, anonymise, delete_files, legal_holds, reference_of, sender_of
from webapp.privacy.tracker import ENV_VAR, TrackerStore, open_tracker, tracker_options
from webapp.report_data import contact_safety, report_detail

subject_cli = AppGroup("subject", help="A resident's records: subject access (export) and erasure on request.")


def _iso(value):
    return value.isoformat() if value is not None else None


# --- who, and what we hold about them -----------------------------------------------------------------------


@dataclass
class Subject:
    phones: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    references: set[str] = field(default_factory=set)  # canonical


def identify(phone: str | None = None, email: str | None = None, reference: str | None = None) -> Subject:
    """The resident's identifiers from exactly one of a number, an email or a report's reference."""
    if sum(bool(v) for v in (phone, email, reference)) != 1:
        raise click.UsageError("give one of --phone, --email or --reference")
    subject = Subject()
    if phone:
        key = phone_key(phone)
        if key is None:
            raise click.BadParameter("not a phone number", param_hint="--phone")
        subject.phones.add(key)
    if email:
        key = email_key(email)
        if key is None:
            raise click.BadParameter("not an email address", param_hint="--email")
        subject.emails.add(key)
    if reference:
        canonical = parse_reference(reference)
        report = db.session.scalar(select(Report).where(Report.reference == canonical)) if canonical else None
        if report is None:
            raise click.ClickException(f"no report {reference}")
        subject.references.add(canonical)
        for key in (phone_key(report.contact_phone), report.contact_key):
            if key and key.startswith("+"):
                subject.phones.add(key)
        if email_key(report.contact_email):
            subject.emails.add(email_key(report.contact_email))
    return subject


@dataclass
class Holdings:
    subject: Subject
    reports: list[Report]
    conversations: list[SmsConversation]
    inbound: list[InboundMessage]
    outbound: list[OutboundMessage]
    surveys: list[SatisfactionSurvey]
    audit_events: list[AuditEvent]
    opt_outs: list[SmsOptOut]
    senders: set[str]  # the bot's sender ids of their conversations


def reports_of(subject: Subject) -> list[Report]:
    keys = subject.phones | subject.emails
    conditions = []
    if keys:
        conditions.append(Report.contact_key.in_(keys))
    if subject.emails:
        conditions.append(func.lower(func.trim(Report.contact_email)).in_(subject.emails))
    if subject.references:
        conditions.append(Report.reference.in_(subject.references))
    found = {r.id: r for r in db.session.scalars(select(Report).where(or_(*conditions)))}
    # An unsubmitted report has no contact key yet: match the number or email as it was typed.
    unkeyed = select(Report).where(
        Report.contact_key.is_(None), or_(Report.contact_phone.is_not(None), Report.contact_email.is_not(None))
    )
    for report in db.session.scalars(unkeyed):
        if phone_key(report.contact_phone) in subject.phones or email_key(report.contact_email) in subject.emails:
            found[report.id] = report
    return sorted(found.values(), key=lambda r: r.id)


def holdings(subject: Subject) -> Holdings:
    reports = reports_of(subject)
    ids = [r.id for r in reports]
    phones, emails = sorted(subject.phones), sorted(subject.emails)
    conversations = db.session.scalars(
        select(SmsConversation).where(SmsConversation.phone.in_(phones)).order_by(SmsConversation.id)
    ).all()
    outbound_to = [OutboundMessage.to_number.in_(phones), func.lower(OutboundMessage.to_number).in_(emails)]
    if ids:
        outbound_to.append(OutboundMessage.report_id.in_(ids))
    senders = {c.sender_id for c in conversations} | {s for s in map(sender_of, reports) if s}
    return Holdings(
        subject=subject,
        reports=reports,
        conversations=conversations,
        inbound=db.session.scalars(
            select(InboundMessage).where(InboundMessage.from_number.in_(phones)).order_by(InboundMessage.id)
        ).all(),
        outbound=db.session.scalars(
            select(OutboundMessage).where(or_(*outbound_to)).order_by(OutboundMessage.id)
        ).all(),
        surveys=db.session.scalars(
            select(SatisfactionSurvey)
            .where(or_(SatisfactionSurvey.report_id.in_(ids), SatisfactionSurvey.phone.in_(phones)))
            .order_by(SatisfactionSurvey.id)
        ).all(),
        audit_events=db.session.scalars(
            select(AuditEvent).where(AuditEvent.report_id.in_(ids)).order_by(AuditEvent.id)
        ).all(),
        opt_outs=db.session.scalars(select(SmsOptOut).where(SmsOptOut.phone.in_(phones))).all(),
        senders=senders,
    )


# --- export ----------------------------------------------------------------------------------------------------


def _report_entry(policy, report: Report) -> dict:
    if report.reference:
        entry = report_detail(policy, report)
    else:
        entry = {
            "reference": None,
            "status": report.status,
            "channel": report.channel,
            "language": report.language,
            "updated_at": _iso(report.updated_at),
            "contact": contact_safety(report),
            "description": report.description,
            "case_type": report.case_type,
            "incident_when": report.incident_when,
            "location": report.location,
            "address": report.address,
            "postcode": report.postcode,
            "responsible": report.responsible,
            "reporter": {"relationship": report.reporter_relationship, "name": report.reporter_name},
            "consent_to_share": report.consent_to_share,
            "answers_so_far": report.draft,
        }
    entry["created_at"] = _iso(report.created_at)
    entry["legal_hold"] = bool(report.legal_hold)
    entry["anonymised_at"] = _iso(report.anonymised_at)
    return entry


def export_data(policy, held: Holdings, tracker: TrackerStore | None, now: datetime | None = None) -> dict:
    """Everything held about the resident, as JSON-ready data."""
    from webapp.diary.evidence import evidence_dir

    refs = {r.id: (format_reference(r.reference) if r.reference else None) for r in held.reports}
    evidence = []
    folder = evidence_dir()
    for report in held.reports:
        for entry in report.diary:
            for item in entry.evidence:
                evidence.append(
                    {
                        "reference": refs[report.id],
                        "diary_entry": entry.seq,
                        "kind": item.kind,
                        "content_type": item.content_type,
                        "size": item.size,
                        "sha256": item.sha256,
                        "file": item.stored_as,
                        "file_present": bool(item.stored_as) and (folder / item.stored_as).is_file(),
                        "url": item.url,
                    }
                )
    data = {
        "exported_at": _iso(now or utcnow()),
        "landlord": policy.landlord_name,
        "subject": {
            "phones": sorted(held.subject.phones),
            "emails": sorted(held.subject.emails),
            "references": sorted(format_reference(r) for r in held.subject.references),
        },
        "reports": [_report_entry(policy, r) for r in held.reports],
        "evidence_files": evidence,
        "sms": {
            "conversations": [
                {"sender_id": c.sender_id, "language": c.language, "created_at": _iso(c.created_at)}
                for c in held.conversations
            ],
            "opted_out": [{"phone": o.phone, "since": _iso(o.opted_out_at)} for o in held.opt_outs],
        },
        "messages_in": [
            {
                "received_at": _iso(m.received_at),
                "channel": m.channel,
                "from": m.from_number,
                "to": m.to_number,
                "body": m.body,
                "media": m.media,
                "status": m.status,
            }
            for m in held.inbound
        ],
        "messages_out": [
            {
                "created_at": _iso(m.created_at),
                "sent_at": _iso(m.sent_at),
                "channel": m.channel,
                "to": m.to_number,
                "subject": m.subject,
                "body": m.body,
                "purpose": m.purpose,
                "status": m.status,
                "reference": refs.get(m.report_id),
            }
            for m in held.outbound
        ],
        "satisfaction_surveys": [
            {
                "reference": refs.get(s.report_id),
                "channel": s.channel,
                "phone": s.phone,
                "status": s.status,
                "sent_at": _iso(s.sent_at),
                "completed_at": _iso(s.completed_at),
                "answers": s.answers,
            }
            for s in held.surveys
        ],
        "audit_events": [
            {
                "at": _iso(e.at),
                "actor": e.actor,
                "action": e.action,
                "reference": refs.get(e.report_id),
                "detail": e.detail,
            }
            for e in held.audit_events
        ],
    }
    if tracker is None:
        data["bot_conversations"] = None
        data["bot_conversations_note"] = "not looked at: no tracker database given"
    else:
        data["bot_conversations"] = [
            {"sender_id": s, "messages": tracker.transcript(s)} for s in sorted(held.senders) if tracker.count([s])[0]
        ]
    return data


# --- erasure ---------------------------------------------------------------------------------------------------


@dataclass
class ErasureResult:
    dry_run: bool
    anonymised: Removed = field(default_factory=Removed)
    drafts: int = 0
    inbound: int = 0
    outbound: int = 0
    conversations: int = 0
    tracker: str = "not given"
    tracker_conversations: int = 0
    tracker_events: int = 0
    opted_out: bool = False
    held: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        """For the audit log: counts, never content."""
        a = self.anonymised
        text = (
            f"on request: {a.reports} report(s) anonymised, {self.drafts} unsubmitted deleted, "
            f"{a.diary_entries} diary, {a.evidence_files} files, {self.inbound} in, {self.outbound + a.messages} out, "
            f"{self.conversations} sms conv, {self.tracker_conversations} bot conv, {len(self.held)} held back"
        )
        return text[:200]

    def lines(self) -> list[str]:
        done = "Would delete" if self.dry_run else "Deleted"
        blanked = "Would anonymise" if self.dry_run else "Anonymised"
        a = self.anonymised
        out = [
            f"{blanked} {a.reports} report(s): {a.diary_entries} diary entr(ies) blanked, "
            f"{a.evidence_files} evidence file(s) deleted.",
            f"{done} {self.drafts} unsubmitted report(s).",
            f"{done} {self.inbound} message(s) in, {self.outbound + a.messages} message(s) out, "
            f"{self.conversations} SMS conversation(s).",
        ]
        if self.tracker == "used":
            out.append(
                f"{done} {self.tracker_conversations} bot conversation(s) from the tracker "
                f"({self.tracker_events} event(s))."
            )
        elif self.tracker == "no events table":
            out.append("The bot's tracker database has no events table: no bot conversations to delete.")
        else:
            out.append("No bot tracker given (--no-tracker): its conversations were not looked at.")
        if self.opted_out:
            out.append("Kept: the number stays opted out of texts (it said STOP), so we never text it again.")
        if self.held:
            out.append(f"Held back ({len(self.held)}):")
            out += [f"  {ref}: {why}" for ref, why in self.held]
        return out


def erase(
    held_records: Holdings,
    tracker: TrackerStore | None,
    actor: str,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
) -> ErasureResult:
    """Erase what is held about the resident, except what a legal hold keeps. Audited, with counts."""
    now = now or utcnow()
    result = ErasureResult(dry_run=dry_run)
    holds = legal_holds()
    anonymised, drafts = [], []
    held_counts: dict[str, int] = {}

    for report in held_records.reports:
        if report.legal_hold:
            result.held.append((reference_of(report), "under a legal hold"))
        elif report.status == "draft":
            drafts.append(report)
        else:
            anonymised.append(report)  # a report retention already anonymised is done again: harmless
            anonymise(report, "erasure request", now, result.anonymised, dry_run=dry_run)
    anonymised_ids = {r.id for r in anonymised}
    draft_ids = [r.id for r in drafts]

    inbound_ids = []
    for message in held_records.inbound:
        ref = holds.message_held(message.from_number)
        if ref:
            held_counts[ref] = held_counts.get(ref, 0) + 1
        else:
            inbound_ids.append(message.id)
    outbound_ids = []
    for message in held_records.outbound:
        if message.report_id in anonymised_ids:
            continue  # deleted, and counted, with its report
        ref = holds.message_held(message.to_number, message.report_id)
        if ref:
            held_counts[ref] = held_counts.get(ref, 0) + 1
        else:
            outbound_ids.append(message.id)
    result.inbound, result.outbound = len(inbound_ids), len(outbound_ids)
    gone = [c for c in held_records.conversations if c.phone not in holds.phones]
    result.conversations = len(gone)
    for conversation in held_records.conversations:
        if conversation.phone in holds.phones:
            result.held.append((holds.phones[conversation.phone], "the SMS conversation of the number on the case"))
    for ref, count in held_counts.items():
        result.held.append((ref, f"{count} message(s) to or from the number or email on the case"))
    senders = held_records.senders - holds.senders.keys()
    for sender in sorted(held_records.senders & holds.senders.keys()):
        result.held.append((holds.senders[sender], "the bot's conversation with the resident"))
    # A STOP survives an erasure: SmsOptOut keeps the number (and only the number), so nothing is texted to
    # it again until it texts START. Erasing it would start texts to someone who asked us never to text them.
    result.opted_out = bool(held_records.opt_outs)

    if tracker is None:
        result.tracker = "not given"
    elif not tracker.has_events():
        result.tracker = "no events table"
    else:
        result.tracker = "used"
        act = tracker.count if dry_run else tracker.delete  # the bot's first: never a conversation left behind
        result.tracker_conversations, result.tracker_events = act(senders)
    result.drafts = len(drafts)

    if dry_run:
        db.session.rollback()
        return result

    if inbound_ids:
        db.session.execute(
            update(OutboundMessage).where(OutboundMessage.in_reply_to_id.in_(inbound_ids)).values(in_reply_to_id=None)
        )
        db.session.execute(delete(InboundMessage).where(InboundMessage.id.in_(inbound_ids)))
    if outbound_ids:
        db.session.execute(delete(OutboundMessage).where(OutboundMessage.id.in_(outbound_ids)))
    if draft_ids:
        # The audit trail stays (it holds no content), no longer pointing at a report that is gone.
        db.session.execute(update(AuditEvent).where(AuditEvent.report_id.in_(draft_ids)).values(report_id=None))
        db.session.execute(delete(OutboundMessage).where(OutboundMessage.report_id.in_(draft_ids)))
        for report in drafts:
            db.session.delete(report)
    for conversation in gone:
        db.session.delete(conversation)
    db.session.commit()
    delete_files(result.anonymised.files)

    for report in anonymised:
        audit.record(actor, "erase", report.id, "anonymised on request")
    for report in held_records.reports:
        if report.legal_hold:
            audit.record(actor, "erase", report.id, "held back: legal hold")
    audit.record(actor, "erase", None, result.summary())
    return result


# --- the commands ----------------------------------------------------------------------------------------------


def _subject_options(command):
    command = click.option("--reference", help="A report's reference: finds the resident by its number and email.")(
        command
    )
    command = click.option("--email", help="The resident's email address.")(command)
    return click.option("--phone", help="The resident's phone number (any UK form).")(command)


def _actor(by: str | None) -> str:
    if not by:
        try:
            by = getpass.getuser()
        except (KeyError, OSError):
            by = "unknown"
    return f"cli:{by}"


_BY = click.option("--by", metavar="NAME", help="Who is handling the request, for the audit log (default: you).")


@subject_cli.command("export")
@_subject_options
@click.option("--out", "out_path", metavar="FILE", help="Write the JSON here (a new file, readable by you only).")
@_BY
@tracker_options
def export_command(phone, email, reference, out_path, by, tracker_db, no_tracker):
    """Everything held about one resident, as JSON (a subject access request)."""
    subject = identify(phone, email, reference)
    # Optional here: without a tracker the export says the bot's conversations were not looked at.
    tracker = open_tracker(tracker_db, no_tracker or not (tracker_db or os.environ.get(ENV_VAR)))
    try:
        held = holdings(subject)
        data = export_data(current_policy(), held, tracker)
    finally:
        if tracker is not None:
            tracker.close()
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    if out_path and out_path != "-":
        try:
            fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise click.ClickException(f"{out_path} exists: choose a new file") from None
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text + "\n")
    else:
        click.echo(text)
    actor = _actor(by)
    for report in held.reports:
        audit.record(actor, "subject_export", report.id)
    if not held.reports:
        audit.record(actor, "subject_export", None, "no reports")
    if out_path and out_path != "-":
        click.echo(
            f"Wrote {len(held.reports)} report(s), {len(held.inbound)} message(s) in, {len(held.outbound)} out, "
            f"{len(data['evidence_files'])} evidence file(s) to {out_path}.",
            err=True,
        )


@subject_cli.command("erase")
@_subject_options
@click.option("--confirm", is_flag=True, help="Erase. Without it, only say what would be erased.")
@_BY
@tracker_options
def erase_command(phone, email, reference, confirm, by, tracker_db, no_tracker):
    """Erase what is held about one resident on their request, except what a legal hold keeps."""
    subject = identify(phone, email, reference)
    tracker = open_tracker(tracker_db, no_tracker)
    try:
        result = erase(holdings(subject), tracker, _actor(by), dry_run=not confirm)
    finally:
        if tracker is not None:
            tracker.close()
    if not confirm:
        click.echo("Nothing erased: this is what --confirm would do.")
    for line in result.lines():
        click.echo(line)
    if not confirm:
        sys.exit(1)

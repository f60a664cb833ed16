"""`flask retention apply [--dry-run]`: keep what residents told us no longer than the policy's `retention` says.

- Unsubmitted reports older than `unsubmitted_report_days` are deleted.
- Closed reports closed more than `closed_report_years` ago are anonymised (webapp/privacy/records.py).
- Messages in and out older than `message_days` are deleted (not those still waiting to be handled or sent),
  then each SMS conversation with no messages left, and the bot's conversations that go with them, and web
  chats whose last event is older than `message_days`, from the bot's tracker store.
- Anything under a legal hold, or a message to or from the number on a case under a legal hold, is kept,
  and named.

It prints counts, never content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import click
from flask.cli import AppGroup
from sqlalchemy import delete, select, update

from webapp import audit, current_policy
from webapp.extensions import db
from webapp.models import InboundMessage, OutboundMessage, Report, SmsConversation, utcnow
from webapp.privacy.records import CLOSED_STATUSES, Removed, anonymise, delete_files, legal_holds, reference_of
from webapp.privacy.tracker import SMS_PREFIX, WEB_PREFIX, TrackerStore, open_tracker, tracker_options
from webapp.report.drafts import purge_unsubmitted

# Still to be handed to the bot, or still to be sent: never deleted by retention (the worker needs them).
INBOUND_WAITING = ("received", "queued", "retry")
OUTBOUND_WAITING = ("held", "queued", "sending")
ACTOR = "system:retention"

retention_cli = AppGroup("retention", help="Keep records no longer than the policy's retention settings.")


def years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


@dataclass
class RetentionResult:
    dry_run: bool
    settings: dict
    drafts: int = 0
    anonymised: Removed = field(default_factory=Removed)
    inbound: int = 0
    outbound: int = 0
    conversations: int = 0
    waiting: int = 0
    tracker: str = "not given"  # or "no events table", or "used"
    tracker_sms: int = 0
    tracker_web: int = 0
    tracker_events: int = 0
    # (reference, what was held back): reports and messages under a legal hold.
    held: list[tuple[str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        done = "Would delete" if self.dry_run else "Deleted"
        blanked = "Would anonymise" if self.dry_run else "Anonymised"
        s = self.settings
        a = self.anonymised
        out = [
            f"Retention: unsubmitted reports {s['unsubmitted_report_days']} days, closed reports "
            f"{s['closed_report_years']} years, messages {s['message_days']} days"
            + (" (dry run: nothing changed)." if self.dry_run else "."),
            f"{done} {self.drafts} unsubmitted report(s).",
            f"{blanked} {a.reports} closed report(s): {a.diary_entries} diary entr(ies) blanked, "
            f"{a.evidence_files} evidence file(s) and {a.messages} message(s) deleted.",
            f"{done} {self.inbound} message(s) in, {self.outbound} message(s) out, "
            f"{self.conversations} SMS conversation(s).",
        ]
        if self.tracker == "used":
            out.append(
                f"{done} {self.tracker_sms + self.tracker_web} bot conversation(s) from the tracker "
                f"({self.tracker_sms} by text, {self.tracker_web} web chat; {self.tracker_events} event(s))."
            )
        elif self.tracker == "no events table":
            out.append("The bot's tracker database has no events table: no bot conversations to delete.")
        else:
            out.append("No bot tracker given (--no-tracker): its conversations were not looked at.")
        if self.waiting:
            out.append(f"Kept {self.waiting} old message(s) still waiting to be handled or sent.")
        if self.held:
            out.append(f"Held back under a legal hold ({len(self.held)}):")
            out += [f"  {ref}: {what}, under a legal hold" for ref, what in self.held]
        return out


def apply_retention(
    policy, tracker: TrackerStore | None, *, dry_run: bool = False, now: datetime | None = None
) -> RetentionResult:
    now = now or utcnow()
    settings = policy.raw["retention"]
    result = RetentionResult(dry_run=dry_run, settings=settings)
    holds = legal_holds()

    # Unsubmitted reports (never one under a hold: purge_unsubmitted leaves those).
    result.drafts = purge_unsubmitted(policy, now=now, dry_run=dry_run)

    # Closed reports past their time: anonymised.
    closed_before = years_before(now, settings["closed_report_years"])
    due = db.session.scalars(
        select(Report)
        .where(Report.status.in_(CLOSED_STATUSES), Report.closed_at < closed_before, Report.anonymised_at.is_(None))
        .order_by(Report.closed_at, Report.id)
    ).all()
    anonymised_ids = []
    for report in due:
        if report.legal_hold:
            result.held.append((reference_of(report), f"closed {report.closed_at:%d %b %Y}, due to be anonymised"))
            continue
        anonymise(report, "retention", now, result.anonymised, dry_run=dry_run)
        anonymised_ids.append(report.id)

    # Messages past their time, unless they still wait or a hold keeps them.
    messages_before = now - timedelta(days=settings["message_days"])
    held_messages: dict[str, int] = {}
    inbound_ids, outbound_ids = [], []
    kept_numbers = set(
        db.session.scalars(select(InboundMessage.from_number).where(InboundMessage.received_at >= messages_before))
    ) | set(db.session.scalars(select(OutboundMessage.to_number).where(OutboundMessage.created_at >= messages_before)))
    old_inbound = db.session.execute(
        select(InboundMessage.id, InboundMessage.from_number, InboundMessage.status).where(
            InboundMessage.received_at < messages_before
        )
    ).all()
    for message_id, number, status in old_inbound:
        ref = holds.message_held(number)
        if ref:
            held_messages[ref] = held_messages.get(ref, 0) + 1
            kept_numbers.add(number)
        elif status in INBOUND_WAITING:
            result.waiting += 1
            kept_numbers.add(number)
        else:
            inbound_ids.append(message_id)
    old_outbound = db.session.execute(
        select(OutboundMessage.id, OutboundMessage.to_number, OutboundMessage.status, OutboundMessage.report_id).where(
            OutboundMessage.created_at < messages_before
        )
    ).all()
    for message_id, number, status, report_id in old_outbound:
        if report_id is not None and report_id in anonymised_ids:
            continue  # counted, and deleted, with its report
        ref = holds.message_held(number, report_id)
        if ref:
            held_messages[ref] = held_messages.get(ref, 0) + 1
            kept_numbers.add(number)
        elif status in OUTBOUND_WAITING:
            result.waiting += 1
            kept_numbers.add(number)
        else:
            outbound_ids.append(message_id)
    result.inbound, result.outbound = len(inbound_ids), len(outbound_ids)

    # An SMS conversation goes with its last message (a hold keeps it, and its bot conversation).
    conversations = db.session.scalars(select(SmsConversation).order_by(SmsConversation.id)).all()
    gone, live = [], set()
    for conversation in conversations:
        ref = holds.phones.get(conversation.phone)
        old = conversation.created_at < messages_before
        if old and conversation.phone not in kept_numbers and not ref:
            gone.append(conversation)
            continue
        live.add(conversation.sender_id)
        if old and ref:
            result.held.append((ref, "the SMS conversation of the number on the case, with the bot's"))
    result.conversations = len(gone)
    for ref, count in held_messages.items():
        result.held.append((ref, f"{count} old message(s) to or from the number on the case"))

    # The bot's conversations: those of the SMS conversations that go, text conversations the web app no longer
    # knows, and web chats, once their last event is past `message_days`; never one a hold keeps.
    if tracker is None:
        result.tracker = "not given"
    elif not tracker.has_events():
        result.tracker = "no events table"
    else:
        result.tracker = "used"
        before = messages_before.timestamp()
        sms = {c.sender_id for c in gone}
        sms |= {
            s for s, last in tracker.last_seen(SMS_PREFIX).items() if last < before and s not in live
        } - holds.senders.keys()
        web = {s for s, last in tracker.last_seen(WEB_PREFIX).items() if last < before} - holds.senders.keys()
        act = tracker.count if dry_run else tracker.delete  # the bot's first: never a conversation left behind
        result.tracker_sms, sms_events = act(sms)
        result.tracker_web, web_events = act(web)
        result.tracker_events = sms_events + web_events

    if dry_run:
        db.session.rollback()
        return result

    if inbound_ids:
        for chunk in _chunks(inbound_ids):
            db.session.execute(
                update(OutboundMessage).where(OutboundMessage.in_reply_to_id.in_(chunk)).values(in_reply_to_id=None)
            )
            db.session.execute(delete(InboundMessage).where(InboundMessage.id.in_(chunk)))
    for chunk in _chunks(outbound_ids):
        db.session.execute(delete(OutboundMessage).where(OutboundMessage.id.in_(chunk)))
    for conversation in gone:
        db.session.delete(conversation)
    db.session.commit()
    delete_files(result.anonymised.files)
    years = settings["closed_report_years"]
    for report_id in anonymised_ids:
        audit.record(ACTOR, "anonymise", report_id, f"retention: closed over {years} years")
    return result


def _chunks(ids: list[int], size: int = 500):
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


@retention_cli.command("apply")
@click.option("--dry-run", is_flag=True, help="Say what would be deleted and anonymised; change nothing.")
@tracker_options
def apply_command(dry_run: bool, tracker_db: str | None, no_tracker: bool) -> None:
    """Delete and anonymise what is past the policy's retention times (run it daily). Prints counts only."""
    tracker = open_tracker(tracker_db, no_tracker)
    try:
        result = apply_retention(current_policy(), tracker, dry_run=dry_run)
    finally:
        if tracker is not None:
            tracker.close()
    for line in result.lines():
        click.echo(line)

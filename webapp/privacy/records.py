"""What retention and erasure share: anonymising a report, legal holds, evidence files, the bot's sender ids.

Anonymising keeps a report for statistics and takes out the person: the
resident's words, names, contact details, addresses, RAM details, diary text,
evidence files and messages go; the reference, dates, status, channel,
language, category, case type, RAM options and scores, priority, flags,
outcome (closure reason) and survey answers stay. A report under a legal hold
is never anonymised or deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, func, select, update

from asb_domain.references import format_reference
from asb_domain.repeats import email_key, phone_key
from webapp.extensions import db
from webapp.models import CaseEvent, DiaryEvidence, OutboundMessage, Report, SatisfactionSurvey, SmsConversation

CLOSED_STATUSES = ("closed_resolved", "closed_unresolved")

# Who the resident is and what they told us, in their words: blanked when a report is anonymised.
PERSONAL_FIELDS = (
    "description",
    "incident_when",
    "location",
    "address",
    "postcode",
    "responsible",
    "reporter_name",
    "contact_name",
    "contact_phone",
    "contact_email",
    "safe_times",
    "contact_windows",
    "closed_reason",  # staff's notes about the case
    "contact_key",  # the normalised number or email
    "address_key",
    "resume_code_hash",
    "submission_key",  # carries the bot's sender id
    "legal_hold_reason",
)
# Case history whose detail is an id, a count or an officer's username, never anyone's words: kept.
KEPT_EVENT_DETAIL = frozenset(
    {"submitted", "acknowledged", "assigned", "update", "update_frequency", "survey", "diary_worsening", "language"}
    | {"anonymised", "legal_hold", "legal_hold_released"}
)


def reference_of(report: Report) -> str:
    return format_reference(report.reference) if report.reference else f"unsubmitted report {report.id}"


def sender_of(report: Report) -> str | None:
    """The bot's sender id the report came from ("web-..." or "sms-..."), from its submission key."""
    parts = (report.submission_key or "").split(":")
    if len(parts) >= 2 and parts[1].startswith(("web-", "sms-")):
        return parts[1]
    return None


@dataclass
class Holds:
    """Everything a legal hold keeps, each with the reference of the report that holds it."""

    reports: dict[int, str] = field(default_factory=dict)
    phones: dict[str, str] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    senders: dict[str, str] = field(default_factory=dict)

    def message_held(self, number: str | None, report_id: int | None = None) -> str | None:
        """The reference holding a message to or from `number` (or about `report_id`), if any."""
        if report_id is not None and report_id in self.reports:
            return self.reports[report_id]
        if not number:
            return None
        return self.phones.get(number) or self.emails.get(number.strip().lower())


def legal_holds() -> Holds:
    """The reports under a legal hold, and the numbers, emails and bot conversations that go with them."""
    holds = Holds()
    for report in db.session.scalars(select(Report).where(Report.legal_hold.is_(True)).order_by(Report.id)):
        ref = reference_of(report)
        holds.reports[report.id] = ref
        for phone in {phone_key(report.contact_phone), report.contact_key}:
            if phone and phone.startswith("+"):
                holds.phones.setdefault(phone, ref)
        email = email_key(report.contact_email)
        if email:
            holds.emails.setdefault(email, ref)
        sender = sender_of(report)
        if sender:
            holds.senders.setdefault(sender, ref)
    if holds.phones:
        conversations = db.session.scalars(select(SmsConversation).where(SmsConversation.phone.in_(holds.phones)))
        for conversation in conversations:
            holds.senders.setdefault(conversation.sender_id, holds.phones[conversation.phone])
    return holds


@dataclass
class Removed:
    """What anonymising took out (counts), and the evidence files to delete once the store has committed."""

    reports: int = 0
    diary_entries: int = 0
    messages: int = 0
    files: list[Path] = field(default_factory=list)
    evidence_ids: set[int] = field(default_factory=set)

    @property
    def evidence_files(self) -> int:
        return len(self.files)

    def add(self, other: Removed) -> None:
        self.reports += other.reports
        self.diary_entries += other.diary_entries
        self.messages += other.messages
        self.files += other.files


def evidence_files(items: list[DiaryEvidence], going: set[int]) -> list[Path]:
    """The files of these evidence rows that no other row shares (files are named by their hash).

    `going` holds the ids of rows already on their way out in the same run; these ones join it.
    """
    from webapp.diary.evidence import evidence_dir

    going.update(item.id for item in items)
    ids = sorted(going)
    names = sorted({item.stored_as for item in items if item.stored_as})
    files = []
    for name in names:
        shared = db.session.scalar(
            select(func.count(DiaryEvidence.id)).where(DiaryEvidence.stored_as == name, DiaryEvidence.id.not_in(ids))
        )
        path = evidence_dir() / Path(name).name  # our own <sha256>.<ext>; never a path
        if not shared and path.is_file():
            files.append(path)
    return files


def delete_files(paths: list[Path]) -> None:
    """After the commit: a failed commit leaves the files, never rows without them."""
    for path in paths:
        path.unlink(missing_ok=True)


def anonymise(report: Report, why: str, now: datetime, going: Removed, dry_run: bool = False) -> None:
    """Take the person out of a report (see the module's docstring), adding what went to `going`.

    Never a report under a legal hold.
    """
    if report.legal_hold:
        raise ValueError("a report under a legal hold is never anonymised")
    evidence = [item for entry in report.diary for item in entry.evidence]
    messages = db.session.scalar(select(func.count(OutboundMessage.id)).where(OutboundMessage.report_id == report.id))
    files = [f for f in evidence_files(evidence, going.evidence_ids) if f not in going.files]
    going.add(Removed(reports=1, diary_entries=len(report.diary), messages=messages or 0, files=files))
    if dry_run:
        return

    for name in PERSONAL_FIELDS:
        setattr(report, name, None)
    report.draft = {}
    for answer in report.answers:
        answer.details = None
    for event in report.events:
        if event.kind == "closed":
            event.detail = report.closure_code  # the policy's reason the resident was told; not staff's notes
        elif event.kind not in KEPT_EVENT_DETAIL:
            event.detail = None  # notes
    for entry in report.diary:
        # The entry's hash stays: it shows an entry was there, and the chain no longer verifies (it was removed).
        entry.what_happened = ""
        entry.occurred_at = entry.who_involved = entry.effect = entry.police_reference = None
    for item in evidence:
        db.session.delete(item)
    db.session.execute(delete(OutboundMessage).where(OutboundMessage.report_id == report.id))
    # Survey answers stay for satisfaction statistics; the number and the link's token go.
    db.session.execute(
        update(SatisfactionSurvey).where(SatisfactionSurvey.report_id == report.id).values(phone=None, token_hash=None)
    )
    report.anonymised_at = now
    report.events.append(CaseEvent(actor="system", kind="anonymised", detail=why))

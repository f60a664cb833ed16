"""Adding diary entries (append-only, hash-chained) and checking the chain. Never edits or deletes one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from asb_domain import answers
from asb_domain.diary import GENESIS, entry_hash, verify
from asb_domain.triage import EMERGENCY, normalise, triage
from webapp.extensions import db
from webapp.models import CaseEvent, DiaryEntry, DiaryEvidence, Report, utcnow

WORSENING = "diary_worsening"
# Every answer of an entry in the resident's words: "it is getting worse" may come under any of them.
WORSENING_FIELDS = ("what_happened", "effect", "who_involved", "occurred_at", "police_reference")


def _fields(entry: DiaryEntry, evidence: list[DiaryEvidence]) -> dict:
    return {
        "seq": entry.seq,
        "received_at": entry.received_at.isoformat(),
        "channel": entry.channel,
        "occurred_at": entry.occurred_at,
        "what_happened": entry.what_happened,
        "who_involved": entry.who_involved,
        "effect": entry.effect,
        "police_told": entry.police_told,
        "police_reference": entry.police_reference,
        "corrects_seq": entry.corrects_seq,
        "evidence": [{"kind": e.kind, "sha256": e.sha256, "size": e.size, "url": e.url} for e in evidence],
    }


def add_entry(policy, report: Report, channel: str, evidence: list[DiaryEvidence] | None = None, **words) -> DiaryEntry:
    """Append an entry to the report's diary, chained to the last one. Flags a diary that says it is getting worse."""
    evidence = evidence or []
    lang = report.language or "en"
    for _attempt in range(3):
        last = db.session.scalar(
            select(DiaryEntry).where(DiaryEntry.report_id == report.id).order_by(DiaryEntry.seq.desc()).limit(1)
        )
        entry = DiaryEntry(
            report_id=report.id,
            seq=(last.seq + 1) if last else 1,
            received_at=utcnow().replace(microsecond=0),
            channel=channel,
            prev_hash=last.entry_hash if last else GENESIS,
            **words,
        )
        entry.evidence = evidence
        entry.entry_hash = entry_hash(entry.prev_hash, _fields(entry, evidence))
        db.session.add(entry)
        if any(worsening(policy, words.get(field) or "", lang) for field in WORSENING_FIELDS):
            if WORSENING not in (report.flags or []):
                report.flags = [*(report.flags or []), WORSENING]
            report.events.append(CaseEvent(actor="resident", kind="diary_worsening", detail=f"diary entry {entry.seq}"))
        try:
            db.session.commit()
            return entry
        except IntegrityError:
            db.session.rollback()  # another entry took this number at the same moment: chain to that one
    raise RuntimeError("could not add the diary entry")


def worsening(policy, text: str, lang: str = "en") -> bool:
    """Does this answer say things are getting worse? The same words as RAM question 3's "yes".

    Only those words: an answer is no reply to question 3, so a number ("1 night without sleep") or a leading
    yes ("yes, the man at number 4") says nothing about it.
    """
    try:
        question = policy.question("q3_worsening")
    except KeyError:
        return False
    said = normalise(text)
    return bool(said) and answers._option_matches(policy, question, said, lang) == ("yes",)


def is_danger(policy, text: str, lang: str = "en") -> bool:
    return triage(policy, text, lang).outcome == EMERGENCY


def check_chain(report: Report) -> list:
    rows = db.session.scalars(select(DiaryEntry).where(DiaryEntry.report_id == report.id)).all()
    entries = []
    for row in rows:
        fields = _fields(row, list(row.evidence))
        fields.update(prev_hash=row.prev_hash, entry_hash=row.entry_hash)
        entries.append(fields)
    return verify(entries)


def open_case_for(phone: str, statuses=("submitted", "acknowledged")) -> Report | None:
    """The newest case in `statuses` (open ones by default) whose contact number is this one.

    The contact key is the normalised number.
    """
    return db.session.scalar(
        select(Report)
        .where(Report.status.in_(tuple(statuses)), Report.contact_key == phone)
        .order_by(Report.submitted_at.desc())
        .limit(1)
    )

"""Incident diary entries as evidence: each entry's hash covers its words and the previous entry's hash.

Entries are never edited; a correction is a new entry that names the one it
corrects. Changing or removing any entry breaks the chain from there on, and
`verify` says where.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

GENESIS = "0" * 64
# What an entry's hash covers, besides the previous hash.
FIELDS = (
    "seq",
    "received_at",
    "channel",
    "occurred_at",
    "what_happened",
    "who_involved",
    "effect",
    "police_told",
    "police_reference",
    "corrects_seq",
    "evidence",
)


def entry_hash(prev_hash: str, fields: Mapping) -> str:
    body = {name: fields.get(name) for name in FIELDS}
    body["prev_hash"] = prev_hash
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Break:
    seq: int
    problem: str


def verify(entries: Sequence[Mapping]) -> list[Break]:
    """Every place the chain is broken, in order; empty when the diary is as it was written."""
    breaks = []
    prev = GENESIS
    for expected, entry in enumerate(sorted(entries, key=lambda e: e["seq"]), start=1):
        if entry["seq"] != expected:
            breaks.append(Break(expected, f"entry {expected} is missing"))
        if entry["prev_hash"] != prev:
            breaks.append(Break(entry["seq"], "does not follow the entry before it"))
        if entry_hash(entry["prev_hash"], entry) != entry["entry_hash"]:
            breaks.append(Break(entry["seq"], "was changed after it was written"))
        prev = entry["entry_hash"]
    return breaks

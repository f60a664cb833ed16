"""Diary entries chained by hash: a changed, removed or reordered entry is found (asb_domain.diary)."""

from asb_domain.diary import GENESIS, entry_hash, verify


def chain(*texts):
    entries, prev = [], GENESIS
    for seq, text in enumerate(texts, start=1):
        entry = {"seq": seq, "received_at": "2026-11-25T01:00:00+00:00", "channel": "web", "what_happened": text}
        entry["prev_hash"], entry["entry_hash"] = prev, entry_hash(prev, entry)
        prev = entry["entry_hash"]
        entries.append(entry)
    return entries


def test_a_diary_as_written_verifies():
    assert verify(chain("music at 2am", "shouting at 3am")) == []


def test_a_changed_entry_is_found():
    entries = chain("music at 2am", "shouting at 3am")
    entries[0]["what_happened"] = "nothing happened"
    assert [(b.seq, b.problem) for b in verify(entries)] == [(1, "was changed after it was written")]


def test_a_removed_entry_is_found():
    entries = chain("one", "two", "three")
    del entries[1]
    problems = [b.problem for b in verify(entries)]
    assert "entry 2 is missing" in problems and "does not follow the entry before it" in problems

"""What a text message costs: GSM-7 or UCS-2, and how many segments Twilio bills.

GSM-7: 160 characters in one segment, 153 a segment when split; the
characters of the extension table (`[]{}^\\|~€` and form feed) count twice.
One character outside GSM-7 (curly quotes, an en dash, emoji, Polish or Urdu
letters) makes the whole message UCS-2: 70 characters in one segment, 67 a
segment when split, counted in UTF-16 code units (an emoji is two). A character is never split between
two segments, so one that would straddle the boundary starts the next.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("\f^{}\\[~]|€")

# Budgets the service holds its questions to (tests/bot/test_sms_segments.py).
ENGLISH_QUESTION_SEGMENTS = 1  # every English question: one GSM-7 segment
OTHER_QUESTION_SEGMENTS = 3  # Polish, Urdu...: UCS-2 is fine, three segments at most


@dataclass(frozen=True)
class Cost:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets, or UTF-16 code units
    segments: int


def cost(text: str) -> Cost:
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text):
        sizes = [2 if ch in GSM7_EXTENSION else 1 for ch in text]
        single, part, encoding = 160, 153, "GSM-7"
    else:
        sizes = [len(ch.encode("utf-16-le")) // 2 for ch in text]
        single, part, encoding = 70, 67, "UCS-2"
    units = sum(sizes)
    if units <= single:
        return Cost(encoding, units, 1 if units else 0)
    return Cost(encoding, units, _parts(sizes, part))


def _parts(sizes: list[int], part: int) -> int:
    """Parts of a split message, filled in order. A character is never split between two parts: a GSM-7
    escape (the euro sign...) or an emoji's surrogate pair that would straddle the boundary starts the next
    part, as Twilio and the handsets do. So units // part undercounts: 152 letters, a euro sign, then 152
    more letters is 306 septets (2 x 153) but three parts (152 | 2 + 151 | 1)."""
    parts, used = 1, 0
    for size in sizes:
        if used + size > part:
            parts, used = parts + 1, 0
        used += size
    return parts

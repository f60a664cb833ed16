"""Report reference numbers.

Nine digits, the last a check digit (Damm algorithm), shown as 123-456-789.
Digits only: a basic phone's keypad types them without switching mode, and
read over the phone there is no B/D/P/T/V confusion. The Damm check catches
every single mistyped digit and every swap of two neighbouring digits.
"""

from __future__ import annotations

import re
import secrets

# Damm's totally anti-symmetric quasigroup of order 10.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

BODY_DIGITS = 8
LENGTH = BODY_DIGITS + 1
# What people type for digits: O for 0, I or l for 1, and any spacing or dashes.
_LOOKALIKES = str.maketrans({"o": "0", "O": "0", "i": "1", "I": "1", "l": "1", "L": "1"})


def check_digit(digits: str) -> str:
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][int(ch)]
    return str(interim)


def is_valid(canonical: str) -> bool:
    return len(canonical) == LENGTH and canonical.isdigit() and check_digit(canonical) == "0"


def new_reference() -> str:
    """A fresh random reference, canonical form (nine digits). The store retries on a clash."""
    body = "".join(str(secrets.randbelow(10)) for _ in range(BODY_DIGITS))
    return body + check_digit(body)


def format_reference(canonical: str) -> str:
    return f"{canonical[0:3]}-{canonical[3:6]}-{canonical[6:9]}"


def parse_reference(text: str) -> str | None:
    """The canonical reference typed in `text`, or None if it is not a valid one.

    Accepts "482-739-156", "482 739 156", "ref: 482739156", with O for 0 and
    I or l for 1.
    """
    cleaned = re.sub(r"(?i)^\s*(ref(erence)?|asb)[\s:#.-]*", "", text.strip())
    cleaned = re.sub(r"[\s\-./]", "", cleaned.translate(_LOOKALIKES))
    return cleaned if is_valid(cleaned) else None

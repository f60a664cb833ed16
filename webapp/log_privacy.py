"""Phone numbers never reach a log whole: every log record of the process is masked as it is made.

Residents' numbers are personal data, and a number in a log tells whoever reads
it who reported. Logging code must not log numbers or report content at all;
this is the net under it, for a number that slips into an exception message or
a third-party library's log line. Ten or more digits (spaces, dashes, dots and
brackets allowed between them) count as a phone number; a 9-digit case
reference does not.
"""

from __future__ import annotations

import logging
import re

PHONE = re.compile(r"(?<![\w+])\+?\d(?:[\s().-]?\d){9,14}(?!\d)")


def mask(text: str) -> str:
    def hide(match: re.Match) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return "[phone ending " + digits[-3:] + "]"

    return PHONE.sub(hide, text)


class _MaskedRecord(logging.LogRecord):
    def getMessage(self) -> str:  # noqa: N802 - logging's own name
        return mask(super().getMessage())


_installed = False


def install() -> None:
    """Mask numbers in every log record this process makes, whichever logger and handler it goes through."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        if not isinstance(record, _MaskedRecord):
            record.__class__ = _MaskedRecord
        return record

    logging.setLogRecordFactory(factory)
    _installed = True

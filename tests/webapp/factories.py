"""Plain factory functions for web app tests."""

from __future__ import annotations

from webapp.models import Report


def draft_report(**fields) -> Report:
    values = {
        "channel": "web",
        "language": "en",
        "description": "Music and shouting from the flat above every night until 3am.",
        "case_type": "noise",
        "address": "Flat 3, 12 High Street",
        "postcode": "AB1 2CD",
        "contact_phone": "07700 900123",
        "text_safe": True,
    }
    values.update(fields)
    return Report(**values)

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


def staff(policy, username="tem", role="tenancy_enforcement_manager", password="correct horse battery"):
    from webapp.staff.accounts import create_staff

    return create_staff(policy, username, username.title(), role, password)


def submitted(policy, case_type="noise", answers=None, **fields):
    from tests.domain.factories import quiet_answers
    from webapp import reports

    return reports.submit(policy, draft_report(case_type=case_type, **fields), answers or quiet_answers())


def sign_in(client, username="tem", password="correct horse battery"):
    from tests.webapp.journey import answer

    return answer(client, "/staff/login", {"username": username, "password": password})

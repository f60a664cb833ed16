"""The discreet text that confirms a report, in the resident's language, where they said a text is safe."""

from __future__ import annotations

from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from asb_domain.references import format_reference
from asb_domain.repeats import phone_key
from webapp import current_policy
from webapp.models import Report
from webapp.outbound import send_message


def hear_by(report: Report) -> str:
    """The date the resident will hear by, in their language ("Thursday 26 November")."""
    with force_locale(report.language):
        return format_date(report.acknowledge_by, "EEEE d MMMM")


def send_confirmation(report: Report) -> None:
    """Only where the resident said a text is safe. Discreet: no details of the report."""
    to = phone_key(report.contact_phone) if report.contact_phone and report.text_safe else None
    if not to:
        return
    with force_locale(report.language):
        body = _(
            "%(landlord)s: we have your report, reference %(reference)s. We will contact you by %(date)s. "
            "In an emergency call 999.",
            landlord=current_policy().landlord_name,
            reference=format_reference(report.reference),
            date=format_date(report.acknowledge_by, "EEEE d MMMM"),
        )
    send_message(to, body, dedupe_key=f"confirmation:{report.reference}", report_id=report.id)

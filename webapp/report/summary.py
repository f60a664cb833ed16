"""The check-your-answers page: every answer, in the resident's language, with a link to change it."""

from __future__ import annotations

from flask_babel import gettext as _

from asb_domain.policy import Policy
from webapp.i18n import policy_text
from webapp.models import Report


def _row(key: str, value: str | None, href: str) -> dict:
    return {
        "key": {"text": key},
        "value": {"text": value or _("Not given")},
        "actions": {"items": [{"href": href, "text": _("Change"), "visuallyHiddenText": key}]},
    }


def _join(*parts: str | None, sep: str = " – ") -> str:
    return sep.join(p for p in parts if p)


def sections(policy: Policy, report: Report, step_url) -> list[tuple[str, list[dict]]]:
    def change(step: str) -> str:
        return step_url(step, change=1)

    case_type = policy.case_types.get(report.case_type or "")
    about = [
        _row(_("What is happening"), report.description, change("what")),
        _row(_("Closest to"), policy_text(case_type.label) if case_type else _("I'm not sure"), change("type")),
        _row(_("When it happens"), report.incident_when, change("when")),
        _row(_("Where it happens"), report.location, change("where")),
        _row(_("Your address"), _join(report.address, report.postcode, sep=" "), change("where")),
        _row(_("Who is responsible"), report.responsible or _("Not known"), change("who")),
    ]

    ram = []
    for question in policy.questions:
        saved = report.draft.get("ram", {}).get(question.id) or {"options": []}
        labels = [policy_text(question.option(o).label) for o in saved["options"]]
        if labels:
            value = ", ".join(labels)
        else:
            value = _("None of these") if question.multiple else _("You would rather not say")
        consent = {True: _("You agree we can talk to them"), False: _("Do not talk to them")}.get(saved.get("consent"))
        ram.append(
            _row(
                policy_text(question.text),
                _join(value, saved.get("details"), consent),
                change(f"ram-{question.number}"),
            )
        )

    relationships = {
        "self": _("Yourself"),
        "relative": _("A relative"),
        "carer": _("A carer"),
        "support_worker": _("A support worker"),
        "other": _("Someone else"),
    }
    you = [
        _row(
            _("Reporting for"),
            _join(relationships.get(report.reporter_relationship), report.reporter_name),
            change("about-you"),
        ),
        _row(
            _("Contact"),
            _("Do not contact me")
            if report.no_contact
            else _join(report.contact_name, report.contact_phone, report.contact_email, sep=", "),
            change("contact"),
        ),
    ]
    if not report.no_contact:
        methods = [
            label
            for flag, label in (
                (report.text_safe, _("Text message")),
                (report.call_safe, _("Phone call")),
                (report.voicemail_safe, _("Voicemail")),
                (report.email_safe, _("Email")),
            )
            if flag
        ]
        section = policy.raw["keeping_informed"]
        windows = report.contact_windows or {}
        periods = [policy_text(p["label"]) for p in section["periods"] if p["id"] in (windows.get("periods") or [])]
        days = [policy_text(d["label"]) for d in section["days"] if d["id"] == (windows.get("days") or "any_day")]
        when = _join(", ".join(periods) or _("Any time"), ", ".join(days), sep="; ")
        you.append(
            _row(
                _("Safe ways to contact you"),
                _join(", ".join(methods), when, report.safe_times),
                change("contact-safety"),
            )
        )
        frequency = report.update_frequency or section["default_update_frequency"]
        label = next(f["label"] for f in section["update_frequencies"] if f["id"] == frequency)
        you.append(_row(_("Updates from your officer"), policy_text(label), change("updates")))
    you.append(
        _row(_("Share with other agencies"), _("Yes") if report.consent_to_share else _("No"), change("consent"))
    )
    return [(_("What is happening"), about), (_("How it affects you"), ram), (_("About you"), you)]

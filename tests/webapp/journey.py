"""Walk the web report as a resident would, through the test client (forms, CSRF tokens, redirects)."""

from __future__ import annotations

import re

from tests.domain.factories import quiet_answers

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def answer(client, path: str, data: dict | None = None, follow: bool = False):
    """GET the page, then POST `data` with its CSRF token, as the browser would."""
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    token = CSRF.search(page.get_data(as_text=True)).group(1)
    return client.post(path, data={**(data or {}), "csrf_token": token}, follow_redirects=follow)


def location(response) -> str:
    return response.headers["Location"]


def ram_form_data(policy, answers: dict) -> dict[int, dict]:
    """Form posts for every RAM page from question id -> option(s)."""
    pages = {}
    for question in policy.questions:
        chosen = answers.get(question.id)
        if question.multiple:
            pages[question.number] = {"answer": list(chosen or [])}
        else:
            pages[question.number] = {"answer": chosen or "skip"}
    return pages


def full_report(
    client,
    policy,
    description="Loud music every night until 3am from the flat above.",
    answers=None,
    contact=None,
    case_type=None,
):
    """A whole report, start to confirmation. Returns the confirmation page's HTML."""
    answers = quiet_answers() if answers is None else answers
    assert location(answer(client, "/report/danger", {"danger": "no"})) == "/report/what"
    next_page = location(answer(client, "/report/what", {"description": description}))
    assert next_page == "/report/type", next_page
    type_page = client.get("/report/type").get_data(as_text=True)
    chosen = case_type or re.search(r'name="case_type" type="radio" value="([^"]+)" checked', type_page).group(1)
    next_page = location(answer(client, "/report/type", {"case_type": chosen}))
    if next_page == "/report/advice":
        next_page = location(answer(client, "/report/advice"))
    assert next_page == "/report/when"
    answer(client, "/report/when", {"incident_when": "Most nights after 11pm"})
    answer(
        client,
        "/report/where",
        {"location": "The flat above mine", "address": "Flat 3, 12 High Street", "postcode": "AB1 2CD"},
    )
    answer(client, "/report/who", {"responsible": ""})
    for number, data in ram_form_data(policy, answers).items():
        answer(client, f"/report/ram/{number}", data)
    answer(client, "/report/about-you", {"relationship": "self"})
    contact = contact or {"contact": "yes", "contact_name": "Sam", "contact_phone": "07700 900123"}
    answer(client, "/report/contact", contact)
    if contact["contact"] == "yes":
        answer(client, "/report/contact-safety", {"methods": ["text"], "days": "any_day", "safe_times": "weekdays"})
        answer(client, "/report/updates", {"frequency": "fortnightly"})
    answer(client, "/report/consent", {"consent": "yes"})
    sent = answer(client, "/report/check", {})
    assert location(sent) == "/report/confirmation", location(sent)
    return client.get("/report/confirmation").get_data(as_text=True)

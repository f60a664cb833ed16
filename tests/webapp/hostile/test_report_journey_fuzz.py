"""Every page of the web report, fuzzed with hostile form posts: never a 500, never a half-saved draft, and an
error the resident can read in the language they chose (Polish here).

Each page is reached as a resident reaches it (a draft in the session), then hypothesis posts it text with
control characters and NUL, bidi marks, emoji, huge strings, invalid UTF-8, repeated fields, and the CSRF token
kept, left out, wrong or repeated. After each post:

- accepted (a redirect): what the page stored is what was sent, less control characters and outer spaces,
  and within the page's limits;
- refused (the page again, the session-ended page, or too large): the draft is exactly as it was, and every
  message on the page is one of the Polish catalog's translations.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import pytest
from hypothesis import given, note
from sqlalchemy import inspect, select

from tests.domain.factories import quiet_answers
from tests.webapp.hostile.hostile import (
    CSRF,
    FUZZ,
    assert_no_control_characters,
    assert_no_markup_from_input,
    assert_refused_in,
    cleaned,
    first,
    hostile_post,
    send,
)
from tests.webapp.journey import answer, ram_form_data
from webapp.extensions import db, limiter
from webapp.models import Report

LANG = "pl"


@dataclass
class Text:
    """A text field: where the page stores it, and its limit."""

    stored: object  # report -> the stored value
    limit: int


@dataclass
class Page:
    path: str
    steps: tuple = ()  # (path, data) answered first, as a resident would
    choices: dict[str, list[str]] = field(default_factory=dict)
    texts: dict[str, Text] = field(default_factory=dict)


def column(name):
    return lambda report: getattr(report, name)


def ram_details(question_id):
    return lambda report: ((report.draft.get("ram") or {}).get(question_id) or {}).get("details")


STARTED = (("/report/danger", {"danger": "no"}), ("/report/what", {"description": "Loud music every night at 3am"}))
PAGES = [
    Page("/report/danger", STARTED, choices={"danger": ["yes", "no"]}),
    Page("/report/what", STARTED, texts={"description": Text(column("description"), 5000)}),
    Page(
        "/report/more-than-that",
        (STARTED[0], ("/report/what", {"description": "I can hear footsteps from upstairs"})),
        choices={"signs": ["deliberate", "unreasonable_hours", "targeted"]},
    ),
    Page("/report/type", STARTED, choices={"case_type": ["noise", "hate_crime", "domestic_abuse", "not_sure"]}),
    Page("/report/advice", (*STARTED, ("/report/type", {"case_type": "hate_crime"}))),
    Page("/report/when", STARTED, texts={"incident_when": Text(column("incident_when"), 5000)}),
    Page(
        "/report/where",
        STARTED,
        texts={
            "location": Text(column("location"), 5000),
            "address": Text(column("address"), 500),
            "postcode": Text(column("postcode"), 10),
        },
    ),
    Page("/report/who", STARTED, texts={"responsible": Text(column("responsible"), 5000)}),
    Page("/report/ram/1", STARTED, choices={"answer": ["daily", "occasionally", "skip"]}),
    Page(
        "/report/ram/6",
        STARTED,
        choices={"answer": ["yes", "no", "skip"], "consent": ["yes", "no"]},
        texts={"details": Text(ram_details("q6_other_agencies"), 5000)},
    ),
    Page(
        "/report/ram/11",
        STARTED,
        choices={"answer": ["physical", "mental"]},
        texts={"details": Text(ram_details("q11_health"), 5000)},
    ),
    Page(
        "/report/about-you",
        STARTED,
        choices={"relationship": ["self", "relative", "other"]},
        texts={"reporter_name": Text(column("reporter_name"), 200)},
    ),
    Page(
        "/report/contact",
        STARTED,
        choices={"contact": ["yes", "no"]},
        texts={
            "contact_name": Text(column("contact_name"), 200),
            "contact_phone": Text(column("contact_phone"), 32),
            "contact_email": Text(column("contact_email"), 254),
        },
    ),
    Page(
        "/report/contact-safety",
        STARTED,
        choices={"methods": ["text", "call", "email"], "periods": ["mornings", "evenings"], "days": ["weekdays"]},
        texts={"safe_times": Text(column("safe_times"), 500)},
    ),
    Page("/report/updates", STARTED, choices={"frequency": ["weekly", "monthly"]}),
    Page("/report/consent", STARTED, choices={"consent": ["yes", "no"]}),
    Page("/report/resume", (), texts={"code": Text(None, 20)}),
    Page("/report/keep-alive", ()),
]


def snapshot() -> dict:
    """Every report in the store, every column: a refused post must leave all of it as it was."""
    db.session.expire_all()
    columns = [a.key for a in inspect(Report).column_attrs]
    return {r.id: {c: copy.deepcopy(getattr(r, c)) for c in columns} for r in db.session.scalars(select(Report))}


def assert_stored_cleanly(page: Page, data: dict, encoding: str, client) -> None:
    with client.session_transaction() as session:
        report = db.session.get(Report, session["report_id"])
    assert_no_control_characters({a.key: getattr(report, a.key) for a in inspect(Report).column_attrs})
    for name, text in page.texts.items():
        if text.stored is None:
            continue
        stored = text.stored(report)
        if stored is not None:
            assert len(stored) <= text.limit
            if encoding != "raw" and name in data:  # raw bodies carry invalid bytes on purpose
                assert stored == cleaned(first(data[name])), name


def check(page: Page, data, encoding, token, junk, client):
    limiter.reset()  # the fuzzing is not what the rate limits are for
    form = client.get(page.path) if page.path != "/report/keep-alive" else client.get("/report/danger")
    assert form.status_code == 200, (page.path, form.status_code)
    real_token = CSRF.search(form.get_data(as_text=True)).group(1)
    note(f"{encoding=} {token=} {junk=} data={ {k: (v[:80] if isinstance(v, str) else v) for k, v in data.items()} }")
    before = snapshot()
    response = send(client, page.path, data, encoding, token, junk, real_token)
    body = response.get_data(as_text=True)
    assert response.status_code < 500, body[:2000]
    assert_no_markup_from_input(body)
    if response.status_code in (204, 302, 303):
        assert token in ("kept", "repeated"), "accepted without its CSRF token"
        if page.steps:
            assert_stored_cleanly(page, data, encoding, client)
        return
    assert response.status_code in (200, 400, 413), response.status_code
    assert snapshot() == before, "a refused post changed the store"
    assert_refused_in(body, LANG)


@pytest.mark.parametrize("page", PAGES, ids=[p.path for p in PAGES])
def test_every_report_page_refuses_hostile_posts_in_the_residents_language_and_saves_nothing_half_done(
    fresh_client, page
):
    client = fresh_client
    assert client.get(f"/report/danger?lang={LANG}").status_code == 200
    for path, data in page.steps:
        answer(client, path, data)

    fields = dict(page.choices) | dict.fromkeys(page.texts)

    @FUZZ
    @given(post=hostile_post(fields))
    def fuzz(post):
        check(page, *post, client)

    fuzz()


def test_check_and_send_refuses_a_post_without_its_token_and_sends_once_with_junk_fields(fresh_client, shared_app):
    """The last page sends the report: without its token nothing is sent; junk alongside the token is ignored."""
    client, policy = fresh_client, shared_app.extensions["asb_policy"]
    client.get(f"/report/danger?lang={LANG}")
    answer(client, "/report/danger", {"danger": "no"})
    answer(client, "/report/what", {"description": "Loud music every night until 3am from the flat above."})
    answer(client, "/report/type", {"case_type": "noise"})
    answer(client, "/report/when", {"incident_when": "Most nights"})
    answer(client, "/report/where", {"location": "The flat above", "address": "", "postcode": ""})
    answer(client, "/report/who", {"responsible": ""})
    for number, data in ram_form_data(policy, quiet_answers()).items():
        answer(client, f"/report/ram/{number}", data)
    answer(client, "/report/about-you", {"relationship": "self"})
    answer(client, "/report/contact", {"contact": "no"})
    answer(client, "/report/consent", {"consent": "no"})
    token = CSRF.search(client.get("/report/check").get_data(as_text=True)).group(1)
    with client.session_transaction() as session:
        report_id = session["report_id"]

    refused = client.post("/report/check", data={"surprise": "\x00" * 10})
    assert refused.status_code == 400
    assert_refused_in(refused.get_data(as_text=True), LANG)
    assert db.session.get(Report, report_id).status == "draft"

    sent = client.post("/report/check", data={"csrf_token": [token, "junk"], "reference": "123-456-789"})
    assert sent.headers["Location"] == "/report/confirmation"
    again = client.post("/report/check", data={"csrf_token": token})
    assert again.headers["Location"] == "/report/lost"  # no draft left to send twice
    report = db.session.get(Report, report_id)
    assert report.status == "submitted" and report.reference != "123456789" and report.language == LANG

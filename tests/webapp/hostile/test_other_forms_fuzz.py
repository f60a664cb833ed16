"""The residents' other forms fuzzed as the report's are: chat, the diary, the case page and the survey (and the
staff sign-in, the one staff form anyone can post). Never a 500; a refused post changes nothing in the store and
says why in the resident's language (Polish here; staff pages are in English); an accepted one stores what was
sent, less control characters and outer spaces.
"""

from __future__ import annotations

import copy
import re
import secrets
from dataclasses import dataclass

import pytest
from hypothesis import given, note
from sqlalchemy import inspect, select

from tests.webapp.factories import submitted
from tests.webapp.hostile.hostile import (
    CSRF,
    FUZZ,
    assert_no_control_characters,
    assert_no_markup_from_input,
    assert_refused_in,
    cleaned,
    error_messages,
    first,
    heading,
    hostile_post,
    send,
)
from tests.webapp.journey import answer
from webapp.extensions import db, limiter
from webapp.models import AuditEvent, DiaryEntry, Report, SatisfactionSurvey, StaffUser

LANG = "pl"
WATCHED = (Report, DiaryEntry, SatisfactionSurvey, StaffUser, AuditEvent)


def snapshot() -> dict:
    db.session.expire_all()
    state = {}
    for model in WATCHED:
        columns = [a.key for a in inspect(model).column_attrs]
        for row in db.session.scalars(select(model)):
            state[(model.__name__, row.id)] = {c: copy.deepcopy(getattr(row, c)) for c in columns}
    return state


def texted_code(app) -> str:
    return re.search(r"\b(\d{6})\b", app.extensions["outbound_sender"].sent[-1].body).group(1)


def open_with_code(client, app, policy, purpose: str) -> Report:
    report = submitted(policy, contact_phone=f"07700 9{secrets.randbelow(10**5):05d}", language=LANG)
    answer(client, f"/{purpose}", {"reference": report.reference})
    answer(client, f"/{purpose}/code", {"code": texted_code(app)})
    return report


@dataclass
class Form:
    """A public form: its path (or how to find it), what to do before each post, and what it stores."""

    name: str
    fields: dict[str, list[str] | None]
    setup: object = None  # (client, app, policy) -> context
    before_each: object = None  # (client, app, policy, context) -> path
    accepted: object = None  # (response) -> bool, for pages that answer 200 when they accept
    stored: object = None  # (context, data) -> [(stored, sent, limit)] after an accepted post
    lang: str = LANG
    token_page: str | None = None  # where its CSRF token is, when the form has no page of its own


def _chat_accepted(response):
    return response.status_code == 200 and not error_messages(response.get_data(as_text=True))


def _diary_setup(client, app, policy):
    return open_with_code(client, app, policy, "diary")


def _diary_stored(report, data):
    entry = db.session.scalars(
        select(DiaryEntry).where(DiaryEntry.report_id == report.id).order_by(DiaryEntry.seq.desc())
    ).first()
    return [
        (entry.occurred_at, data.get("occurred_at"), 200),
        (entry.what_happened, data.get("what_happened"), 5000),
        (entry.who_involved, data.get("who_involved"), 5000),
        (entry.effect, data.get("effect"), 5000),
        (entry.police_reference, data.get("police_reference"), 64),
    ]


def _ask_for_a_code(purpose):
    def before(client, app, policy, context):
        # A code for a reference that has no case: every code is wrong, and five wrong ones end it, so ask again.
        answer(client, f"/{purpose}", {"reference": "000-000-001"})
        return f"/{purpose}/code"

    return before


def _case_setup(client, app, policy):
    return open_with_code(client, app, policy, "case")


def _case_stored(report, data):
    db.session.refresh(report)
    return [(report.update_frequency, data.get("frequency"), 32)]


def _new_survey(client, app, policy, context):
    from webapp.informing import _hash

    report = submitted(policy, contact_phone=None, text_safe=False, email_safe=True, language=LANG)
    token = secrets.token_urlsafe(24)
    db.session.add(SatisfactionSurvey(report_id=report.id, channel="web", token_hash=_hash(token), answers={}))
    db.session.commit()
    return f"/survey/{token}"


def _staff_user(client, app, policy):
    from tests.webapp.factories import staff

    staff(policy, f"fuzz{secrets.token_hex(3)}")


FORMS = [
    Form("/chat", {"message": None}, accepted=_chat_accepted),
    Form("/chat/end", {}, token_page="/chat"),
    Form("/diary", {"reference": None}),
    Form("/diary/code", {"code": None}, before_each=_ask_for_a_code("diary")),
    Form(
        "/diary/entry",
        {
            "occurred_at": None,
            "what_happened": None,
            "who_involved": None,
            "effect": None,
            "police_told": ["yes", "no"],
            "police_reference": None,
        },
        setup=_diary_setup,
        stored=_diary_stored,
    ),
    Form("/case", {"reference": None}),
    Form("/case/code", {"code": None}, before_each=_ask_for_a_code("case")),
    Form("/case/status", {"frequency": ["weekly", "monthly"]}, setup=_case_setup, stored=_case_stored),
    Form(
        "/survey",
        {"satisfaction": ["very_satisfied", "neither"], "kept_informed": ["yes", "partly"], "report_again": ["no"]},
        before_each=_new_survey,
        accepted=lambda r: r.status_code == 200 and not error_messages(r.get_data(as_text=True)),
    ),
    Form("/staff/login", {"username": None, "password": None}, setup=_staff_user, lang="en"),
]


def check(form: Form, path: str, context, post, client):
    data, encoding, token, junk = post
    page = client.get(form.token_page or path)
    assert page.status_code == 200, (path, page.status_code)
    real_token = CSRF.search(page.get_data(as_text=True)).group(1)
    note(f"{encoding=} {token=} {junk=} data={ {k: (v[:80] if isinstance(v, str) else v) for k, v in data.items()} }")
    before = snapshot()
    response = send(client, path, data, encoding, token, junk, real_token)
    body = response.get_data(as_text=True)
    assert response.status_code < 500, body[:2000]
    assert_no_markup_from_input(body)
    after = snapshot()
    assert_no_control_characters([values for key, values in after.items() if key not in before])
    accepted = response.status_code in (302, 303) or (form.accepted is not None and form.accepted(response))
    if accepted:
        assert token in ("kept", "repeated"), "accepted without its CSRF token"
        if form.stored is not None:
            for stored, sent, limit in form.stored(context, data):
                assert stored is None or len(stored) <= limit
                if encoding != "raw" and sent is not None and stored is not None:
                    assert stored == (cleaned(first(sent)) if limit != 32 else first(sent))
        return
    assert response.status_code in (200, 400, 413), response.status_code
    if form.name == "/staff/login":
        # A failed sign-in counts against the account (its lock-out), and that is all it changes.
        before = {k: v for k, v in before.items() if k[0] != "StaffUser"}
        after = {k: v for k, v in after.items() if k[0] != "StaffUser"}
    assert after == before, "a refused post changed the store"
    if form.lang == "en":  # staff pages are in English; the session-ended page follows the session's language
        assert error_messages(body) or heading(body), body[:2000]
    else:
        assert_refused_in(body, form.lang)


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_the_residents_other_forms_refuse_hostile_posts_in_their_language_and_store_nothing_half_done(
    fresh_client, shared_app, form
):
    client, policy = fresh_client, shared_app.extensions["asb_policy"]
    limiter.reset()
    client.get(f"/?lang={LANG}")
    context = form.setup(client, shared_app, policy) if form.setup else None

    @FUZZ
    @given(post=hostile_post(form.fields))
    def fuzz(post):
        limiter.reset()  # the fuzzing is not what the rate limits are for
        path = form.before_each(client, shared_app, policy, context) if form.before_each else form.name
        check(form, path, context, post, client)

    fuzz()

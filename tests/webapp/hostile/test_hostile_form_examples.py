"""The hostile form posts the fuzzing found, one by one, so each stays fixed (on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.domain.factories import quiet_answers
from tests.webapp.factories import sign_in, staff
from tests.webapp.hostile.hostile import CSRF, assert_refused_in, error_messages
from tests.webapp.journey import answer, location, ram_form_data
from webapp.extensions import db
from webapp.models import Report


def start(client, lang="pl"):
    client.get(f"/report/danger?lang={lang}")
    answer(client, "/report/danger", {"danger": "no"})
    answer(client, "/report/what", {"description": "Loud music every night until 3am"})
    return db.session.scalars(select(Report)).one()


def test_a_nul_in_an_answer_is_left_out_and_an_answer_of_only_control_characters_is_refused_as_empty(client):
    # Was a 500 on PostgreSQL (a text column cannot hold NUL) and stored as sent on SQLite.
    report = start(client)
    refused = answer(client, "/report/when", {"incident_when": "\x00\x1b\x07"})
    assert refused.status_code == 200
    assert_refused_in(refused.get_data(as_text=True), "pl")
    db.session.refresh(report)
    assert report.incident_when is None
    assert location(answer(client, "/report/when", {"incident_when": "Most\x00 nights\x1b[31m, after 11pm"}))
    db.session.refresh(report)
    assert report.incident_when == "Most nights[31m, after 11pm"


def test_right_to_left_marks_and_emoji_are_kept_as_typed(client):
    report = start(client)
    typed = "\u200fمیرا پڑوسی\u200f 👩\u200d👩\u200d👧 \u202eevil\u202c"
    answer(client, "/report/who", {"responsible": typed})
    db.session.refresh(report)
    assert report.responsible == typed


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/report/ram/11", {"answer": ["", "\x08"]}),  # a multiple-choice RAM question
        ("/report/ram/14", {"answer": ["", "family", "<b>everyone</b>"]}),
        ("/report/contact-safety", {"methods": ["text"], "days": "any_day", "periods": ["", "midnight"]}),
    ],
)
def test_a_blank_first_choice_does_not_let_a_made_up_one_into_the_draft(client, path, data):
    # Optional() saw the blank first value, cleared the "not a choice" error and stopped, so the made-up choice
    # was saved into the draft (and scored at the check page).
    report = start(client)
    before = (dict(report.draft), report.contact_windows)
    page = answer(client, path, data)
    assert page.status_code == 200
    assert_refused_in(page.get_data(as_text=True), "pl")
    db.session.refresh(report)
    assert (report.draft, report.contact_windows) == before


@pytest.mark.parametrize("lang", ["pl", "ur", "ar"])
def test_a_made_up_choice_gets_the_fields_own_message_in_the_residents_language_not_echoed(client, lang):
    start(client, lang)
    for path, data in [
        ("/report/danger", {"danger": "<script>x</script>"}),
        ("/report/ram/11", {"answer": ["physical", "<script>x</script>"]}),
        ("/report/ram/6", {"answer": "yes", "consent": "maybe"}),
        ("/report/about-you", {"relationship": "lawyer"}),
    ]:
        page = answer(client, path, data).get_data(as_text=True)
        assert_refused_in(page, lang)
        assert not any("script" in message for message in error_messages(page))


def test_a_field_over_flasks_form_memory_limit_gets_a_page_in_the_residents_language_with_a_way_back(client):
    start(client)
    token = CSRF.search(client.get("/report/when").get_data(as_text=True)).group(1)
    response = client.post(
        "/report/when", data={"csrf_token": token, "incident_when": "a" * 600_000}, content_type="multipart/form-data"
    )
    assert response.status_code == 413  # Flask's own page was in English, with no way on
    page = response.get_data(as_text=True)
    assert_refused_in(page, "pl")
    assert 'href="/report/when"' in page


def test_a_long_address_of_many_words_is_sent_with_the_report_not_a_500(client, policy):
    # Without a postcode the home's key is every word of the address: 500 characters of "st" grew to 1,700
    # ("street"), too long for its column: a 500 on PostgreSQL when the report was sent.
    start(client)
    answer(client, "/report/type", {"case_type": "noise"})
    answer(client, "/report/when", {"incident_when": "Most nights"})
    answer(client, "/report/where", {"location": "Upstairs", "address": "st " * 166, "postcode": ""})
    answer(client, "/report/who", {"responsible": ""})
    for number, data in ram_form_data(policy, quiet_answers()).items():
        answer(client, f"/report/ram/{number}", data)
    answer(client, "/report/about-you", {"relationship": "self"})
    answer(client, "/report/contact", {"contact": "no"})
    answer(client, "/report/consent", {"consent": "no"})
    assert location(answer(client, "/report/check", {})) == "/report/confirmation"
    report = db.session.scalars(select(Report)).one()
    assert report.status == "submitted" and len(report.address_key) <= 254


def test_a_nul_in_the_staff_sign_in_name_is_refused_not_a_500(client, policy):
    # Was a 500 on PostgreSQL: the name went straight into the account lookup.
    staff(policy)
    page = sign_in(client, username="tem\x00' OR 1=1 --").get_data(as_text=True)
    assert "The username or password is not right." in page
    assert location(sign_in(client, username="t\x00em")) == "/staff/"  # the NUL is not part of anyone's name

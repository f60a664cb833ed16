"""The web report as a resident meets it, page by page (test client; the browser tests are in test_in_browser.py)."""

import re

from sqlalchemy import select

from tests.domain.factories import quiet_answers
from tests.webapp.journey import CSRF, answer, full_report, location
from webapp import reports
from webapp.extensions import db
from webapp.models import Report


def start_report(client, description):
    answer(client, "/report/danger", {"danger": "no"})
    return answer(client, "/report/what", {"description": description})


def test_the_start_page_leads_to_the_danger_question_first(client):
    start = client.get("/").get_data(as_text=True)
    assert 'href="/report/danger"' in start
    page = client.get("/report/danger").get_data(as_text=True)
    assert "Is anyone in immediate danger right now?" in page


def test_yes_to_danger_says_call_999_before_anything_else(client):
    response = answer(client, "/report/danger", {"danger": "yes"})
    assert location(response) == "/report/emergency"
    page = client.get("/report/emergency").get_data(as_text=True)
    assert "Call 999 now" in page
    assert "18000" in page
    assert "0808 2000 247" in page
    assert 'href="/report/what"' in page  # they can come back and report when safe


def test_danger_in_the_description_goes_to_the_999_page_and_the_report_carries_on_after(client):
    response = start_report(client, "he has a knife and is outside my door")
    assert location(response) == "/report/emergency"
    page = client.get("/report/emergency").get_data(as_text=True)
    assert 'href="/report/type"' in page
    assert "he has a knife" not in page


def test_a_screened_out_matter_gets_a_kind_reason_and_advice(client):
    response = start_report(client, "I can hear footsteps from upstairs")
    assert location(response) == "/report/more-than-that"
    page = client.get("/report/more-than-that").get_data(as_text=True)
    assert "We may not be able to treat this as anti-social behaviour" in page
    assert "Everyday footsteps are part of living close to others" in page
    assert "mediation" in page
    assert "It is done on purpose" in page  # the way on


def test_its_more_than_that_carries_on_the_report(client, app):
    start_report(client, "I can hear footsteps from upstairs")
    response = answer(client, "/report/more-than-that", {"signs": ["deliberate", "unreasonable_hours"]})
    assert location(response) == "/report/type"
    report = db.session.scalars(select(Report)).one()
    assert report.screened_matter == "footsteps"
    assert report.asb_signs == ["deliberate", "unreasonable_hours"]
    assert report.case_type == "noise"


def test_going_on_without_saying_why_asks_what_makes_it_more(client):
    start_report(client, "I can hear footsteps from upstairs")
    page = answer(client, "/report/more-than-that", {}).get_data(as_text=True)
    assert "There is a problem" in page
    assert "Select what makes it more than that" in page


def test_a_validation_error_keeps_what_was_typed(client):
    start_report(client, "Loud music every night until 3am")
    answer(client, "/report/type", {"case_type": "noise"})
    answer(client, "/report/when", {"incident_when": "Most nights"})
    page = answer(
        client, "/report/where", {"location": "The flat above mine", "address": "12 High St", "postcode": "nonsense"}
    ).get_data(as_text=True)
    assert "<title>Error: Where does it happen?" in page
    assert 'href="#postcode"' in page
    assert "Enter a real postcode, like AB1 2CD" in page
    assert "The flat above mine</textarea>" in page
    assert 'value="nonsense"' in page


def test_a_half_finished_report_is_resumed_with_its_code(client, app):
    start_report(client, "Loud music every night until 3am")
    answer(client, "/report/type", {"case_type": "noise"})
    answer(client, "/report/when", {"incident_when": "Most nights"})
    saved = client.get("/report/save").get_data(as_text=True)
    code = re.search(r'dir="ltr">([A-Z2-9]{5}-[A-Z2-9]{5})<', saved).group(1)

    other_browser = app.test_client()
    assert location(other_browser.get("/report/when")) == "/report/lost"
    response = answer(other_browser, "/report/resume", {"code": code.lower().replace("-", " ")})
    assert location(response) == "/report/where"
    assert "Most nights</textarea>" in other_browser.get("/report/when").get_data(as_text=True)
    report = db.session.scalars(select(Report)).one()
    assert report.status == "draft"
    assert report.resume_code_hash and code not in str(report.resume_code_hash)


def test_a_wrong_resume_code_says_so(client):
    page = answer(client, "/report/resume", {"code": "AAAAA-BBBBB"}).get_data(as_text=True)
    assert "We could not find a report with that code" in page


def test_a_full_report_lands_in_the_queue_scored_with_a_reference_and_a_discreet_text(client, app, policy):
    answers = quiet_answers() | {"q1_frequency": "daily", "q5_history": "harassing_now", "q11_health": ["mental"]}
    page = full_report(client, policy, answers=answers)
    report = db.session.scalars(select(Report)).one()
    assert report.status == "submitted"
    assert report.ram_total == 16  # daily 5 + harassing now 6 + told no one 1 + a little 1 + mental health 3
    assert report.risk_level == "medium"
    assert report.priority == "high"
    assert report.case_type == "noise" and report.category == "nuisance"
    assert reports.queue()[0].id == report.id
    shown = f"{report.reference[:3]}-{report.reference[3:6]}-{report.reference[6:]}"
    assert shown in page
    assert "We will contact you by" in page
    sent = app.extensions["outbound_sender"].sent
    assert len(sent) == 1
    assert sent[0].to == "+447700900123"
    assert shown in sent[0].body
    assert "music" not in sent[0].body.lower()


def test_no_text_is_sent_when_a_text_is_not_safe(client, app, policy):
    full_report_until_check(client, policy, contact={"contact": "yes", "contact_phone": "07700 900123"}, safe=["call"])
    assert location(answer(client, "/report/check", {})) == "/report/confirmation"
    assert db.session.scalars(select(Report)).one().call_safe is True
    assert app.extensions["outbound_sender"].sent == []


def test_someone_reporting_for_another_person_says_who_they_are(client):
    start_report(client, "Loud music every night until 3am")
    page = answer(client, "/report/about-you", {"relationship": "carer"}).get_data(as_text=True)
    assert "Tell us your name and how you know the person" in page
    response = answer(client, "/report/about-you", {"relationship": "carer", "reporter_name": "Jo, her carer"})
    assert location(response) == "/report/contact"
    assert db.session.scalars(select(Report)).one().reporter_name == "Jo, her carer"


def test_a_resident_who_does_not_want_contact_is_told_what_that_limits(client, policy):
    page = full_report(client, policy, contact={"contact": "no"})
    assert "We will look at your report by" in page
    report = db.session.scalars(select(Report)).one()
    assert report.no_contact is True and report.contact_phone is None


def test_a_hate_incident_gets_the_true_vision_advice(client):
    response = start_report(client, "he shouts at me about my wheelchair")
    assert location(response) == "/report/type"
    assert location(answer(client, "/report/type", {"case_type": "hate_crime"})) == "/report/advice"
    page = client.get("/report/advice").get_data(as_text=True)
    assert "True Vision" in page and "https://www.report-it.org.uk" in page


def test_a_change_link_on_the_check_page_comes_back_to_it(client, policy):
    full_report_until_check(client, policy)
    check = client.get("/report/check").get_data(as_text=True)
    assert 'href="/report/when?change=1"' in check
    response = answer(client, "/report/when?change=1", {"incident_when": "Every weekend"})
    assert location(response) == "/report/check"
    assert "Every weekend" in client.get("/report/check").get_data(as_text=True)


def full_report_until_check(client, policy, contact=None, safe=()):
    answer(client, "/report/danger", {"danger": "no"})
    answer(client, "/report/what", {"description": "Loud music every night until 3am"})
    answer(client, "/report/type", {"case_type": "noise"})
    answer(client, "/report/when", {"incident_when": "nights"})
    answer(client, "/report/where", {"location": "upstairs"})
    answer(client, "/report/who", {})
    for question in policy.questions:
        answer(client, f"/report/ram/{question.number}", {} if question.multiple else {"answer": "skip"})
    answer(client, "/report/about-you", {"relationship": "self"})
    answer(client, "/report/contact", contact or {"contact": "no"})
    if safe:
        answer(client, "/report/contact-safety", {"methods": list(safe)})
        answer(client, "/report/updates", {"frequency": "fortnightly"})
    answer(client, "/report/consent", {"consent": "no"})


def test_the_check_page_will_not_send_an_unfinished_report(client):
    start_report(client, "Loud music every night until 3am")
    assert location(client.get("/report/check")) == "/report/type"


def test_no_report_content_goes_into_page_titles(client, policy):
    description = "Loud music every night until 3am"
    start_report(client, description)
    for path in ("/report/type", "/report/when", "/report/check"):
        html = client.get(path, follow_redirects=True).get_data(as_text=True)
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert "music" not in title.lower()


def test_a_form_sent_without_its_csrf_token_is_refused(client):
    client.get("/report/danger")
    response = client.post("/report/danger", data={"danger": "no"})
    assert response.status_code == 400


def test_exit_this_page_forgets_the_session_and_leaves_for_a_neutral_site(client):
    start_report(client, "Loud music every night until 3am")
    response = client.get("/leave")
    assert response.headers["Location"].startswith("https://www.bbc.co.uk/")
    assert location(client.get("/report/when")) == "/report/lost"


def test_every_page_has_an_exit_button_and_a_language_switcher(client):
    for path in ("/", "/report/danger", "/report/resume"):
        html = client.get(path).get_data(as_text=True)
        assert "govuk-exit-this-page" in html
        assert 'href="/report/danger?lang=ur"' in html or "?lang=ur" in html


def test_session_cookies_are_http_only_and_same_site(client):
    client.get("/report/danger")
    answer(client, "/report/danger", {"danger": "no"})
    cookie = client.get_cookie("session")
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_unsubmitted_reports_are_purged_after_the_retention_time(client, app, policy):
    from datetime import timedelta

    from webapp.models import utcnow
    from webapp.report.drafts import purge_unsubmitted

    start_report(client, "Loud music every night until 3am")
    assert purge_unsubmitted(policy) == 0
    db.session.execute(Report.__table__.update().values(updated_at=utcnow() - timedelta(days=31)))
    db.session.commit()
    assert purge_unsubmitted(policy) == 1


def test_pages_are_not_cached(client):
    assert client.get("/report/danger").headers["Cache-Control"] == "no-store"


def test_csrf_token_pattern_is_present_on_every_form(client):
    assert CSRF.search(client.get("/report/danger").get_data(as_text=True))


def test_a_page_sent_after_the_session_ended_explains_and_offers_a_way_on(client):
    client.get("/report/danger")
    page = client.post("/report/danger", data={"danger": "no", "csrf_token": "stale"})
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "Your session ended" in html
    assert 'href="/report/resume"' in html


def test_a_page_that_does_not_exist_has_a_way_on(client):
    page = client.get("/report/nowhere")
    assert page.status_code == 404
    assert 'href="/"' in page.get_data(as_text=True)


def test_the_danger_question_in_polish(client):
    html = client.get("/report/danger?lang=pl").get_data(as_text=True)
    assert '<html lang="pl" dir="ltr"' in html
    assert "Is anyone in immediate danger right now?" not in html
    assert "999" in client.get("/report/emergency").get_data(as_text=True)

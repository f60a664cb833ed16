"""Keeping the resident informed, on SQLite and PostgreSQL: who their officer is, updates, closure, survey.

Every message goes by the resident's safe channel, inside their safe times, in
their language, and says nothing about the case beyond the reference.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from asb_domain.references import format_reference
from tests.webapp.factories import sign_in, staff, submitted
from tests.webapp.journey import CSRF
from tests.webapp.sms.test_webhook import TOKEN, signed_post, text
from webapp import informing, reports
from webapp.extensions import db
from webapp.models import OutboundMessage, Report, SatisfactionSurvey
from webapp.sms.conversations import process_pending

# Wednesday 2 December 2026, 10:00 in London (GMT).
WED_10AM = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def at(app, moment):
    app.config["ASB_CLOCK"] = lambda: moment


def sent(app):
    return app.extensions["outbound_sender"].sent


def officer(policy, username="jsmith", name="Jo Smith", role="admin"):
    from webapp.staff.accounts import create_staff

    return create_staff(policy, username, name, role, "correct horse battery")


def post_action(client, ref, action, data):
    token = CSRF.search(client.get(f"/staff/reports/{ref}").get_data(as_text=True)).group(1)
    return client.post(f"/staff/reports/{ref}/{action}", data={"csrf_token": token, **data})


def test_acknowledging_texts_the_resident_their_officers_name_by_their_safe_channel(app, client, policy):
    at(app, WED_10AM)
    officer(policy)
    report = submitted(policy, contact_phone="07700 900123", text_safe=True)
    before = len(sent(app))
    sign_in(client, "jsmith")
    ref = format_reference(report.reference)
    post_action(client, ref, "acknowledge", {})

    [message] = sent(app)[before:]
    assert message.to == "+447700900123"
    assert message.body == (
        f"Riverside Homes: we have your case {ref}. Your officer is Jo Smith. "
        "To reach them call 0300 123 4567 and give your reference."
    )
    assert "music" not in message.body.lower()  # discreet: nothing of what the resident told us
    stored = db.session.get(Report, report.id)
    assert stored.officer_told == "jsmith" and stored.assigned_to == "jsmith"
    assert stored.next_update_due == date(2026, 12, 16)  # every 2 weeks, the default


def test_where_only_email_is_safe_the_acknowledgement_goes_by_email_and_never_by_text(app, client, policy):
    at(app, WED_10AM)
    officer(policy)
    report = submitted(
        policy, contact_phone="07700 900123", text_safe=False, email_safe=True, contact_email="sam@example.org"
    )
    before = len(sent(app))
    reports.acknowledge(report, "jsmith", officer="jsmith")
    assert sent(app)[before:] == []
    [email] = app.extensions["outbound_sender"].emails
    assert email.to == "sam@example.org" and "Your officer is Jo Smith" in email.body
    assert email.subject == f"Riverside Homes: your case {format_reference(report.reference)}"


def test_where_only_a_phone_call_is_safe_nothing_is_sent_and_the_officer_is_told_to_call(app, client, policy):
    at(app, WED_10AM)
    officer(policy)
    report = submitted(policy, contact_phone="07700 900123", text_safe=False, call_safe=True, voicemail_safe=False)
    before = len(sent(app))
    sign_in(client, "jsmith")
    ref = format_reference(report.reference)
    post_action(client, ref, "acknowledge", {})
    assert sent(app)[before:] == []
    page = client.get(f"/staff/reports/{ref}").get_data(as_text=True)
    assert "Messages waiting" in page
    assert "only a phone call is safe. Call them" in page


def test_a_message_is_held_until_the_residents_safe_time_window_opens(app, client, policy):
    officer(policy)
    report = submitted(policy, contact_phone="07700 900123", text_safe=True)
    report.contact_windows = {"periods": ["evenings"], "days": "any_day"}
    db.session.commit()
    before = len(sent(app))

    at(app, WED_10AM)  # evenings only: 10am is not safe
    reports.acknowledge(report, "jsmith", officer="jsmith")
    assert sent(app)[before:] == []
    held = db.session.scalar(select(OutboundMessage).where(OutboundMessage.purpose == "acknowledgement"))
    assert held.status == "held" and held.held_reason == "outside_safe_times"
    assert held.not_before == datetime(2026, 12, 2, 17, 0, tzinfo=UTC)

    sign_in(client, "jsmith")
    page = client.get(f"/staff/reports/{format_reference(report.reference)}").get_data(as_text=True)
    assert "Waiting for the resident&#39;s safe time: goes Wed 02 Dec at 17:00" in page

    at(app, datetime(2026, 12, 2, 16, 59, tzinfo=UTC))
    process_pending()  # the worker's pass
    assert sent(app)[before:] == []

    at(app, datetime(2026, 12, 2, 17, 0, tzinfo=UTC))
    process_pending()
    [message] = sent(app)[before:]
    assert "Your officer is Jo Smith" in message.body
    db.session.refresh(held)
    assert held.status == "sent"


def test_a_held_message_follows_safe_times_the_resident_changed_while_it_waited(app, policy):
    officer(policy)
    report = submitted(policy, contact_phone="07700 900123", text_safe=True)
    report.contact_windows = {"periods": ["evenings"], "days": "any_day"}
    db.session.commit()
    before = len(sent(app))
    at(app, WED_10AM)
    reports.acknowledge(report, "jsmith", officer="jsmith")
    report.contact_windows = {"periods": ["evenings"], "days": "weekends"}  # now: weekend evenings only
    db.session.commit()
    at(app, datetime(2026, 12, 2, 17, 0, tzinfo=UTC))
    process_pending()
    assert sent(app)[before:] == []
    held = db.session.scalar(select(OutboundMessage).where(OutboundMessage.purpose == "acknowledgement"))
    assert held.not_before == datetime(2026, 12, 5, 17, 0, tzinfo=UTC)  # Saturday evening


def test_an_overdue_update_stands_out_on_the_queue(app, client, policy):
    officer(policy)
    report = submitted(policy, contact_phone="07700 900123", text_safe=True)
    report.update_frequency = "weekly"
    db.session.commit()
    at(app, datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    reports.acknowledge(report, "jsmith", officer="jsmith")
    assert db.session.get(Report, report.id).next_update_due == date(2026, 11, 27)

    at(app, WED_10AM)
    sign_in(client, "jsmith")
    page = client.get("/staff/").get_data(as_text=True)
    # The queue counts "today" from the real clock: 27 November 2026 is in the past from now on.
    assert "1 update overdue" in page
    row = page[page.index(f'data-reference="{format_reference(report.reference)}"') :]
    assert "Update overdue" in row[: row.index("</tr>")]


def test_recording_an_update_sends_a_discreet_message_and_moves_the_next_due_date(app, client, policy):
    officer(policy)
    report = submitted(policy, contact_phone="07700 900123", text_safe=True)
    at(app, WED_10AM)
    reports.acknowledge(report, "jsmith", officer="jsmith")
    before = len(sent(app))
    at(app, datetime(2026, 12, 9, 11, 0, tzinfo=UTC))
    sign_in(client, "jsmith")
    post_action(client, format_reference(report.reference), "update", {"kind": "progress"})
    [message] = sent(app)[before:]
    assert "we are still working on your case" in message.body
    assert db.session.get(Report, report.id).next_update_due == date(2026, 12, 23)


def test_a_new_officer_is_news_once_the_resident_knows_one(app, policy):
    at(app, WED_10AM)
    officer(policy)
    officer(policy, "akhan", "Amir Khan")
    report = submitted(policy, contact_phone="07700 900123", text_safe=True)
    reports.acknowledge(report, "jsmith", officer="jsmith")
    before = len(sent(app))
    reports.assign(report, "akhan", "jsmith")
    [message] = sent(app)[before:]
    assert "has a new officer, Amir Khan" in message.body
    reports.assign(report, "akhan", "jsmith")  # the same officer again: no news
    assert len(sent(app)) == before + 1


def test_closing_tells_the_resident_why_and_an_sms_survey_answered_with_numbers_reaches_the_managers_page(
    app, client, policy
):
    app.config.update(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=None)
    at(app, WED_10AM)
    officer(policy)
    report = submitted(policy, contact_phone="07700 900123", text_safe=True)
    report.case_review_eligible = True
    db.session.commit()
    reports.acknowledge(report, "jsmith", officer="jsmith")
    before = len(sent(app))
    sign_in(client, "jsmith")
    ref = format_reference(report.reference)
    post_action(client, ref, "close", {"closure_code": "action_taken", "reason": "Warning letter to flat 4"})

    closure, question_1 = sent(app)[before:]
    assert closure.body.startswith(f"Riverside Homes: your case {ref} is now closed.")
    assert "We have taken action" in closure.body
    assert "If it happens again, call 0300 123 4567 or text this number." in closure.body
    assert "case review" in closure.body  # they qualify
    assert "flat 4" not in closure.body.lower()  # staff's own notes are never sent
    assert "How satisfied are you" in question_1.body and "1 Very satisfied" in question_1.body

    url = "http://localhost/sms/inbound"
    for n, answer in enumerate(["1", "2", "1"]):
        signed_post(client, "/sms/inbound", text(answer, sid=f"SMsurvey{n}", number="+447700900123"), url)
    replies = [m.body for m in sent(app)[before + 2 :]]
    assert "Did we keep you informed" in replies[0]
    assert "Would you report to us again" in replies[1]
    assert replies[2] == "Thank you. Your answers help us do better."
    survey = db.session.scalar(select(SatisfactionSurvey))
    assert survey.status == "completed"
    assert survey.answers == {"satisfaction": "very_satisfied", "kept_informed": "partly", "report_again": "yes"}

    page = client.get("/staff/satisfaction").get_data(as_text=True)
    month = WED_10AM.strftime("%Y-%m")  # completed "now", on the test's clock
    by_month = page[page.index('id="by-month"') :]
    assert month in by_month[: by_month.index("</table>")]
    assert "100% (1)" in by_month[: by_month.index("</table>")]
    by_role = page[page.index('id="by-handling-role"') :]
    assert "Community Housing Manager" in by_role[: by_role.index("</table>")]
    by_category = page[page.index('id="by-category"') :]
    assert "Nuisance" in by_category[: by_category.index("</table>")]
    report_page = client.get(f"/staff/reports/{ref}").get_data(as_text=True)
    assert "completed (by sms)" in report_page and "Very satisfied" in report_page


def test_the_managers_page_is_for_admins_only(app, client, policy):
    staff(policy, "chm", role="community_housing_manager")
    sign_in(client, "chm")
    assert client.get("/staff/satisfaction").status_code == 403


def test_where_only_email_is_safe_the_survey_is_a_web_page_linked_by_email(app, client, policy):
    at(app, WED_10AM)
    officer(policy)
    report = submitted(
        policy, contact_phone=None, text_safe=False, email_safe=True, contact_email="sam@example.org", language="pl"
    )
    reports.acknowledge(report, "jsmith", officer="jsmith")
    reports.close(policy, report, "resolved", "Sorted", "jsmith")
    email = app.extensions["outbound_sender"].emails[-1]
    link = email.body.split("http://localhost")[-1].strip()
    assert link.startswith("/survey/")
    page = client.get(link)
    assert page.status_code == 200 and '<html lang="pl"' in page.get_data(as_text=True)  # the resident's language
    token = CSRF.search(page.get_data(as_text=True)).group(1)
    client.post(link, data={"csrf_token": token, "satisfaction": "fairly_dissatisfied", "report_again": "no"})
    survey = db.session.scalar(select(SatisfactionSurvey))
    assert survey.status == "completed" and survey.channel == "web"
    assert survey.answers == {"satisfaction": "fairly_dissatisfied", "report_again": "no"}
    assert client.get("/survey/not-a-token").status_code == 404


def test_a_resident_texting_status_hears_where_their_case_is_without_anything_about_who_they_reported(
    app, client, policy
):
    app.config.update(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=None)
    at(app, WED_10AM)
    officer(policy)
    report = submitted(policy, contact_phone="07700 900123", text_safe=True, responsible="Flat 4, Mr Jones")
    reports.acknowledge(report, "jsmith", officer="jsmith")
    before = len(sent(app))
    url = "http://localhost/sms/inbound"
    signed_post(client, "/sms/inbound", text("STATUS", sid="SMs1", number="+447700900123"), url)
    [reply] = sent(app)[before:]
    ref = format_reference(report.reference)
    assert reply.body.startswith(f"Your case {ref} is open. Your officer is Jo Smith.")
    assert "Jones" not in reply.body and "Flat 4" not in reply.body
    signed_post(client, "/sms/inbound", text("UPDATES 1", sid="SMs2", number="+447700900123"), url)
    assert sent(app)[-1].body == "Thank you. Updates from now on: Every week."
    assert db.session.get(Report, report.id).update_frequency == "weekly"
    # Another number, even with the right reference, learns nothing.
    signed_post(client, "/sms/inbound", text(ref, sid="SMs3", number="+447700900999"), url)
    assert sent(app)[-1].body == "We could not find a case for this number."


def test_a_resident_sees_their_case_on_the_web_after_a_code_and_changes_how_often_they_hear(app, client, policy):
    from tests.webapp.journey import answer

    at(app, WED_10AM)
    officer(policy)
    report = submitted(policy, contact_phone="07700 900123", text_safe=True)
    reports.acknowledge(report, "jsmith", officer="jsmith")
    answer(client, "/case", {"reference": format_reference(report.reference)})
    code = sent(app)[-1].body.split("is ")[1][:6]
    response = answer(client, "/case/code", {"code": code})
    assert response.headers["Location"] == "/case/status"
    page = client.get("/case/status").get_data(as_text=True)
    assert "Your officer is Jo Smith" in page
    answer(client, "/case/status", {"frequency": "monthly"})
    assert db.session.get(Report, report.id).update_frequency == "monthly"
    # The next update is now a month after the last contact.
    assert db.session.get(Report, report.id).next_update_due == date(2026, 12, 30)


def test_every_message_to_a_resident_is_plain_gsm_text_of_at_most_two_segments(app, client, policy):
    """Prints each message with its segment count (the list in the issue's note comes from here)."""
    from asb_domain.sms import cost
    from webapp.confirmation import send_confirmation

    app.config.update(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=None)
    at(app, WED_10AM)
    officer(policy)
    officer(policy, "akhan", "Amir Khan")
    report = submitted(policy, contact_phone="07700 900123", text_safe=True)
    report.case_review_eligible = True
    db.session.commit()
    send_confirmation(report)
    url = "http://localhost/sms/inbound"
    signed_post(client, "/sms/inbound", text("STATUS", sid="SMp1", number="+447700900123"), url)
    reports.acknowledge(report, "jsmith", officer="jsmith")
    reports.assign(report, "akhan", "jsmith")
    informing.record_update(report, "progress", "akhan")
    informing.record_update(report, "call_me", "akhan")
    for n, body in enumerate(["STATUS", "UPDATES", "UPDATES 3"]):
        signed_post(client, "/sms/inbound", text(body, sid=f"SMq{n}", number="+447700900123"), url)
    reports.close(policy, report, "not_enough_evidence", "No evidence", "akhan")
    for n, body in enumerate(["1", "1", "1", "STATUS"]):
        signed_post(client, "/sms/inbound", text(body, sid=f"SMr{n}", number="+447700900123"), url)
    signed_post(client, "/sms/inbound", text("STATUS", sid="SMr9", number="+447700900555"), url)

    assert len(sent(app)) == 16
    for message in sent(app):
        bill = cost(message.body)
        print(f"{bill.segments} segment(s), {len(message.body)} characters: {message.body!r}")
        assert bill.encoding == "GSM-7", message.body  # no curly quotes or dashes: one character set
        assert bill.segments <= 2, message.body

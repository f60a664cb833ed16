"""A whole report by text: requests signed as Twilio signs them, the real bot, the real store, the worker."""

from __future__ import annotations

import re

import requests

from asb_domain.sms import cost
from tests.bot.stack import Texter, work
from webapp.extensions import db
from webapp.models import InboundMessage, SmsOptOut


def test_a_whole_report_by_text_ends_in_the_queue_with_the_number_it_came_from(stack):
    texter = Texter(stack)
    replies = texter.texts("the lads upstairs play loud music every night till 3am")
    assert "999" in replies[0]
    assert "When does it happen" in replies[-1]
    answers = [
        "every night",
        "flat above",
        "skip",
        "skip",
        "1",  # daily
        "yes",
        "yes",
        "2",
        "1",  # harassing me now
        "no",
        "1",
        "no",
        "no",
        "3",
        "2",
        "1",
        "3",
        "1",
        "1 and 2",  # text and call: no number asked, it is this one
        "Sam",
        "evenings",
        "2",  # an update every 2 weeks
        "yes",
    ]
    everything = list(replies)
    for answer in answers:
        everything += texter.texts(answer)
    assert "Shall I send your report now?" in everything[-1]
    sent = texter.texts("yes")
    everything += sent
    reference = re.search(r"(\d{3}-\d{3}-\d{3})", "\n".join(sent)).group(1).replace("-", "")
    [report] = [r for r in stack.reports() if r.reference == reference]
    assert report.channel == "sms"
    assert report.contact_phone == texter.number
    assert report.case_type == "noise"
    assert report.priority == "high"  # harassing now
    # Discreet: no text repeats what the resident wrote.
    assert not any("loud music" in text for text in everything)
    segments = sum(cost(text).segments for text in everything)
    print(f"\nSMS report in English: {len(everything)} texts, {segments} segments")


def test_danger_gets_the_999_advice_at_once_before_the_bot_answers(stack):
    texter = Texter(stack)
    response, _ = texter.post("hes outside my door with a knife")
    assert response.status_code == 200
    first = texter.received()  # before the worker has run: the webhook answered from the policy alone
    assert len(first) == 1 and "call 999" in first[0]
    work(stack)
    later = texter.received()
    assert later and not any("call 999 straight away" in text for text in later)  # not told twice


def test_the_same_message_delivered_twice_is_answered_once(stack):
    texter = Texter(stack)
    response, params = texter.post("someone keeps dumping rubbish by the bins")
    again, _ = texter.post(params["Body"], sid=params["MessageSid"])
    assert response.status_code == again.status_code == 200
    work(stack)
    replies = texter.received()
    assert sum("When does it happen" in r for r in replies) == 1
    with stack.app.app_context():
        count = db.session.query(InboundMessage).filter_by(provider_sid=params["MessageSid"]).count()
    assert count == 1


def test_stop_is_honoured_until_start(stack):
    texter = Texter(stack)
    texter.texts("dogs barking all night next door")
    assert texter.texts("STOP") == []
    with stack.app.app_context():
        assert db.session.get(SmsOptOut, texter.number) is not None
    assert texter.texts("every night") == []  # kept, never answered
    assert "texts from us again" in texter.texts("START")[0]


def test_a_plain_request_to_stop_texting_is_confirmed_and_a_description_is_not_taken_as_one(stack):
    texter = Texter(stack)
    assert texter.texts("please stop texting me") == ["To stop all texts from us, reply STOP."]
    replies = texter.texts("I asked him to please stop playing music at 3am every night")
    assert "When does it happen" in replies[-1]


def test_help_says_what_the_service_is_and_puts_999_first(stack):
    [reply] = Texter(stack).texts("HELP")
    assert "report anti-social behaviour by text" in reply and "999" in reply


def test_a_bad_or_missing_signature_is_refused_and_nothing_is_stored(stack):
    texter = Texter(stack)
    response, params = texter.post("hello", signature="not-a-signature")
    assert response.status_code == 403
    response = requests.post(f"{stack.web_url}/sms/inbound", data={"MessageSid": "SMx", "From": "+1"}, timeout=10)
    assert response.status_code == 403
    with stack.app.app_context():
        assert db.session.query(InboundMessage).filter_by(provider_sid=params["MessageSid"]).count() == 0
        assert db.session.query(InboundMessage).filter_by(provider_sid="SMx").count() == 0


def test_polish_is_detected_from_the_first_text_and_confirmed(stack):
    texter = Texter(stack)
    replies = texter.texts("sąsiad z góry puszcza bardzo głośną muzykę co noc do trzeciej nad ranem")
    assert any("Polski" in r for r in replies)
    assert replies[-1].startswith("Kiedy")


def test_with_the_bot_stopped_three_texts_wait_and_are_all_answered_in_order_when_it_is_back(stack):
    texter = Texter(stack)
    stack.stop_rasa()
    try:
        replies = texter.texts("kids on motorbikes racing round the estate every night")
        assert replies == ["Your message is safe with us. Our reply may take a few minutes. In an emergency call 999."]
        assert texter.texts("every night after 10") == []
        assert texter.texts("the car park") == []
    finally:
        stack.start_rasa()
    from datetime import timedelta

    from webapp.models import utcnow
    from webapp.sms.conversations import process_pending

    with stack.app.app_context():
        process_pending(now=utcnow() + timedelta(minutes=5))  # past every retry time
        db.session.remove()
    replies = texter.received()
    questions = ("When does it happen", "Where does it happen", "What is your address and postcode")
    asked = [q for r in replies for q in questions if r.startswith(q)]
    assert asked == list(questions)  # each text answered, in the order sent


def test_a_whole_report_by_text_in_polish(stack):
    texter = Texter(stack)
    everything = texter.texts("sąsiad z góry puszcza bardzo głośną muzykę co noc i wali w ściany")
    assert any("Polski" in r for r in everything)
    answers = ["co noc", "mieszkanie nad nami", "pomiń", "nie wiem"]
    answers += ["1", "tak", "tak", "2", "4", "nie", "1", "nie", "nie", "3", "2", "1", "3", "1"]
    answers += ["1", "Ania", "4", "2", "tak"]  # evenings; an update every 2 weeks
    for answer in answers:
        everything += texter.texts(answer)
    sent = texter.texts("tak")
    everything += sent
    reference = re.search(r"(\d{3}-\d{3}-\d{3})", "\n".join(sent)).group(1).replace("-", "")
    [report] = [r for r in stack.reports() if r.reference == reference]
    assert report.channel == "sms" and report.language == "pl"
    assert report.contact_phone == texter.number
    segments = sum(cost(text).segments for text in everything)
    print(f"\nSMS report in Polish: {len(everything)} texts, {segments} segments")


def test_a_whole_report_by_text_in_spanish(stack):
    texter = Texter(stack)
    everything = texter.texts("los vecinos de arriba ponen musica muy alta todas las noches hasta las 4 de la mañana")
    assert any("Español" in r for r in everything)  # detected, and confirmed in Spanish
    answers = ["todas las noches", "el piso de arriba", "saltar", "no sé"]
    answers += ["1", "sí", "sí", "2", "1", "no", "1", "no", "no", "3", "2", "1", "3", "1"]
    answers += ["1", "Lucía", "4", "2", "sí"]  # text; evenings; an update every 2 weeks; consent
    for answer in answers:
        everything += texter.texts(answer)
    sent = texter.texts("sí")
    everything += sent
    reference = re.search(r"(\d{3}-\d{3}-\d{3})", "\n".join(sent)).group(1).replace("-", "")
    [report] = [r for r in stack.reports() if r.reference == reference]
    assert report.channel == "sms" and report.language == "es"
    assert report.contact_phone == texter.number
    assert report.priority == "high"  # "1" to question 5: harassing me now
    assert report.contact_windows == {"periods": ["evenings"], "days": "any_day"}
    # Every question came in Spanish: none of the English question words reached the resident.
    assert not any(text.startswith(("When does", "Where does", "Question ")) for text in everything)
    segments = sum(cost(text).segments for text in everything)
    print(f"\nSMS report in Spanish: {len(everything)} texts, {segments} segments")


def test_diary_by_text_from_the_number_on_the_case_appears_after_a_web_entry_on_the_staff_page(stack):
    from asb_domain.references import format_reference
    from tests.webapp.factories import staff, submitted
    from webapp.diary.store import add_entry

    texter = Texter(stack)
    with stack.app.app_context():
        policy = stack.app.extensions["asb_policy"]
        report = submitted(policy, contact_phone=texter.number.replace("+44", "0"))
        add_entry(policy, report, "web", occurred_at="Monday", what_happened="first, on the web", police_told=False)
        reference = format_reference(report.reference)
        staff(policy, "diaryofficer", role="admin")
    assert "Diary: when did it happen?" in texter.texts("DIARY")[-1]
    assert texter.texts("last night about 2am") == ["What happened?"]
    photo = "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME1"
    assert "Who was involved?" in texter.texts("they kicked my door and shouted at me", media=photo)[0]
    assert "How did it affect" in texter.texts("skip")[0]
    assert "Did you tell the police?" in texter.texts("scared to go out")[0]
    [added] = texter.texts("yes ref CAD4567")
    assert "Added to your diary as entry 2" in added

    officer = requests.Session()
    page = officer.get(f"{stack.web_url}/staff/login", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    officer.post(
        f"{stack.web_url}/staff/login",
        data={"csrf_token": token, "username": "diaryofficer", "password": "correct horse battery"},
        timeout=10,
    )
    page = officer.get(f"{stack.web_url}/staff/reports/{reference}", timeout=10).text
    assert page.index("first, on the web") < page.index("they kicked my door and shouted at me")
    assert "by sms" in page and "CAD4567" in page
    assert "mms evidence held by Twilio" in page


def test_diary_from_a_number_with_no_open_case_adds_nothing(stack):
    texter = Texter(stack)
    assert texter.texts("DIARY") == ["We could not find an open case for this number, so nothing was added."]

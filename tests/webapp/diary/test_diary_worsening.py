"""A diary entry that says it is getting worse raises the flag for the officer, whichever answer says it."""

from __future__ import annotations

from tests.webapp.diary.test_diary import entry, open_diary
from tests.webapp.factories import submitted
from webapp.extensions import db
from webapp.models import SmsConversation

SERVICE = "test-service-token"


def test_getting_worse_said_under_how_it_affected_them_on_the_web_diary_is_flagged(app, client, policy):
    report = submitted(policy)
    open_diary(client, app, report)
    entry(client, what="music at 2am", effect="it is getting worse and I cannot sleep")
    db.session.refresh(report)
    assert "diary_worsening" in report.flags


def test_getting_worse_said_under_who_or_when_on_the_web_diary_is_flagged(app, client, policy):
    first = submitted(policy)
    open_diary(client, app, first)
    entry(client, what="shouting on the stairs", who_involved="the same lads, more and more of them each week")
    db.session.refresh(first)
    assert "diary_worsening" in first.flags


def test_an_entry_that_does_not_say_it_is_worse_raises_no_flag_even_when_a_field_starts_with_yes(app, client, policy):
    report = submitted(policy)
    open_diary(client, app, report)
    entry(client, what="music at 2am", who_involved="yes, the man at number 4", effect="1 night without sleep")
    entry(client, what="music again", effect="it is not getting worse, the same as before")
    db.session.refresh(report)
    assert "diary_worsening" not in (report.flags or [])


def test_getting_worse_said_under_how_it_affected_them_by_text_is_flagged(app, client, policy):
    app.config["ASB_SERVICE_TOKEN"] = SERVICE
    report = submitted(policy, contact_phone="07700 900123")
    conversation = SmsConversation(phone="+447700900123")
    db.session.add(conversation)
    db.session.commit()
    response = client.post(
        "/api/v1/diary",
        json={
            "sms_conversation": conversation.sender_id,
            "what_happened": "banging on my wall",
            "effect": "its getting worse every week, I am scared",
            "police_told": False,
        },
        headers={"Authorization": f"Bearer {SERVICE}"},
    )
    assert response.status_code == 201, response.get_json()
    db.session.refresh(report)
    assert "diary_worsening" in report.flags

"""When the bot is down, the web chat loses nothing and still puts danger first."""

from __future__ import annotations

from tests.bot.stack import free_port
from tests.webapp.journey import answer
from webapp.bot_client import RasaClient, nlu_for


def bot_down(app):
    client = RasaClient(f"http://127.0.0.1:{free_port()}", "token", timeout=1)  # nothing listens there
    app.extensions["asb_bot"] = client
    app.extensions["asb_nlu"] = nlu_for(app.extensions["asb_policy"], client)


def test_a_message_the_bot_cannot_take_stays_in_the_box_with_a_way_on(app, client):
    bot_down(app)
    page = answer(client, "/chat", {"message": "loud music every night from upstairs"}).get_data(as_text=True)
    assert "the chat is not working right now" in page
    assert "loud music every night from upstairs</textarea>" in page
    assert 'href="/report/danger"' in page


def test_danger_gets_the_999_advice_from_the_policy_even_when_the_bot_is_down(app, client):
    bot_down(app)
    page = answer(client, "/chat", {"message": "hes outside my door with a knife"}).get_data(as_text=True)
    assert "Call 999 now" in page
    assert "call the police on 999 now" in page


def test_the_web_form_still_screens_on_the_policy_alone_when_the_bot_is_down(app, client):
    bot_down(app)
    from webapp.screening import screen

    assert screen("i can hear footsteps from upstairs", "en").outcome == "not_asb"


def test_the_chat_page_says_so_when_no_bot_is_configured(client):
    page = client.get("/chat").get_data(as_text=True)
    assert "the chat is not working right now" in page
    assert "Report using the form" in page


def test_before_the_bot_has_loaded_the_chat_page_says_it_is_not_ready_and_offers_the_form(app, client):
    bot_down(app)  # as after a fresh start, while the model is still training: nothing answers on Rasa's port
    page = client.get("/chat").get_data(as_text=True)
    assert "The chat is not ready yet" in page
    assert 'href="/report/danger"' in page
    assert "Report using the form" in page

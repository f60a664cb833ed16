from __future__ import annotations

import uuid

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale

from asb_domain.triage import EMERGENCY, triage
from webapp import current_policy
from webapp.bot_client import BotUnavailable
from webapp.chat import bp
from webapp.chat.forms import ChatForm


def _bot():
    return current_app.extensions.get("asb_bot")


def _conversation_id() -> str:
    # A random id per browser session: nothing about the resident in it.
    if "chat_id" not in session:
        session["chat_id"] = "web-" + uuid.uuid4().hex
        session.permanent = True
    return session["chat_id"]


def _answering(bot) -> bool:
    """Some Rasa server has its model loaded (one is enough: a pool sends a conversation on when one is down)."""
    return any(client.ready() for client in getattr(bot, "clients", [bot]))


def _render(
    form: ChatForm,
    *,
    unavailable: bool = False,
    not_ready: bool = False,
    danger: bool = False,
    fragment: bool = False,
    status=200,
):
    transcript, bot = [], _bot()
    if bot is not None and "chat_id" in session:
        try:
            transcript = bot.transcript(session["chat_id"])
        except BotUnavailable:
            unavailable = True
    # Buttons belong to the bot's latest message only: older ones would answer a question already moved past.
    choices = transcript[-1]["buttons"] if transcript and transcript[-1]["who"] == "bot" else []
    template = "chat/transcript.html" if fragment else "chat/chat.html"
    html = render_template(
        template,
        form=form,
        transcript=transcript,
        choices=choices,
        unavailable=unavailable or bot is None,
        not_ready=not_ready and not unavailable and bot is not None,
        danger=danger,
        policy=current_policy(),
        back_url=url_for("main.start"),
    )
    return html, status


def _wants_fragment() -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


@bp.get("")
def chat():
    # With a conversation under way, reading its transcript shows whether the bot answers; before one, ask it
    # (after a fresh start the model may still be training or loading: say so before anything is typed).
    bot = _bot()
    not_ready = bot is not None and "chat_id" not in session and not _answering(bot)
    return _render(ChatForm(formdata=None), not_ready=not_ready)


@bp.post("")
def send():
    form = ChatForm()
    fragment = _wants_fragment()
    if not form.validate_on_submit():
        return _render(form, fragment=fragment, status=400 if fragment else 200)
    text = form.message.data.strip()
    lang = str(get_locale())
    bot = _bot()
    try:
        if bot is None:
            raise BotUnavailable("no bot configured")
        bot.send(_conversation_id(), text, {"lang": lang, "channel": "chat"})
    except BotUnavailable:
        # Nothing lost: the message stays in the box to send again, and danger still gets the 999 advice.
        danger = triage(current_policy(), text, lang).outcome == EMERGENCY
        return _render(form, unavailable=True, danger=danger, fragment=fragment, status=503 if fragment else 200)
    if fragment:
        return _render(ChatForm(formdata=None), fragment=True)
    return redirect(url_for("chat.chat", _anchor="latest"))


@bp.post("/end")
def end():
    """Start a new conversation in this browser (the old one stays with the bot until it expires)."""
    session.pop("chat_id", None)  # CSRFProtect has checked the token, as on every POST
    return redirect(url_for("chat.chat"))

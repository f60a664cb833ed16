"""A resident's text conversation: what the webhook does at once, and what the worker does in order.

At once (on arrival): STOP, START and HELP; a plain "please stop texting me"
is answered with how to stop; a language's name changes the language; a
message that signals danger gets the 999 advice from the policy alone; then a
survey answer, STATUS or UPDATES is answered here. Then the message waits for
the worker, which hands each number's messages to the bot one at a time,
oldest first, and sends the replies (PAUSE as the bot's stop). A text from a
number with an open case, when the bot is not mid-report, is held and the
resident asked whether it is about the case (`_case_route`). If the bot is
down the message waits and is retried, and the resident hears once that it is
safe.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from asb_domain.repeats import phone_key
from asb_domain.triage import EMERGENCY, triage
from webapp import current_policy
from webapp.bot_client import BotUnavailable, replies_to
from webapp.extensions import db
from webapp.i18n import LANGUAGES
from webapp.models import InboundMessage, SmsConversation, SmsOptOut, utcnow
from webapp.outbound import opted_out, retry_queued, send_message
from webapp.sms import claims, keywords

logger = logging.getLogger(__name__)

WAITING = ("received", "queued", "retry")
# Bot retries: 2 s, 4 s, 8 s... at most a minute apart, for as long as it takes.
BOT_RETRY_BASE_SECONDS = 2
BOT_RETRY_MAX_SECONDS = 60
BOT_TIMEOUT_SECONDS = 30

# A language's name, texted alone, chooses it: its own name (with and without accents), its English
# name, and how speakers of the other languages name it.
LANGUAGE_NAMES = {
    **dict.fromkeys(("english", "angielski", "انگریزی", "engleza", "engleză", "inglês", "ingles", "inglés"), "en"),
    **dict.fromkeys(("الإنجليزية", "الانجليزية", "انجليزي", "انكليزي"), "en"),
    **dict.fromkeys(("polski", "polish", "poloneza", "poloneză", "polaco", "البولندية", "پولش"), "pl"),
    **dict.fromkeys(("română", "romana", "romanian", "rumuński", "rumunski", "romeno", "rumano"), "ro"),
    **dict.fromkeys(("الرومانية", "رومانی"), "ro"),
    **dict.fromkeys(("português", "portugues", "portuguese", "portugalski", "portugheza", "portugheză"), "pt"),
    **dict.fromkeys(("portugués", "البرتغالية", "پرتگالی"), "pt"),
    **dict.fromkeys(("español", "espanol", "spanish", "castellano", "hiszpański", "hiszpanski"), "es"),
    **dict.fromkeys(("spaniola", "spaniolă", "espanhol", "الإسبانية", "الاسبانية", "ہسپانوی"), "es"),
    **dict.fromkeys(("العربية", "عربي", "عربى", "arabic", "arabski", "araba", "arabă", "árabe", "arabe"), "ar"),
    **dict.fromkeys(("arabi", "عربی"), "ar"),
    **dict.fromkeys(("urdu", "اردو", "urdu", "الأردية", "الاردية", "ourdou"), "ur"),
}


def number(raw: str) -> str:
    """The sender's number as the store keeps it (E.164-like, no spaces)."""
    return (phone_key(raw) or raw)[:32]


def conversation_for(phone: str) -> SmsConversation:
    conversation = db.session.scalar(select(SmsConversation).where(SmsConversation.phone == phone))
    if conversation is None:
        conversation = SmsConversation(phone=phone)
        db.session.add(conversation)
        db.session.commit()
    return conversation


def _say(message: InboundMessage, lang: str, key: str, text_for) -> None:
    """Send `text_for()` in `lang`, once per message and purpose."""
    with force_locale(lang):
        body = text_for()
    send_message(message.from_number, body, dedupe_key=f"{key}:{message.provider_sid}", in_reply_to_id=message.id)


def danger_text(flags=()) -> str:
    lines = [
        _("If you or anyone else is in danger now, call 999 straight away."),
        _("Deaf or speech-impaired: text relay 18000, or text 999 if you are registered with emergencySMS."),
    ]
    if "domestic_abuse" in flags:
        lines.append(_("National Domestic Abuse Helpline: 0808 2000 247, free, 24 hours."))
    return "\n".join(lines)


def on_arrival(message: InboundMessage) -> None:
    """What cannot wait for the worker. The message is already stored."""
    conversation = conversation_for(message.from_number)
    lang = conversation.language or "en"
    word = keywords.keyword(message.body)

    if word == keywords.STOP:
        if not opted_out(message.from_number):
            db.session.add(SmsOptOut(phone=message.from_number))
        message.status = "handled"
        db.session.commit()
        return  # Twilio confirms the opt-out itself; nothing more may be sent
    if opted_out(message.from_number):
        if word == keywords.START:
            db.session.delete(db.session.get(SmsOptOut, message.from_number))
            message.status = "handled"
            db.session.commit()
            _say(message, lang, "start", lambda: _("You will get texts from us again. In an emergency call 999."))
        else:
            message.status = "opted_out"  # kept, never answered: they asked for no texts
            db.session.commit()
        return
    if word == keywords.HELP:
        message.status = "handled"
        db.session.commit()
        _say(message, lang, "help", _help_text)
        return
    if word == keywords.DIARY:
        from webapp.diary.store import open_case_for

        if open_case_for(message.from_number) is None:
            message.status = "handled"
            db.session.commit()
            _say(
                message,
                lang,
                "no-case",
                lambda: _("We could not find an open case for this number, so nothing was added."),
            )
            return
    chosen = LANGUAGE_NAMES.get(keywords._word(message.body))
    if chosen and chosen in LANGUAGES:
        from webapp.informing import case_for_number

        conversation.language = chosen
        case = case_for_number(message.from_number)
        if case is not None and case.status in ("submitted", "acknowledged"):
            case.language = chosen  # every later message about the case, the diary included, follows
        message.status = "handled"
        db.session.commit()
        _say(message, chosen, "language", lambda: _language_text(chosen))
        return
    if word == keywords.PAUSE:
        message.status = "queued"  # the bot pauses the report; the number stays subscribed
        db.session.commit()
        return
    if keywords.asks_to_stop(message.body):
        message.status = "handled"
        db.session.commit()
        _say(message, lang, "stop-request", lambda: _("To stop all texts from us, reply STOP."))
        return
    # The policy's words alone, no waiting for anything: the second danger signal (20-45 ms a text) would take the
    # webhook's answer past its 20 ms; the worker asks it before the bot's turn (_hand_to_bot).
    result = triage(current_policy(), message.body, lang, signal=False)
    if result.outcome == EMERGENCY:
        message.danger_told = True
        _say(message, lang, "danger", lambda: danger_text(result.flags))
    elif _about_their_case(message, lang, word):
        return  # a survey answer, STATUS or UPDATES (danger is never one: it goes on to the bot, told first)
    message.status = "queued"
    db.session.commit()


def _about_their_case(message: InboundMessage, lang: str, word: str | None) -> bool:
    """A survey answer, STATUS (or just the reference), or UPDATES <how often>: answered at once, not by the bot."""
    from asb_domain.informing import frequencies, understand_frequency
    from webapp import informing

    if informing.survey_reply(message, lang):
        return True
    updates = keywords.UPDATES.match(message.body)
    if word != keywords.STATUS and not updates and not keywords.REFERENCE_ONLY.match(message.body):
        return False
    report = informing.case_for_number(message.from_number)
    message.status = "handled"
    db.session.commit()
    if report is None:  # the same answer whatever reference was texted: nothing is given away
        _say(message, lang, "no-case", lambda: _("We could not find a case for this number."))
        return True
    policy = current_policy()
    lang = report.language or lang
    if updates:
        chosen = understand_frequency(policy, updates.group(1) or "")
        if chosen is None or report.status not in ("submitted", "acknowledged"):
            _say(message, lang, "updates-help", lambda: _updates_help(policy))
            return True
        informing.set_update_frequency(report, chosen, "resident")
        label = next(f["label"] for f in frequencies(policy) if f["id"] == chosen)
        _say(message, lang, "updates", lambda: _("Thank you. Updates from now on: %(how_often)s.", how_often=_(label)))
        return True
    _say(message, lang, "status", lambda: informing.status_text(report) + _status_hint(report))
    return True


def _updates_help(policy) -> str:
    from asb_domain.informing import frequencies

    options = " ".join(f"{n} {_(f['label'])}" for n, f in enumerate(frequencies(policy), 1))
    return _("How often would you like an update? Reply UPDATES and a number: %(options)s", options=options)


def _status_hint(report) -> str:
    if report.status not in ("submitted", "acknowledged"):
        return ""
    return " " + _("To change how often we update you, reply UPDATES.")


def _no_open_case() -> str:
    return _("We could not find an open case for this number, so nothing was added.")


def _help_text() -> str:
    return _(
        "%(landlord)s: report anti-social behaviour by text. Tell us what is happening and we will ask some "
        "questions. In an emergency call 999. Deaf or speech-impaired: 18000. Reply STOP to stop texts.",
        landlord=current_policy().landlord_name,
    )


def _language_text(lang: str) -> str:
    return _(
        "We will reply in %(language)s. To change, text the name of a language, such as English, Polski or Español.",
        language=LANGUAGES[lang]["name"],
    )


@lru_cache(maxsize=1)
def _detector():
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in LANGUAGES]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_minimum_relative_distance(0.3).build()


def detect_language(text: str) -> str | None:
    """The language of a first message, when it is long enough to tell and the detector is sure."""
    if len(text.split()) < 3:
        return None
    found = _detector().detect_language_of(text)
    if found is None:
        return None
    code = found.iso_code_639_1.name.lower()
    return code if code in LANGUAGES else None


def _next_waiting(conversation_phone: str) -> InboundMessage | None:
    return db.session.scalar(
        select(InboundMessage)
        .where(InboundMessage.from_number == conversation_phone, InboundMessage.status.in_(WAITING))
        .order_by(InboundMessage.id)
        .limit(1)
    )


def waiting_numbers() -> list[str]:
    """Numbers with a text waiting for the bot (queued, or due a retry)."""
    return db.session.scalars(
        select(InboundMessage.from_number).where(InboundMessage.status.in_(("queued", "retry"))).distinct()
    ).all()


def process_number(phone: str, now=None, me: str | None = None) -> int:
    """Hand one number's waiting texts to the bot, oldest first, under its claim. Returns how many went.

    Another worker holding the number's claim means it is being answered: nothing is done here.
    """
    me = me or claims.worker_id()
    bot = current_app.extensions.get("asb_bot")
    if not claims.claim(phone, me):
        return 0
    done = 0
    try:
        while True:
            message = _next_waiting(phone)
            if message is None or message.status == "received":
                break  # none left, or the webhook is still on it
            if message.next_attempt_at is not None and message.next_attempt_at > (now or utcnow()):
                break  # the oldest waits for its retry, and the rest wait behind it: order is kept
            if done and not claims.claim(phone, me):
                break  # the claim lapsed (a very slow turn) and another worker has the number now
            if not _hand_to_bot(bot, message, now or utcnow()):
                break
            done += 1
    finally:
        claims.release(phone, me)
    return done


# A text still "received" this long after it arrived was stored, but the webhook failed before it was queued
# (the store went away between two steps): its arrival steps are taken again.
STALLED_SECONDS = 60


def housekeeping(now=None) -> None:
    """Texts spooled while the store was down, stalled arrivals, failed sends again, and messages held for
    the resident's safe time whose time has come."""
    from webapp.informing import release_held
    from webapp.sms import spool

    spool.ingest()
    stalled = db.session.scalars(
        select(InboundMessage)
        .where(InboundMessage.status == "received")
        .where(InboundMessage.received_at < utcnow() - timedelta(seconds=STALLED_SECONDS))
        .order_by(InboundMessage.id)
    ).all()
    for message in stalled:
        on_arrival(message)
    retry_queued(now or utcnow())
    release_held()


def process_pending(now=None) -> int:
    """One whole pass, in this thread: every waiting number, then the housekeeping. Returns how many went."""
    from webapp.sms import spool

    spool.ingest()  # texts kept while the store was down go before any that came after
    done = sum(process_number(phone, now) for phone in waiting_numbers())
    housekeeping(now)
    return done


def _hand_to_bot(bot, message: InboundMessage, now) -> bool:
    conversation = conversation_for(message.from_number)
    if conversation.language is None:
        from webapp.diary.store import open_case_for

        detected = detect_language(message.body)
        case = open_case_for(message.from_number)  # not sure from a few words: the language of their case
        conversation.language = detected or (case.language if case is not None else None) or "en"
        db.session.commit()
        if detected and detected != "en":
            _say(message, detected, "language", lambda: _language_text(detected))
    lang = conversation.language
    if not message.danger_told and keywords.keyword(message.body) is None:
        _tell_danger_by_signal(message, lang)
    metadata = {
        "lang": lang,
        "channel": "sms",
        "danger_told": message.danger_told,
        "message_id": message.provider_sid,
    }
    try:
        if bot is None:
            raise BotUnavailable("no bot configured")
        route = _case_route(bot, conversation, message, lang)
        if route.held:
            return True  # kept until the resident says whether it is about their case; the question went
        metadata["danger_told"] = message.danger_told or route.danger_told
        replies = None
        if message.attempts:
            # Tried before: if the bot took the turn (a worker died, or a reply was given up on, after it had
            # answered), its replies are in the tracker. Send those; never make the bot hear the text twice.
            replies = replies_to(bot.events(conversation.sender_id), message.provider_sid) or None
        if replies is None:  # not heard yet, or heard with no answer (a failed turn): hand it over (again)
            message.attempts += 1  # counted before the call: a worker that dies now leaves the mark
            db.session.commit()
            replies = bot.send(conversation.sender_id, route.text or _bot_text(message), metadata, BOT_TIMEOUT_SECONDS)
    except BotUnavailable as exc:
        message.status = "retry"
        message.last_error = str(exc)[:200]
        delay = min(BOT_RETRY_BASE_SECONDS * 2 ** (message.attempts - 1), BOT_RETRY_MAX_SECONDS)
        message.next_attempt_at = now + timedelta(seconds=delay)
        db.session.commit()
        logger.warning("bot unavailable for inbound message %s (attempt %s)", message.id, message.attempts)
        if message.attempts == 1:
            _say(
                message,
                lang,
                "held",
                lambda: _("Your message is safe with us. Our reply may take a few minutes. In an emergency call 999."),
            )
        return False
    message.status = "processed"
    message.processed_at = utcnow()
    for held in route.settles:  # the texts held for the resident's choice: the choice is made
        held.status = route.settled_as
        held.processed_at = message.processed_at
    db.session.commit()
    for index, reply in enumerate(r for r in replies if r.get("text")):
        send_message(
            message.from_number,
            reply["text"],
            dedupe_key=f"reply:{message.provider_sid}:{index}",
            in_reply_to_id=message.id,
        )
    return True


def _tell_danger_by_signal(message: InboundMessage, lang: str) -> None:
    """Triage with the second danger signal, which the webhook leaves out: danger the policy's words missed is
    told here, before the bot's turn or any question about an open case, and while the bot is down too."""
    result = triage(current_policy(), message.body, lang)
    if result.outcome == EMERGENCY:
        message.danger_told = True
        db.session.commit()
        _say(message, lang, "danger", lambda: danger_text(result.flags))


def _bot_text(message: InboundMessage) -> str:
    """What the bot hears: the text, or for DIARY and PAUSE the bot's own command, whatever the NLU would make
    of one word (the stored text stays as sent)."""
    word = keywords.keyword(message.body)
    if word == keywords.DIARY:
        return "/diary"
    if word == keywords.PAUSE:
        return "/stop"  # the bot's stop: the report pauses, its answers kept
    return message.body


# --- a text from a number with an open case -----------------------------------------------------------
#
# A resident whose case is open may text about it ("he did it again", "this is about my case 483-706-628"),
# or about something new, or be answering the bot mid-report or mid-diary. The bot's own state tells the
# last apart: a report or diary entry in progress (a form running, a report paused with its answers kept, a
# send to retry) means the text answers it. Otherwise the text is held (status CHOICE) and the resident is
# asked: 1 adds to the case's diary, 2 hands the held text to the bot as a new report, STATUS says how the
# case stands. A text naming the case's reference is about the case whatever the bot is doing. Danger was
# told at arrival, before any of this.

CHOICE = "case_choice"  # held: the resident is asked whether it is about their open case
CHOICE_HOURS = 24  # a held text older than this is not handed on by a late "2"
# Rasa slots that mean the bot is in the middle of something with the resident.
BUSY_SLOTS = ("description", "submit_failed")


@dataclass
class Route:
    held: bool = False
    text: str | None = None  # what the bot hears instead of the message
    danger_told: bool = False
    settles: list = field(default_factory=list)  # held texts the choice settles
    settled_as: str = "handled"


def _bot_busy(state: dict) -> bool:
    slots = state.get("slots") or {}
    if (state.get("active_loop") or {}).get("name"):
        return True
    return any(slots.get(name) not in (None, False) for name in BUSY_SLOTS) or any(
        value is not None for name, value in slots.items() if name.startswith("diary_")
    )


def _names_reference(body: str, reference: str) -> bool:
    return reference in re.sub(r"(?<=\d)[\s.-]+(?=\d)", "", body)


def _choice(body: str, lang: str) -> str | None:
    """1 (or yes: it is about the case) adds to the diary; 2 (or no) is something new."""
    from asb_domain.answers import is_yes, numbers_in

    numbers = numbers_in(body)
    if numbers is not None:
        return {1: "diary", 2: "new"}.get(numbers[0]) if len(numbers) == 1 else None
    yes = is_yes(current_policy(), body, lang)
    return None if yes is None else ("diary" if yes else "new")


def _case_route(bot, conversation: SmsConversation, message: InboundMessage, lang: str) -> Route:
    from webapp.diary.store import open_case_for

    report = open_case_for(message.from_number)
    if report is None:
        return Route()
    pending = db.session.scalars(
        select(InboundMessage)
        .where(InboundMessage.from_number == message.from_number, InboundMessage.status == CHOICE)
        .where(InboundMessage.id < message.id)
        .where(InboundMessage.received_at >= utcnow() - timedelta(hours=CHOICE_HOURS))
        .order_by(InboundMessage.id)
    ).all()
    if keywords.keyword(message.body) in (keywords.DIARY, keywords.PAUSE):
        return Route(settles=pending)  # the keyword decides, and the held texts are settled
    if pending:
        choice = _choice(message.body, lang)
        if choice == "diary":
            return Route(text="/diary", settles=pending)
        if choice == "new":
            text = "\n".join(held.body for held in pending)
            return Route(
                text=text, danger_told=any(h.danger_told for h in pending), settles=pending, settled_as="processed"
            )
        # Not a choice: held as well. Asked again only if the question had reached them before they wrote.
        asked = max((held.processed_at for held in pending if held.processed_at is not None), default=None)
        return _hold(message, report, lang, ask=asked is None or message.received_at > asked)
    if _names_reference(message.body, report.reference) or not _bot_busy(bot.state(conversation.sender_id)):
        return _hold(message, report, lang, ask=True)
    return Route()


def _hold(message: InboundMessage, report, lang: str, ask: bool) -> Route:
    from asb_domain.references import format_reference

    if ask:  # sent before the text is marked: a worker that dies in between asks once, on its retry
        _say(
            message,
            lang,
            "case-choice",
            lambda: _(
                "Is this about your case %(reference)s? Reply 1 to add it to your case diary, 2 to report "
                "something new, STATUS for your case's progress.",
                reference=format_reference(report.reference),
            ),
        )
    message.status = CHOICE
    message.processed_at = utcnow()
    db.session.commit()
    return Route(held=True)

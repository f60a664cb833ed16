"""The Rasa actions: thin wrappers that turn slots into a dict, ask conversation.py, and answer with events.

- `validate_report_form`: understands every reply in the report form (danger,
  commands, corrections, unclear replies, the answer itself).
- `action_ask_<slot>`: asks a slot's question, from the Babel catalogs.
- `action_route`: a message outside the form starts a report, resumes a
  paused or expired one, or retries a report that could not be sent.
- `action_finish_report`: hands the finished report to the web app's API.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from asb_domain.nlu import from_parse
from asb_domain.policy import load_policy
from asb_domain.triage import EMERGENCY, triage
from bot.actions import api_client, diary
from bot.actions.conversation import (
    STATE_SLOTS,
    Message,
    danger_advice,
    next_slot,
    prompt,
    report_body,
    report_slots,
    take_reply,
)
from bot.actions.texts import DEFAULT_LANGUAGE, languages, t

# Never the resident's words: only what happened, so logs stay free of reports.
logger = logging.getLogger(__name__)

POLICY = load_policy(os.environ.get("ASB_POLICY_FILE") or None)
REPORT_SLOTS = report_slots(POLICY)
CONVERSATION_INTENTS = {"greet", "thanks", "affirm", "deny", "help", "skip", "dont_know"}


def language(tracker: Tracker) -> str:
    """The resident's language: from the channel's metadata, else as remembered, else English."""
    metadata = tracker.latest_message.get("metadata") or {}
    lang = metadata.get("lang") or tracker.get_slot("lang") or DEFAULT_LANGUAGE
    return lang if lang in languages() else DEFAULT_LANGUAGE


def channel(tracker: Tracker) -> str:
    metadata = tracker.latest_message.get("metadata") or {}
    said = metadata.get("channel") or tracker.get_slot("channel")
    return said if said in ("chat", "sms") else "chat"


def nlu_of(tracker: Tracker):
    latest = tracker.latest_message

    def nlu(text: str, lang: str):
        return from_parse(POLICY, latest) if text.strip() == (latest.get("text") or "").strip() else None

    return nlu


def say(dispatcher: CollectingDispatcher, messages: list[Message]) -> None:
    for message in messages:
        buttons = [{"title": title, "payload": payload} for title, payload in message.buttons]
        dispatcher.utter_message(text=message.text, buttons=buttons or None)


def slots_of(tracker: Tracker) -> dict[str, Any]:
    metadata = tracker.latest_message.get("metadata") or {}
    # danger_told: the web app has already sent the 999 advice for this message (by text, at once).
    return {
        **tracker.current_slot_values(),
        "channel": channel(tracker),
        "danger_told": bool(metadata.get("danger_told")),
    }


def remember_language(tracker: Tracker, lang: str) -> list[EventType]:
    """The resident's language and channel, kept for the actions that run without a new message."""
    events = [SlotSet("lang", lang)] if tracker.get_slot("lang") != lang else []
    if tracker.get_slot("channel") != channel(tracker):
        events.append(SlotSet("channel", channel(tracker)))
    return events


class ValidateReportForm(FormValidationAction):
    def name(self) -> str:
        return "validate_report_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        lang = language(tracker)
        slots = slots_of(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = tracker.latest_message.get("text") or ""
        turn = take_reply(POLICY, slots, text, lang, nlu=nlu_of(tracker), intent=intent)
        say(dispatcher, turn.say)
        slots.update(turn.updates)
        events = [SlotSet(name, value) for name, value in turn.updates.items()]
        events += remember_language(tracker, lang)
        events.append(SlotSet("requested_slot", next_slot(POLICY, slots)))
        return events


def _ask_action(slot: str) -> type[Action]:
    class AskSlot(Action):
        def name(self) -> str:
            return f"action_ask_{slot}"

        async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
            say(dispatcher, prompt(POLICY, slot, slots_of(tracker), language(tracker)))
            return []

    AskSlot.__name__ = AskSlot.__qualname__ = f"Ask_{slot}"
    return AskSlot


ASK_ACTIONS = [_ask_action(slot) for slot in REPORT_SLOTS]


def _in_progress(slots: dict) -> bool:
    return slots.get("description") is not None


class ActionRoute(Action):
    """A message while no form is running."""

    def name(self) -> str:
        return "action_route"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        lang = language(tracker)
        slots = slots_of(tracker)
        text = (tracker.latest_message.get("text") or "").strip()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        events = remember_language(tracker, lang)

        # The rule that brought us here runs the report form next, unless we wait for the resident instead.
        wait = FollowupAction("action_listen")
        failed = slots.get("submit_failed")
        if isinstance(failed, dict) and failed.get("diary"):
            return events + await _add_diary(dispatcher, failed["diary"], lang) + [wait]
        if failed:
            return events + await _submit(dispatcher, tracker, slots, lang) + [wait]

        if _in_progress(slots):
            # Resume where the report stopped (after a pause, or a session that expired): this reply answers it.
            pending = next_slot(POLICY, slots)
            if pending is None:
                return events + await _submit(dispatcher, tracker, slots, lang) + [wait]
            return events + [SlotSet(pending, text)]

        if intent == "thanks" and slots.get("reference"):
            dispatcher.utter_message(
                text=t(lang, "Your reference is %(reference)s.", reference=slots["reference"])
                + "\n"
                + t(lang, "If anyone is in danger, call 999.")
            )
            return events + [wait]
        first = triage(POLICY, text, lang, nlu=nlu_of(tracker))
        danger = first.outcome == EMERGENCY
        if not danger:
            intro = t(
                lang,
                "%(landlord)s: report anti-social behaviour. If anyone is in danger now, call 999.",
                landlord=POLICY.landlord_name,
            )
            if channel(tracker) == "sms":
                # By text STOP ends every text (Twilio's rule); PAUSE stops the report for now, as "stop" does in chat.
                intro += " " + t(lang, "Reply PAUSE to stop for now, or STOP to get no more texts.")
            dispatcher.utter_message(text=intro)
        if intent == "stop":
            dispatcher.utter_message(text=t(lang, "OK. Send a message any time you want to report something."))
            return events + [wait]
        small_talk = len(text.split()) < 3 and first.case_type is None and not danger
        if intent in CONVERSATION_INTENTS or intent == "start_again" or small_talk:
            return events
        return events + [SlotSet("description", text)]


def _cleared() -> list[EventType]:
    return [SlotSet(name, None) for name in REPORT_SLOTS + STATE_SLOTS + ["submit_failed"]]


async def _submit(dispatcher: CollectingDispatcher, tracker: Tracker, slots: dict, lang: str) -> list[EventType]:
    body = report_body(POLICY, slots, lang, channel(tracker), tracker.sender_id)
    try:
        sent = await api_client.submit_report(body)
    except api_client.SubmitError as exc:
        logger.warning("report not accepted by the web app: %s", exc)
        dispatcher.utter_message(
            text=t(
                lang,
                "Sorry, I could not send your report just now. Your answers are safe. "
                "Send any message to try again. In an emergency call 999.",
            )
        )
        return [SlotSet("submit_failed", True)]
    lines = [
        t(lang, "Thank you. Your report has been sent."),
        t(lang, "Your reference is %(reference)s.", reference=sent["reference"]),
    ]
    if body["contact"]["no_contact"]:
        lines.append(t(lang, "We will look into it by %(date)s. Keep your reference.", date=sent["hear_by"]))
    else:
        lines.append(t(lang, "We will contact you by %(date)s.", date=sent["hear_by"]))
    lines.append(t(lang, "If anyone is in danger, call 999."))
    dispatcher.utter_message(text="\n".join(lines))
    return _cleared() + [SlotSet("reference", sent["reference"])]


class ActionFinishReport(Action):
    """The form is complete: send the report, or close a screened-out conversation."""

    def name(self) -> str:
        return "action_finish_report"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        lang = language(tracker)
        slots = slots_of(tracker)
        more = slots.get("more_than_that")
        if isinstance(more, dict) and more.get("yes") is False:
            return _cleared()  # screened out and the resident agreed: the advice was given, nothing to send
        if slots.get("description") is None:
            return []
        return await _submit(dispatcher, tracker, slots, lang)


__all__ = ["ValidateReportForm", "ActionRoute", "ActionFinishReport", "ASK_ACTIONS", "danger_advice"]


# --- the incident diary -----------------------------------------------------------


class ValidateDiaryForm(FormValidationAction):
    def name(self) -> str:
        return "validate_diary_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        lang = language(tracker)
        slots = slots_of(tracker)
        turn = diary.take_reply(POLICY, slots, tracker.latest_message.get("text") or "", lang)
        say(dispatcher, turn.say)
        slots.update(turn.updates)
        events = [SlotSet(name, value) for name, value in turn.updates.items()]
        return events + remember_language(tracker, lang) + [SlotSet("requested_slot", diary.next_slot(slots))]


def _ask_diary(slot: str) -> type[Action]:
    class AskDiary(Action):
        def name(self) -> str:
            return f"action_ask_{slot}"

        async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
            say(dispatcher, [diary.prompt(slot, language(tracker))])
            return []

    AskDiary.__name__ = AskDiary.__qualname__ = f"Ask_{slot}"
    return AskDiary


ASK_DIARY_ACTIONS = [_ask_diary(slot) for slot in diary.DIARY_SLOTS]


class ActionFinishDiary(Action):
    """Adds the entry to the open case of the number the resident texts from, through the web app's API."""

    def name(self) -> str:
        return "action_finish_diary"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        lang = language(tracker)
        body = diary.entry_body(slots_of(tracker), tracker.sender_id)
        cleared = [SlotSet(slot, None) for slot in diary.DIARY_SLOTS]
        if body is None:
            return cleared
        if channel(tracker) != "sms":
            dispatcher.utter_message(text=t(lang, "To add to your diary, use the diary page on our website."))
            return cleared
        return cleared + await _add_diary(dispatcher, body, lang)


async def _add_diary(dispatcher: CollectingDispatcher, body: dict, lang: str) -> list[EventType]:
    try:
        added = await api_client.add_diary_entry(body)
    except api_client.NoOpenCase:
        dispatcher.utter_message(
            text=t(lang, "We could not find an open case for this number, so nothing was added.")
            + "\n"
            + t(lang, "If anyone is in danger, call 999.")
        )
        return [SlotSet("submit_failed", None)]
    except api_client.SubmitError:
        dispatcher.utter_message(
            text=t(lang, "Sorry, I could not add it just now. Your answers are safe. Send any message to try again.")
        )
        return [SlotSet("submit_failed", {"diary": body})]  # kept: the next message tries again
    dispatcher.utter_message(text=t(lang, "Added to your diary as entry %(number)s. Thank you.", number=added["entry"]))
    return [SlotSet("submit_failed", None)]

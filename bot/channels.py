"""The REST channel the web app talks to, made private and honest.

Rasa's own REST channel (rasa/core/channels/rest.py) writes the resident's
message into its error log when processing fails ("rest.message.received.failure",
text=...) and still answers 200 with no replies, so a caller cannot tell a
failure from a bot with nothing to say (a custom action that fails is
logged and skipped: the turn "succeeds" with no reply). Reports hold abuse,
health and ethnicity: this channel logs failures without the text, and
answers 503 when a turn fails or brings no reply (this bot answers every
message), so the web app keeps the message and tries again.
"""

from __future__ import annotations

import inspect
from asyncio import CancelledError

import structlog
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import speedups

structlogger = structlog.get_logger()
speedups.apply()  # Rasa loads this module at start-up: the fix goes in before the first turn


class PrivateRestInput(RestInput):
    """Same URL as Rasa's REST channel (/webhooks/rest/webhook); no message text in any log; 503 on failure."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message) -> Blueprint:
        module = inspect.getmodule(self)
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", module.__name__ if module else None)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            sender_id = await self._extract_sender(request)
            text = self._extract_message(request)
            collector = CollectingOutputChannel()
            metadata = self.get_metadata(request) or {}
            # The web app's own id for the message (an SMS's MessageSid) goes into the tracker, so a worker that
            # died mid-turn can see the turn was taken, and read its replies back instead of asking twice.
            message_id = metadata.get("message_id") if isinstance(metadata.get("message_id"), str) else None
            message = UserMessage(
                text,
                collector,
                sender_id,
                input_channel=self._extract_input_channel(request),
                message_id=message_id,
                metadata=metadata,
            )
            try:
                await on_new_message(message)
            except CancelledError:
                structlogger.error("asb.rest.message.timeout", length=len(text or ""))
                return response.json({"error": "timeout"}, status=503)
            except Exception as exc:  # noqa: BLE001 - any failure: say so, keep the words out of the log
                structlogger.error("asb.rest.message.failure", error=type(exc).__name__, length=len(text or ""))
                return response.json({"error": "failed"}, status=503)
            if not collector.messages:
                # The bot answers every message. No answer means a custom action failed: Rasa logs it, "continues"
                # and answers 200 with nothing, and the resident would hear nothing back. Say so instead.
                structlogger.error("asb.rest.message.unanswered", length=len(text or ""))
                return response.json({"error": "no reply"}, status=503)
            return response.json(collector.messages)

        return webhook

"""The web app's door to the Rasa server, on loopback: web chat, and the NLU for triage.

Residents never reach Rasa: the web app forwards their messages. Every call
has a short timeout, and a Rasa that is down or slow never costs a resident
an error page: `BotUnavailable` is raised for the chat to handle, and the NLU
answers None so the policy's rules decide alone.
"""

from __future__ import annotations

import hashlib
import itertools
import logging

import requests

from asb_domain.nlu import from_parse
from asb_domain.policy import Policy
from asb_domain.triage import NluResult

logger = logging.getLogger(__name__)


class BotUnavailable(Exception):
    """Rasa did not answer (down, starting, or too slow)."""


class RasaClient:
    def __init__(self, url: str, token: str | None = None, timeout: float = 10.0, parse_timeout: float = 2.0):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.parse_timeout = parse_timeout
        self.http = requests.Session()

    def _params(self) -> dict:
        return {"token": self.token} if self.token else {}

    def ready(self) -> bool:
        try:
            response = self.http.get(f"{self.url}/status", params=self._params(), timeout=2)
            return response.ok and bool(response.json().get("model_file"))
        except (requests.RequestException, ValueError):
            return False

    def parse(self, text: str) -> dict | None:
        try:
            response = self.http.post(
                f"{self.url}/model/parse", params=self._params(), json={"text": text}, timeout=self.parse_timeout
            )
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as exc:
            logger.warning("NLU unavailable: %s", type(exc).__name__)  # never the text
            return None

    def send(self, sender: str, text: str, metadata: dict, timeout: float | None = None, refused=None) -> list[dict]:
        """One resident message through Rasa's REST channel; the bot's replies."""
        try:
            response = self.http.post(
                f"{self.url}/webhooks/rest/webhook",
                json={"sender": sender, "message": text, "metadata": metadata},
                timeout=timeout or self.timeout,
            )
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as exc:
            _raise(exc, refused)

    def _tracker(self, sender: str, include_events: str, refused) -> dict:
        """Rasa's tracker of the conversation, with its events as asked (ALL, AFTER_RESTART or NONE)."""
        try:
            response = self.http.get(
                f"{self.url}/conversations/{sender}/tracker",
                params={**self._params(), "include_events": include_events},
                timeout=self.timeout,
            )
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as exc:
            _raise(exc, refused)

    def events(self, sender: str, refused=None) -> list[dict]:
        """Every event of the conversation (after its last restart), from Rasa's tracker."""
        return self._tracker(sender, "AFTER_RESTART", refused).get("events") or []

    def state(self, sender: str, refused=None) -> dict:
        """The conversation's slots and active form now, from Rasa's tracker without its events."""
        tracker = self._tracker(sender, "NONE", refused)
        return {"slots": tracker.get("slots") or {}, "active_loop": tracker.get("active_loop") or {}}

    def transcript(self, sender: str, refused=None) -> list[dict]:
        """The conversation so far, as {"who": "resident"|"bot", "text", "buttons"}, from Rasa's tracker."""
        events = self._tracker(sender, "ALL", refused).get("events") or []
        lines = []
        for event in events:
            if event.get("event") == "user" and event.get("text") and not event["text"].startswith("/"):
                lines.append({"who": "resident", "text": event["text"], "buttons": []})
            elif event.get("event") == "bot" and event.get("text"):
                buttons = (event.get("data") or {}).get("buttons") or []
                lines.append({"who": "bot", "text": event["text"], "buttons": buttons})
        return lines


def _raise(exc: Exception, refused) -> None:
    # A refused connection (nothing listening) is told apart only for a pool, which may go to another server.
    if refused is not None and isinstance(exc, requests.ConnectionError) and _was_refused(exc):
        raise refused() from None
    raise BotUnavailable(type(exc).__name__) from None


def _was_refused(exc: Exception) -> bool:
    seen = exc
    for _ in range(6):  # requests wraps urllib3's error, which wraps the socket's
        if isinstance(seen, ConnectionRefusedError):
            return True
        seen = (
            seen.__cause__
            or seen.__context__
            or (seen.args[0] if seen.args and isinstance(seen.args[0], Exception) else None)
        )
        if seen is None:
            return False
    return False


class RasaPool:
    """Several Rasa servers sharing one tracker store: each conversation always goes to the same one.

    Rasa's lock store does not stop two servers racing on one conversation (rasa PR #11256, reverted), so a
    conversation is routed by a hash of its sender id, never spread. Only when that server refuses the
    connection (down, so it cannot be mid-turn) does the conversation go to the next one, which reads the
    same tracker. The order of one resident's messages is kept by the web app (one at a time per number).
    """

    def __init__(self, clients: list[RasaClient]):
        self.clients = clients
        self._next_parse = itertools.count()

    def _order(self, sender: str) -> list[RasaClient]:
        start = int.from_bytes(hashlib.sha256(sender.encode()).digest()[:8], "big") % len(self.clients)
        return self.clients[start:] + self.clients[:start]

    def home(self, sender: str) -> RasaClient:
        return self._order(sender)[0]

    def _routed(self, sender: str, call):
        for client in self._order(sender):
            try:
                return call(client)
            except _Refused:
                continue
        raise BotUnavailable("ConnectionError")

    def ready(self) -> bool:
        return all(client.ready() for client in self.clients)

    def parse(self, text: str) -> dict | None:
        # No conversation here: any server will do, in turn.
        start = next(self._next_parse) % len(self.clients)
        for client in self.clients[start:] + self.clients[:start]:
            parsed = client.parse(text)
            if parsed is not None:
                return parsed
        return None

    def send(self, sender: str, text: str, metadata: dict, timeout: float | None = None) -> list[dict]:
        return self._routed(sender, lambda c: c.send(sender, text, metadata, timeout, refused=_Refused))

    def events(self, sender: str) -> list[dict]:
        return self._routed(sender, lambda c: c.events(sender, refused=_Refused))

    def state(self, sender: str) -> dict:
        return self._routed(sender, lambda c: c.state(sender, refused=_Refused))

    def transcript(self, sender: str) -> list[dict]:
        return self._routed(sender, lambda c: c.transcript(sender, refused=_Refused))

    @property
    def token(self) -> str | None:
        return self.clients[0].token


class _Refused(Exception):
    """The server refused the connection: it never saw the request."""


def bot_from_config(url: str, token: str | None) -> RasaClient | RasaPool:
    """RASA_URL names one Rasa server, or several separated by commas (the scale-out configuration)."""
    urls = [u.strip() for u in url.split(",") if u.strip()]
    if len(urls) == 1:
        return RasaClient(urls[0], token)
    return RasaPool([RasaClient(u, token) for u in urls])


def replies_to(events: list[dict], message_id: str) -> list[dict] | None:
    """The bot's replies to the user message with this id, from a tracker's events; None if it never arrived."""
    # The last time it arrived: a turn that failed (no replies) may have been taken again.
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if event.get("event") == "user" and event.get("message_id") == message_id:
            replies = []
            for later in events[index + 1 :]:
                if later.get("event") == "user":
                    break
                if later.get("event") == "bot" and later.get("text"):
                    replies.append({"text": later["text"], "buttons": (later.get("data") or {}).get("buttons")})
            return replies
    return None


def nlu_for(policy: Policy, client: RasaClient):
    """The `nlu` argument of asb_domain.triage.triage, backed by Rasa's /model/parse."""

    def nlu(text: str, lang: str) -> NluResult | None:
        return from_parse(policy, client.parse(text))

    return nlu

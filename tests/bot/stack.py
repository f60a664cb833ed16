"""The real bot stack for tests: the web app on a live server, the action server, and Rasa with the trained model.

Started once per test session (the Rasa server takes about 30 s to load);
each test talks to it as a resident would, through the web app's /chat, and
reads the queue from the store.
"""

from __future__ import annotations

import itertools
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from flask_migrate import upgrade
from twilio.request_validator import RequestValidator

from tests.webapp.browser import LiveServer
from webapp import create_app
from webapp.bot_client import RasaClient
from webapp.bot_process import free_port, start_actions, start_rasa, stop, wait_ready
from webapp.config import TestConfig
from webapp.extensions import db
from webapp.models import Report

SERVICE_TOKEN = "test-service-token-" + secrets.token_hex(8)
RASA_TOKEN = "test-rasa-token-" + secrets.token_hex(8)


TWILIO_AUTH_TOKEN = "test-twilio-auth-token"


@dataclass
class Stack:
    app: object
    web_url: str
    rasa: RasaClient
    rasa_url: str
    rasa_port: int = 0
    endpoints: Path | None = None
    logs: Path | None = None
    rasa_process: object = None
    actions_process: object = None
    actions_port: int = 0

    def stop_rasa(self) -> None:
        stop(self.rasa_process)

    def stop_actions(self) -> None:
        stop(self.actions_process)

    def start_actions(self) -> None:
        log = (self.logs / "actions-restarted.log").open("w")
        self.actions_process = start_actions(self.actions_port, f"{self.web_url}/api/v1", SERVICE_TOKEN, log=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # the action server answers its health check once it has loaded
            try:
                if requests.get(f"http://127.0.0.1:{self.actions_port}/health", timeout=1).ok:
                    return
            except requests.RequestException:
                time.sleep(0.3)
        raise TimeoutError("the action server did not start")

    def start_rasa(self) -> None:
        log = (self.logs / "rasa-restarted.log").open("w")
        self.rasa_process = start_rasa(self.rasa_port, RASA_TOKEN, self.endpoints, log=log)
        wait_ready(self.rasa, self.rasa_process)

    def resident(self, lang: str = "en") -> Resident:
        return Resident(self.web_url, lang)

    def reports(self) -> list[Report]:
        with self.app.app_context():
            rows = db.session.scalars(db.select(Report).where(Report.status == "submitted")).all()
            for row in rows:
                _ = row.answers  # load before the session closes
            db.session.expunge_all()
            return rows


class Resident:
    """A resident using the web chat without JavaScript: post the form, read the transcript."""

    def __init__(self, web_url: str, lang: str):
        self.web_url = web_url
        self.http = requests.Session()
        self.page = self.http.get(f"{web_url}/chat", params={"lang": lang}, timeout=30).text

    def _csrf(self) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', self.page).group(1)

    def transcript(self) -> list[tuple[str, str]]:
        items = re.findall(
            r'<li class="app-chat__message app-chat__message--(\w+)"[^>]*>\s*'
            r'<span class="app-chat__who">.*?</span></span>(.*?)</li>',
            self.page,
            re.S,
        )
        return [(who, _unescape(text.strip())) for who, text in items]

    def says(self, message: str) -> list[str]:
        """Send a message; the bot's replies to it."""
        before = len(self.transcript())
        response = self.http.post(
            f"{self.web_url}/chat", data={"csrf_token": self._csrf(), "message": message}, timeout=30
        )
        assert response.status_code == 200, response.status_code
        self.page = response.text
        new = self.transcript()[before:]
        assert new and new[0] == ("resident", message), f"the message did not reach the bot: {new[:1]}"
        return [text for who, text in new[1:] if who == "bot"]

    def choices(self) -> list[str]:
        return [
            _unescape(c)
            for c in re.findall(
                r'<button type="submit" class="govuk-button govuk-button--secondary" name="message" value="([^"]*)"',
                self.page,
            )
        ]


SIDS = itertools.count(1)
NUMBERS = itertools.count(900100)


class Texter:
    """A resident with a basic phone: texts go through the signed webhook; the worker answers."""

    def __init__(self, stack):
        self.stack = stack
        self.number = f"+447700{next(NUMBERS)}"
        self.seen = 0

    def post(self, body: str, sid: str | None = None, signature: str | None = None, media: str | None = None):
        url = f"{self.stack.web_url}/sms/inbound"
        params = {
            "MessageSid": sid or f"SM{next(SIDS):032d}",
            "AccountSid": "AC" + "0" * 32,
            "From": self.number,
            "To": "+447700900000",
            "Body": body,
            "NumMedia": "0",
            "FromCity": "LONDON",
        }
        if media:
            params.update(NumMedia="1", MediaUrl0=media, MediaContentType0="image/jpeg")
        if signature is None:
            signature = RequestValidator(TWILIO_AUTH_TOKEN).compute_signature(url, params)
        return requests.post(url, data=params, headers={"X-Twilio-Signature": signature}, timeout=10), params

    def received(self) -> list[str]:
        """Texts sent to this number since last asked."""
        sent = [m.body for m in self.stack.app.extensions["outbound_sender"].sent if m.to == self.number]
        new, self.seen = sent[self.seen :], len(sent)
        return new

    def texts(self, body: str, media: str | None = None) -> list[str]:
        response, _ = self.post(body, media=media)
        assert response.status_code == 200
        work(self.stack)
        return self.received()


def work(stack) -> None:
    """One pass of the SMS worker, as `flask sms worker` makes."""
    from webapp.sms.conversations import process_pending

    with stack.app.app_context():
        process_pending()
        db.session.remove()


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def start_stack(tmp: Path):
    """Everything running; yields a Stack; stops everything after."""

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp / 'bot.sqlite3'}"
        ASB_SERVICE_TOKEN = SERVICE_TOKEN
        RASA_TOKEN = globals()["RASA_TOKEN"]
        TWILIO_AUTH_TOKEN = globals()["TWILIO_AUTH_TOKEN"]

    rasa_port, actions_port = free_port(), free_port()
    Config.RASA_URL = f"http://127.0.0.1:{rasa_port}"
    app = create_app(Config)
    with app.app_context():
        upgrade()
    server = LiveServer(app)
    server.__enter__()
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n')
    logs = tmp / "logs"
    logs.mkdir(exist_ok=True)
    actions = start_actions(actions_port, f"{server.url}/api/v1", SERVICE_TOKEN, log=(logs / "actions.log").open("w"))
    rasa = start_rasa(rasa_port, RASA_TOKEN, endpoints, log=(logs / "rasa.log").open("w"))
    client = RasaClient(Config.RASA_URL, RASA_TOKEN)
    stack = Stack(app, server.url, client, Config.RASA_URL, rasa_port, endpoints, logs, rasa, actions, actions_port)
    try:
        wait_ready(client, rasa)
        yield stack
    finally:
        stop(stack.rasa_process)
        stop(stack.actions_process)
        server.__exit__()

"""The scale-out configuration for real: bin/serve-scaled on PostgreSQL and Redis, two Rasa servers and action
servers, the web app under gunicorn with two workers, and two SMS worker processes.

Fifty residents text at once, each through to a sent report. Half of them send the fourteen risk answers in
one burst without waiting for replies, so the order of a resident's texts must be kept by the web app. Then
the store and the bot's tracker database are read: no report lost, none twice, none crossed with another
resident's, and every text heard by the bot exactly once.

Runs when PostgreSQL (TEST_DATABASE_URL) and Redis (127.0.0.1:6379) answer, as in CI.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import bindparam, create_engine, text
from sqlalchemy.engine import make_url
from twilio.request_validator import RequestValidator

from tests.bot.scripts import report_by_text
from tests.tcp_proxy import TcpProxy
from webapp.bot_client import RasaClient, RasaPool
from webapp.bot_process import MODEL
from webapp.config import database_url

REPO = Path(__file__).resolve().parents[2]
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
REDIS = ("127.0.0.1", 6379)
RESIDENTS = 50
RAM_BURST = slice(5, 19)  # the fourteen risk answers in report_by_text


def _answers(address) -> bool:
    try:
        with socket.create_connection(address, timeout=1):
            return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not TEST_DATABASE_URL, reason="TEST_DATABASE_URL is not set"),
    pytest.mark.skipif(not _answers(REDIS), reason="Redis does not answer on 127.0.0.1:6379"),
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: make model"),
]


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def _free_block(size: int) -> int:
    """A first port with `size` free ports after it, below the range the kernel hands out to outgoing
    connections: a port picked from inside it was free when looked at, then taken by one of the service's own
    connections to PostgreSQL before a Rasa server could bind it (CI, "address already in use")."""
    low = 20000
    span = max(1, _ephemeral_low() - low - size)
    for _ in range(200):
        base = low + secrets.randbelow(span)
        if all(not _answers(("127.0.0.1", base + i)) for i in range(size)):
            return base
    raise RuntimeError("no free ports")


class Scaled:
    def __init__(self, tmp: Path):
        server = make_url(database_url(TEST_DATABASE_URL))
        suffix = uuid.uuid4().hex[:8]
        self.admin = create_engine(server, isolation_level="AUTOCOMMIT")
        self.names = [f"asb_scale_store_{suffix}", f"asb_scale_tracker_{suffix}"]
        with self.admin.connect() as conn:
            for name in self.names:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.store_url = server.set(database=self.names[0]).render_as_string(hide_password=False)
        self.tracker_url = server.set(database=self.names[1]).render_as_string(hide_password=False)
        self.store = create_engine(self.store_url)  # the test reads the store directly, never through the proxy
        # The service reaches its store through a proxy the test can cut: the database going down.
        self.proxy = TcpProxy(server.host or "127.0.0.1", server.port or 5432).start()
        self.service_store_url = make_url(self.store_url).set(host="127.0.0.1", port=self.proxy.port)
        self.tracker = create_engine(self.tracker_url)
        base = _free_block(5)
        self.web_url = f"http://127.0.0.1:{base}"
        self.rasa_urls = [f"http://127.0.0.1:{base + 1}", f"http://127.0.0.1:{base + 2}"]
        self.actions_ports = [base + 3, base + 4]
        self.rasa_token = secrets.token_urlsafe(16)
        self.twilio_token = secrets.token_hex(16)
        redis_db = 9
        import redis

        redis.Redis(*REDIS, db=redis_db).flushdb()  # a clean slate for the lock store and the rate limits
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "VIRTUAL_ENV", "RASA_", "ASB_"))}
        env.update(
            ASB_ENV="production",
            SECRET_KEY=secrets.token_hex(32),
            DATABASE_URL=self.service_store_url.render_as_string(hide_password=False),
            SMS_SPOOL_DIR=str(tmp / "sms-spool"),
            RASA_TRACKER_URL=self.tracker_url.replace("postgresql+psycopg://", "postgresql://"),
            REDIS_URL=f"redis://{REDIS[0]}:{REDIS[1]}/{redis_db}",
            TWILIO_AUTH_TOKEN=self.twilio_token,
            PUBLIC_BASE_URL=self.web_url,
            PORT=str(base),
            RASA_SERVERS="2",
            RASA_BASE_PORT=str(base + 1),
            ACTIONS_BASE_PORT=str(base + 3),
            WEB_WORKERS="2",
            SMS_WORKERS="2",
            RASA_TOKEN=self.rasa_token,
            INSTANCE_DIR=str(tmp),
        )
        self.logs = tmp
        self.process = subprocess.Popen(  # noqa: S603 - our own script
            [str(REPO / "bin" / "serve-scaled")],
            cwd=REPO,
            env=env,
            stdout=(tmp / "serve-scaled.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, seconds: float = 420) -> float:
        started = time.monotonic()
        clients = [RasaClient(url, self.rasa_token) for url in self.rasa_urls]
        while time.monotonic() - started < seconds:
            if self.process.poll() is not None:
                raise RuntimeError("bin/serve-scaled stopped:\n" + (self.logs / "serve-scaled.log").read_text()[-3000:])
            try:
                web = requests.get(f"{self.web_url}/healthz", timeout=2).ok
                actions = all(
                    requests.get(f"http://127.0.0.1:{port}/health", timeout=2).ok for port in self.actions_ports
                )
            except requests.RequestException:
                web = actions = False
            if web and actions and all(client.ready() for client in clients):
                return time.monotonic() - started
            time.sleep(1)
        raise TimeoutError("the scaled stack did not start")

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=60)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.proxy.cut()
        self.store.dispose()
        self.tracker.dispose()
        with self.admin.connect() as conn:
            for name in self.names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    stack = Scaled(tmp_path_factory.mktemp("scaled"))
    try:
        stack.ready_seconds = stack.wait_ready()
        yield stack
    finally:
        stack.stop()


def answered_turns(scaled: Scaled) -> Counter:
    """How many times the bot answered each message id, from the shared tracker database.

    A turn that failed (an action server call dropped under load: Rasa logs the text, answers nothing, and
    the web app tries again) leaves a user event with no reply after it; only answered arrivals count.
    """
    answered: Counter = Counter()
    with scaled.tracker.connect() as conn:
        rows = conn.execute(text("SELECT sender_id, type_name, data FROM events ORDER BY sender_id, id")).all()
    pending = None
    for sender, kind, data in rows:
        if kind == "user":
            pending = (sender, json.loads(data).get("message_id"))
        elif kind == "bot" and pending and pending[0] == sender and json.loads(data).get("text"):
            answered[pending[1]] += 1
            pending = None
    return answered


class Resident:
    """A resident texting: signed as Twilio signs, answered through the store (the SMS workers send)."""

    def __init__(self, stack: Scaled, index: int):
        self.stack = stack
        self.number = f"+4477009{index:05d}"
        self.name = f"Sam Test{chr(65 + index // 26)}{chr(65 + index % 26)}"
        self.http = requests.Session()
        self.sids: list[str] = []

    def post(self, body: str) -> str:
        sid = "SM" + uuid.uuid4().hex
        url = f"{self.stack.web_url}/sms/inbound"
        params = {"MessageSid": sid, "AccountSid": "AC" + "0" * 32, "From": self.number, "To": "+447700900000"}
        params.update(Body=body, NumMedia="0")
        signature = RequestValidator(self.stack.twilio_token).compute_signature(url, params)
        response = self.http.post(url, data=params, headers={"X-Twilio-Signature": signature}, timeout=30)
        assert response.status_code == 200, response.status_code
        self.sids.append(sid)
        return sid

    def wait_answered(self, sid: str, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        query = text(
            "SELECT i.status, count(o.id) FROM inbound_messages i "
            "LEFT JOIN outbound_messages o ON o.in_reply_to_id = i.id AND o.status = 'sent' "
            "WHERE i.provider_sid = :sid GROUP BY i.status"
        )
        while time.monotonic() < deadline:
            with self.stack.store.connect() as conn:
                row = conn.execute(query, {"sid": sid}).first()
            if row and row[0] == "processed" and row[1] > 0:
                return
            time.sleep(0.3)
        with self.stack.store.connect() as conn:  # what the store says of it, and of the number's other texts
            states = conn.execute(
                text(
                    "SELECT provider_sid = :sid, status, attempts, next_attempt_at, last_error FROM inbound_messages "
                    "WHERE from_number = :number AND status <> 'processed' ORDER BY id"
                ),
                {"sid": sid, "number": self.number},
            ).all()
            claim = conn.execute(
                text("SELECT claimed_by, claimed_until FROM sms_conversations WHERE phone = :number"),
                {"number": self.number},
            ).first()
        raise TimeoutError(f"{self.name}: a text was not answered within {seconds} s: {states} {claim}")

    def report(self, burst: bool) -> None:
        texts = report_by_text("en", self.name)
        for index, body in enumerate(texts):
            sid = self.post(body)
            in_burst = burst and RAM_BURST.start <= index < RAM_BURST.stop - 1
            if not in_burst:  # in a burst, the next text goes at once: the worker must keep them in order
                self.wait_answered(sid)


def test_fifty_residents_texting_at_once_through_two_rasa_servers_each_get_one_report_of_their_own(scaled):
    residents = [Resident(scaled, i) for i in range(RESIDENTS)]
    started = time.monotonic()
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(resident: Resident) -> None:
        try:
            resident.report(burst=residents.index(resident) % 2 == 0)
        except BaseException as exc:  # noqa: BLE001 - collected and reported below
            with lock:
                errors.append(exc)

    with ThreadPoolExecutor(max_workers=RESIDENTS) as pool:
        list(pool.map(run, residents))
    elapsed = time.monotonic() - started
    assert not errors, errors[:3]
    texts = sum(len(r.sids) for r in residents)
    print(f"\nscale-out: ready in {scaled.ready_seconds:.0f} s; {RESIDENTS} reports, {texts} texts in {elapsed:.0f} s")

    with scaled.store.connect() as conn:
        reports = conn.execute(
            text(
                "SELECT reference, contact_phone, contact_name, channel, ram_total, priority, submission_key "
                "FROM reports WHERE status = 'submitted'"
            )
        ).all()
        sent = text("SELECT to_number, body FROM outbound_messages WHERE status = 'sent' ORDER BY id")
        last_replies = dict(conn.execute(sent).all())  # each number's last text
        crossed = conn.execute(
            text(
                "SELECT count(*) FROM outbound_messages o JOIN inbound_messages i ON o.in_reply_to_id = i.id "
                "WHERE o.to_number <> i.from_number"
            )
        ).scalar()
        inbound = conn.execute(text("SELECT provider_sid, status FROM inbound_messages")).all()
        twice = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT in_reply_to_id, body FROM outbound_messages "
                "WHERE in_reply_to_id IS NOT NULL GROUP BY in_reply_to_id, body HAVING count(*) > 1) AS d"
            )
        ).scalar()

    # None lost, none duplicated.
    assert len(reports) == RESIDENTS
    assert len({r.reference for r in reports}) == RESIDENTS
    assert len({r.submission_key for r in reports}) == RESIDENTS
    # None crossed: each report carries its own resident's number and name, and the reference texted to a
    # number is the one of the report from that number.
    by_phone = {r.contact_phone: r for r in reports}
    for resident in residents:
        report = by_phone[resident.number]
        assert report.contact_name == resident.name
        assert report.channel == "sms"
        reference = re.search(r"(\d{3}-\d{3}-\d{3})", last_replies[resident.number]).group(1).replace("-", "")
        assert reference == report.reference
    assert crossed == 0
    assert twice == 0
    # Order kept: the residents who sent their risk answers in one burst were scored as those who waited.
    assert len({(r.ram_total, r.priority) for r in reports}) == 1
    # Every text was stored once and heard by the bot exactly once, whichever server had the conversation.
    assert len(inbound) == texts and {status for _, status in inbound} == {"processed"}
    answered = answered_turns(scaled)
    assert all(answered[sid] == 1 for r in residents for sid in r.sids), "a text was answered twice, or never"
    # Both Rasa servers had conversations (routed by a hash of the sender id), and both are still up.
    pool = RasaPool([RasaClient(url) for url in scaled.rasa_urls])
    with scaled.store.connect() as conn:
        senders = [f"sms-{i}" for (i,) in conn.execute(text("SELECT id FROM sms_conversations"))]
    assert {pool.home(sender).url for sender in senders} == set(scaled.rasa_urls)
    assert all(RasaClient(url, scaled.rasa_token).ready() for url in scaled.rasa_urls)


DANGER = "he is outside my door right now with a knife"


def test_with_the_store_down_mid_conversation_every_text_is_kept_and_answered_in_order_when_it_is_back(scaled):
    residents = [Resident(scaled, RESIDENTS + i) for i in range(3)]
    scripts = [report_by_text("en", r.name) for r in residents]
    for resident, script in zip(residents, scripts, strict=True):
        for body in script[:3]:  # what, when, where: a report half way through its first questions
            resident.wait_answered(resident.post(body))

    scaled.proxy.cut()  # the store's database goes away, in the middle of three conversations
    cut_at = time.time()
    kept = []
    for resident, script in zip(residents, scripts, strict=True):
        kept += [resident.post(body) for body in script[3:6]]  # each answered 200: kept on disk
    residents[0].post(DANGER)  # danger while nothing can be stored
    residents[0].post("yes")  # "Are you safe now?": yes, and on with the report
    time.sleep(3)  # the workers meet the outage and carry on trying
    scaled.proxy.restore()
    restored_at = time.time()

    for resident in residents:
        resident.wait_answered(resident.sids[-1])  # the backlog, answered once the store is back
    for resident, script in zip(residents, scripts, strict=True):
        for body in script[6:]:
            resident.wait_answered(resident.post(body))

    with scaled.store.connect() as conn:
        inbound = conn.execute(
            text("SELECT provider_sid, status FROM inbound_messages WHERE provider_sid IN :sids").bindparams(
                bindparam("sids", expanding=True)
            ),
            {"sids": [sid for r in residents for sid in r.sids]},
        ).all()
        danger = conn.execute(
            text("SELECT sent_at FROM outbound_messages WHERE dedupe_key = :key"),
            {"key": f"danger:{residents[0].sids[6]}"},
        ).scalar()
        submitted = text("SELECT contact_phone, contact_name FROM reports WHERE status = 'submitted'")
        reports = dict(conn.execute(submitted).all())
    assert len(inbound) == sum(len(r.sids) for r in residents)  # nothing lost, nothing twice
    assert {status for _, status in inbound} == {"processed"}
    # The 999 advice went while the store was down, and is on the record now.
    assert danger is not None and cut_at <= danger.timestamp() <= restored_at
    for resident in residents:  # each report finished, with its own resident's answers (order kept)
        assert reports[resident.number] == resident.name
    assert list((scaled.logs / "sms-spool").glob("*.json")) == []


def test_under_gunicorn_in_production_pages_carry_the_security_headers_and_retention_runs_on_the_shared_stores(
    scaled,
):
    from tests.webapp.security.test_headers import header_problems

    for path in ("/", "/report/danger", "/chat", "/staff/login", "/no/such/page"):
        response = requests.get(f"{scaled.web_url}{path}", timeout=10)
        problems = header_problems(_as_flask(response))
        assert problems == [], (path, problems)
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    # Retention, with the bot's conversations in PostgreSQL too: a dry run names what it would do, counts only.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "ASB_", "RASA_"))}
    env.update(
        ASB_ENV="production",
        SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL=scaled.store_url,
        RASA_TRACKER_DB=scaled.tracker_url,
        TWILIO_AUTH_TOKEN=scaled.twilio_token,
    )
    done = subprocess.run(  # noqa: S603 - our own command
        [str(REPO / ".venv" / "bin" / "flask"), "--app", "webapp", "retention", "apply", "--dry-run"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Sam Test" not in done.stdout + done.stderr and "+4477009" not in done.stdout + done.stderr


def _as_flask(response: requests.Response):
    """A requests response as header_problems reads it (a Flask/Werkzeug response)."""
    from werkzeug.wrappers import Response

    return Response(response.content, status=response.status_code, headers=dict(response.headers))

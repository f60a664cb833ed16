"""`make run` on a fresh checkout serves the start page, and the web chat answers through the bot it started."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _the_chat_answers(url: str, proc) -> bool:
    """The bot loads in about 30 s: until then the chat says it is not working, and keeps the message."""
    import re

    import requests

    http = requests.Session()
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        assert proc.poll() is None, "make run stopped"
        page = http.get(f"{url}/chat", timeout=10).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        page = http.post(f"{url}/chat", data={"csrf_token": token, "message": "hello"}, timeout=30).text
        if "app-chat__message--bot" in page and "Tell me in your own words what is happening" in page:
            return True
        time.sleep(2)
    return False


def test_make_run_serves_the_start_page_and_prints_the_address(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("ASB_POLICY_FILE", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'run.sqlite3'}"  # keep the developer's instance/ untouched
    env["INSTANCE_DIR"] = str(tmp_path)
    env["RASA_PORT"], env["ACTIONS_PORT"] = str(free_port()), str(free_port())
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:  # noqa: S310
                    html = response.read().decode()
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "make run did not serve within 60 s"
                time.sleep(0.3)
        assert "Report anti-social behaviour" in html
        assert (tmp_path / "run.sqlite3").exists()
        assert _the_chat_answers(f"http://127.0.0.1:{port}", proc)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        output, _ = proc.communicate(timeout=60)
    assert f"open http://127.0.0.1:{port}/" in output


def _signed_text(url: str, auth_token: str, number: str, body: str) -> int:
    import requests
    from twilio.request_validator import RequestValidator

    params = {"MessageSid": "SM" + "1" * 32, "AccountSid": "AC" + "0" * 32, "From": number, "To": "+447700900000"}
    params |= {"Body": body, "NumMedia": "0"}
    signature = RequestValidator(auth_token).compute_signature(url, params)
    return requests.post(url, data=params, headers={"X-Twilio-Signature": signature}, timeout=10).status_code


def _texts_to(database: Path, number: str) -> list[str]:
    import sqlite3

    with sqlite3.connect(database) as store:
        rows = store.execute("SELECT body FROM outbound_messages WHERE to_number = ? ORDER BY id", (number,))
        return [body for (body,) in rows]


def test_before_the_model_exists_the_web_form_answers_the_chat_offers_it_and_a_text_is_held(tmp_path):
    """A fresh clone: the model is still training (here a stand-in that never finishes), and the service is up."""
    import re

    import requests

    port, rasa_port = free_port(), free_port()
    database = tmp_path / "run.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in ("ASB_POLICY_FILE", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env["DATABASE_URL"] = f"sqlite:///{database}"
    env["INSTANCE_DIR"] = str(tmp_path)
    env["RASA_PORT"], env["ACTIONS_PORT"] = str(rasa_port), str(free_port())
    env["TRAIN_COMMAND"] = "sleep 600"  # training under way for the whole test; nothing is trained
    env["TWILIO_AUTH_TOKEN"] = "test-twilio-auth-token"
    not_yet = tmp_path / "not-trained-yet.tar.gz"
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}", f"MODEL={not_yet}"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        http = requests.Session()
        deadline = time.monotonic() + 60
        while True:
            try:
                page = http.get(f"{url}/report/danger", timeout=10).text
                break
            except requests.ConnectionError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "make run did not serve the web form within 60 s"
                time.sleep(0.3)
        assert "Is anyone in immediate danger right now?" in page
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        answered = http.post(f"{url}/report/danger", data={"csrf_token": token, "danger": "no"}, timeout=10)
        assert answered.url.endswith("/report/what") and "What is happening?" in answered.text

        chat = requests.get(f"{url}/chat", timeout=10).text
        assert "The chat is not ready yet" in chat
        assert 'href="/report/danger"' in chat

        number = "+447700900123"
        assert _signed_text(f"{url}/sms/inbound", env["TWILIO_AUTH_TOKEN"], number, "loud music every night") == 200
        deadline = time.monotonic() + 30
        while not _texts_to(database, number) and time.monotonic() < deadline:
            time.sleep(0.3)
        held = "Your message is safe with us. Our reply may take a few minutes. In an emergency call 999."
        assert _texts_to(database, number) == [held]

        with socket.socket() as sock:  # the bot waits for its model: no Rasa server was started
            assert sock.connect_ex(("127.0.0.1", rasa_port)) != 0
        assert proc.poll() is None
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        output, _ = proc.communicate(timeout=60)
    assert f"open http://127.0.0.1:{port}/" in output
    assert "being trained in the background" in output

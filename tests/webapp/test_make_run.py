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

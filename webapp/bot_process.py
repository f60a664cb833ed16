"""Starting the bot's processes from the web app's side: for `flask triage` when no bot is running, and for tests.

Rasa lives in its own environment (.venv-rasa, Python 3.10), so it is always a
separate process, on loopback only.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

from webapp.bot_client import RasaClient

REPO = Path(__file__).resolve().parent.parent
RASA_VENV = REPO / ".venv-rasa"
MODEL = REPO / "models" / "asb-bot.tar.gz"
READY_SECONDS = 180
# Rasa reuses its connections to the action server for 15 s (aiohttp's default); Sanic closed idle ones after
# 5 s, so under load a turn now and then wrote to a connection being closed ("Cannot write to closing
# transport") and failed. The action server keeps them longer than Rasa does.
ACTIONS_ENV = {"SANIC_KEEP_ALIVE_TIMEOUT": "75"}


class BotNotBuilt(Exception):
    """No trained model or no bot environment: `make model` builds them."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "VIRTUAL_ENV"))}
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env["PYTHONPATH"] = str(REPO)
    env.update(extra or {})
    return env


def start_rasa(port: int, token: str, endpoints: Path | None = None, log=None, model: Path = MODEL) -> subprocess.Popen:
    if not model.exists() or not (RASA_VENV / "bin" / "rasa").exists():
        raise BotNotBuilt(f"no trained model at {model}: run `make model`")
    command = [
        str(RASA_VENV / "bin" / "rasa"),
        "run",
        "--enable-api",
        "--auth-token",
        token,
        "--model",
        str(model),
        "--interface",
        "127.0.0.1",
        "--port",
        str(port),
        "--credentials",
        str(REPO / "bot" / "credentials.yml"),
    ]
    if endpoints:
        command += ["--endpoints", str(endpoints)]
    return subprocess.Popen(  # noqa: S603 - our own fixed command
        command,
        cwd=REPO,
        env=_env(),
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def start_actions(port: int, api_url: str, service_token: str, log=None) -> subprocess.Popen:
    env = _env({"ASB_API_URL": api_url, "ASB_SERVICE_TOKEN": service_token, **ACTIONS_ENV})
    return subprocess.Popen(  # noqa: S603 - our own fixed command
        [str(RASA_VENV / "bin" / "python"), "-m", "rasa_sdk", "--actions", "bot.actions.actions", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_ready(client: RasaClient, process: subprocess.Popen | None = None, seconds: int = READY_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not client.ready():
        if process is not None and process.poll() is not None:
            raise RuntimeError("the Rasa server stopped while starting")
        if time.monotonic() > deadline:
            raise TimeoutError(f"the Rasa server was not ready within {seconds} s")
        time.sleep(0.5)


@contextmanager
def running_nlu(url: str | None = None, token: str | None = None):
    """A Rasa server to parse with: the running one if it answers, else one started here and stopped after."""
    if url:
        client = RasaClient(url, token)
        if client.ready():
            yield client
            return
    token = secrets.token_urlsafe(16)
    port = free_port()
    process = start_rasa(port, token)
    try:
        client = RasaClient(f"http://127.0.0.1:{port}", token, parse_timeout=10)
        wait_ready(client, process)
        yield client
    finally:
        stop(process)

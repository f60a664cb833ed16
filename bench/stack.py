"""The service as it runs for residents, started for measuring: every part its own process.

The web app under gunicorn, the SMS worker (`flask sms worker`), one Rasa server and its action server,
on loopback, the store in SQLite (the default) or BENCH_DATABASE_URL. Outbound texts go to the recording
sender, so a reply is "sent" when the worker has stored and handed it over, as it would be to Twilio.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bench.nlu_models import rss_mb
from webapp.bot_client import RasaClient
from webapp.bot_process import REPO, free_port, start_actions, start_rasa, stop, wait_ready

VENV = REPO / ".venv" / "bin"


@dataclass
class BenchStack:
    tmp: Path
    web_workers: int = 4
    sms_threads: int = 12
    web_url: str = ""
    rasa_url: str = ""
    twilio_token: str = field(default_factory=lambda: secrets.token_hex(16))
    rasa_token: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    processes: dict = field(default_factory=dict)
    model_load_s: float = 0.0

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "VIRTUAL_ENV", "ASB_", "RASA_"))}
        env.update(
            ASB_ENV="development",  # plain http on loopback: cookies cannot be Secure-only here
            SECRET_KEY=secrets.token_hex(32),
            DATABASE_URL=os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{self.tmp / 'bench.sqlite3'}",
            RASA_URL=self.rasa_url,
            RASA_TOKEN=self.rasa_token,
            ASB_SERVICE_TOKEN=self.service_token,
            TWILIO_AUTH_TOKEN=self.twilio_token,
            PUBLIC_BASE_URL=self.web_url,
            # Every simulated resident comes from 127.0.0.1: the per-address limit would count them as one.
            PUBLIC_FORM_LIMIT="1000000 per hour",
            SMS_WORKER_THREADS=str(self.sms_threads),
            RASA_TELEMETRY_ENABLED="false",
        )
        return env

    def start(self) -> BenchStack:
        self.service_token = secrets.token_urlsafe(16)
        web_port, rasa_port, actions_port = free_port(), free_port(), free_port()
        self.web_url, self.rasa_url = f"http://127.0.0.1:{web_port}", f"http://127.0.0.1:{rasa_port}"
        env = self.env()
        subprocess.run(  # noqa: S603 - our own fixed command
            [VENV / "flask", "--app", "webapp", "db", "upgrade"],
            cwd=REPO,
            env=env,
            check=True,
            capture_output=True,
        )
        endpoints = self.tmp / "endpoints.yml"
        endpoints.write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n'
            f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {self.tmp / 'rasa-tracker.sqlite3'}\n"
        )
        log = lambda name: (self.tmp / f"{name}.log").open("w")  # noqa: E731
        self.processes["actions"] = start_actions(
            actions_port, f"{self.web_url}/api/v1", self.service_token, log=log("actions")
        )
        started = time.monotonic()
        self.processes["rasa"] = start_rasa(rasa_port, self.rasa_token, endpoints, log=log("rasa"))
        self.processes["web"] = self._spawn(
            "web",
            [
                VENV / "gunicorn",
                "--workers",
                str(self.web_workers),
                "--bind",
                f"127.0.0.1:{web_port}",
                "--no-control-socket",
                "webapp.wsgi:app",
            ],
            env,
        )
        self.processes["worker"] = self._spawn("worker", [VENV / "flask", "--app", "webapp", "sms", "worker"], env)
        wait_ready(RasaClient(self.rasa_url, self.rasa_token), self.processes["rasa"])
        self.model_load_s = round(time.monotonic() - started, 1)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if (
                    requests.get(f"{self.web_url}/healthz", timeout=2).ok
                    and requests.get(f"http://127.0.0.1:{actions_port}/health", timeout=2).ok
                ):
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise TimeoutError("the web app or the action server did not start")

    def _spawn(self, name: str, command: list, env: dict) -> subprocess.Popen:
        return subprocess.Popen(  # noqa: S603 - our own fixed command
            [str(c) for c in command],
            cwd=REPO,
            env=env,
            stdout=(self.tmp / f"{name}.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def memory(self) -> dict:
        return {name: round(rss_mb(p.pid), 1) for name, p in self.processes.items()}

    def stop(self) -> None:
        for process in self.processes.values():
            stop(process)

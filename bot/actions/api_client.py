"""Hands a finished report to the web app's API. The bot never touches the report store itself."""

from __future__ import annotations

import os

import aiohttp

TIMEOUT = aiohttp.ClientTimeout(total=10)


class SubmitError(Exception):
    """The web app did not take the report (unreachable, refused, or an error)."""


def _config() -> tuple[str, str]:
    url = os.environ.get("ASB_API_URL", "http://127.0.0.1:5000/api/v1").rstrip("/")
    token = os.environ.get("ASB_SERVICE_TOKEN", "")
    if not token:
        raise SubmitError("ASB_SERVICE_TOKEN is not set")
    return url, token


async def submit_report(body: dict) -> dict:
    """POST /reports; returns {"reference", "hear_by", ...}. Idempotent on body["submission_key"]."""
    url, token = _config()
    headers = {"Authorization": f"Bearer {token}"}
    try:
        async with (
            aiohttp.ClientSession(timeout=TIMEOUT) as session,
            session.post(f"{url}/reports", json=body, headers=headers) as response,
        ):
            if response.status not in (200, 201):
                raise SubmitError(f"the web app answered {response.status}")
            return await response.json()
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise SubmitError(type(exc).__name__) from None


class NoOpenCase(SubmitError):
    """No open case has this number as its contact number."""


async def add_diary_entry(body: dict) -> dict:
    """POST /diary; returns {"entry": <number>}."""
    url, token = _config()
    headers = {"Authorization": f"Bearer {token}"}
    try:
        async with (
            aiohttp.ClientSession(timeout=TIMEOUT) as session,
            session.post(f"{url}/diary", json=body, headers=headers) as response,
        ):
            if response.status == 404:
                raise NoOpenCase("no open case")
            if response.status != 201:
                raise SubmitError(f"the web app answered {response.status}")
            return await response.json()
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise SubmitError(type(exc).__name__) from None

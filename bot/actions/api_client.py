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


async def _post(path: str, body: dict, accepted: tuple[int, ...], not_found: type[Exception] | None = None) -> dict:
    """POST a JSON body to the web app's API with the service token; its JSON answer, or SubmitError."""
    url, token = _config()
    headers = {"Authorization": f"Bearer {token}"}
    try:
        async with (
            aiohttp.ClientSession(timeout=TIMEOUT) as session,
            session.post(f"{url}{path}", json=body, headers=headers) as response,
        ):
            if response.status == 404 and not_found is not None:
                raise not_found(path)
            if response.status not in accepted:
                raise SubmitError(f"the web app answered {response.status}")
            return await response.json()
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise SubmitError(type(exc).__name__) from None


class NoOpenCase(SubmitError):
    """No open case has this number as its contact number."""


async def submit_report(body: dict) -> dict:
    """POST /reports; returns {"reference", "hear_by", ...}. Idempotent on body["submission_key"]."""
    return await _post("/reports", body, accepted=(200, 201))


async def add_diary_entry(body: dict) -> dict:
    """POST /diary; returns {"entry": <number>}. NoOpenCase when the number has no open case."""
    return await _post("/diary", body, accepted=(201,), not_found=NoOpenCase)

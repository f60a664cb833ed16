"""Rate limits on resume codes, one-time codes and every public form, counted per address, in memory for one
process and in Redis shared by every worker; a limited resident gets a kind page in their language."""

from __future__ import annotations

import random
import socket
import uuid

import pytest

from tests.webapp.factories import sign_in, staff, submitted
from tests.webapp.journey import CSRF, answer
from tests.webapp.security.apps import app_with, migrated, production_config
from webapp import create_app
from webapp.config import Config


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def an_address() -> str:
    # A fresh address for each test: counts kept in Redis by earlier tests (or runs) never reach this one.
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


def from_address(app, address: str, **environ):
    client = app.test_client()
    client.environ_base.update(REMOTE_ADDR=address, **environ)
    return client


REDIS = pytest.param("redis", marks=pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379"))


@pytest.fixture(params=["memory", REDIS])
def workers(request, tmp_path):
    """Two workers' clients from one address: one app in memory (a process counts alone), two apps on Redis."""
    if request.param == "memory":
        first = second = app_with(f"sqlite:///{tmp_path / 'm.sqlite3'}", PUBLIC_FORM_LIMIT=Config.PUBLIC_FORM_LIMIT)
    else:
        config = production_config(
            f"sqlite:///{tmp_path / 'r.sqlite3'}",
            SESSION_COOKIE_SECURE=False,  # the test client speaks plain http
            RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15",
            RATELIMIT_KEY_PREFIX=uuid.uuid4().hex,
        )
        first = migrated(create_app(config))
        second = create_app(config)
        second.test_client_class = first.test_client_class
    address = an_address()
    clients = [from_address(app, address) for app in (first, second)]
    with first.app_context():
        yield clients


@pytest.fixture
def policy_of_workers(workers):
    return workers[0].application.extensions["asb_policy"]


def token(client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    return CSRF.search(page.get_data(as_text=True)).group(1)


def alternate(clients, path: str, data: dict, times: int) -> list[int]:
    """POST to the path `times` times, each worker in turn, each with its own session's CSRF token."""
    tokens = [token(client, path) for client in clients]
    return [clients[i % 2].post(path, data={**data, "csrf_token": tokens[i % 2]}).status_code for i in range(times)]


def test_resume_codes_are_limited_to_10_tries_an_hour_for_every_worker_together(workers):
    codes = alternate(workers, "/report/resume", {"code": "ABCDE-FGHJK"}, 12)
    assert codes == [200] * 10 + [429, 429]  # 200: "we could not find a report with that code"


def test_diary_codes_are_limited_to_20_tries_an_hour_for_every_worker_together(workers, policy_of_workers):
    report = submitted(policy_of_workers)
    for client in workers:
        answer(client, "/diary", {"reference": report.reference})  # a code is texted and waits in each session
    codes = alternate(workers, "/diary/code", {"code": "000000"}, 22)
    assert codes[20:] == [429, 429] and 429 not in codes[:20]


def test_case_codes_are_limited_to_20_tries_an_hour_for_every_worker_together(workers, policy_of_workers):
    report = submitted(policy_of_workers)
    for client in workers:
        answer(client, "/case", {"reference": report.reference})
    codes = alternate(workers, "/case/code", {"code": "000000"}, 22)
    assert codes[20:] == [429, 429] and 429 not in codes[:20]


def test_public_forms_allow_120_posts_an_hour_from_one_address_across_every_residents_page(workers):
    assert Config.PUBLIC_FORM_LIMIT == "120 per hour"
    first, second = workers
    keep_alive = [token(first, "/report/danger"), token(second, "/report/danger")]
    codes = [
        workers[i % 2].post("/report/keep-alive", headers={"X-CSRFToken": keep_alive[i % 2]}).status_code
        for i in range(118)
    ]
    codes.append(first.post("/survey/no-such-survey", data={"csrf_token": keep_alive[0]}).status_code)
    codes.append(second.post("/chat/end", data={"csrf_token": keep_alive[1]}).status_code)
    assert 429 not in codes
    assert first.post("/diary", data={"csrf_token": keep_alive[0], "reference": "123-456-789"}).status_code == 429
    assert second.post("/report/danger", data={"csrf_token": keep_alive[1], "danger": "no"}).status_code == 429
    assert first.get("/report/danger").status_code == 200  # reading a page is never limited
    elsewhere = from_address(first.application, an_address())
    csrf = token(elsewhere, "/report/danger")
    assert elsewhere.post("/report/keep-alive", headers={"X-CSRFToken": csrf}).status_code == 204


def test_a_limited_resident_gets_a_page_in_their_language_with_a_way_on(app, client):
    app.config["RESUME_CODE_LIMIT"] = "1 per hour"
    client.get("/?lang=pl")
    answer(client, "/report/resume", {"code": "ABCDE-FGHJK"})
    response = answer(client, "/report/resume", {"code": "ABCDE-FGHJK"})
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert '<html lang="pl"' in page
    assert "Twoje odpowiedzi do ostatniej wysłanej strony są zapisane." in page
    assert 'href="/"' in page and 'href="/report/resume"' in page  # the start page, and carrying on later
    assert "999" in page
    assert 0 < int(response.headers["Retry-After"]) <= 3600
    assert "Content-Security-Policy" in response.headers


def test_signed_in_contact_centre_staff_are_not_held_to_the_public_form_limit(app, client, policy):
    app.config["PUBLIC_FORM_LIMIT"] = "3 per hour"
    staff(policy, "cc", role="contact_centre")
    sign_in(client, "cc")
    csrf = token(client, "/report/danger")
    codes = [client.post("/report/keep-alive", headers={"X-CSRFToken": csrf}).status_code for _ in range(5)]
    assert codes == [204] * 5
    resident = app.test_client()
    csrf = token(resident, "/report/danger")
    codes = [resident.post("/report/keep-alive", headers={"X-CSRFToken": csrf}).status_code for _ in range(4)]
    assert codes == [204, 204, 204, 429]


def test_behind_a_proxy_each_residents_own_address_is_counted(tmp_path):
    app = app_with(f"sqlite:///{tmp_path / 'p.sqlite3'}", PROXY_HOPS=1, PUBLIC_FORM_LIMIT="2 per hour")

    def posts(resident: str, times: int) -> list[int]:
        client = from_address(app, "192.0.2.1", HTTP_X_FORWARDED_FOR=resident)
        csrf = token(client, "/report/danger")
        return [client.post("/report/keep-alive", headers={"X-CSRFToken": csrf}).status_code for _ in range(times)]

    with app.app_context():
        assert posts("203.0.113.7", 3) == [204, 204, 429]
        assert posts("203.0.113.8", 1) == [204]  # same proxy, another resident


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_the_counts_are_kept_in_redis_where_every_process_sees_them(tmp_path):
    import redis

    config = production_config(
        f"sqlite:///{tmp_path / 'r.sqlite3'}",
        SESSION_COOKIE_SECURE=False,
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15",
    )
    app = migrated(create_app(config))
    address = an_address()
    with app.app_context():
        codes = alternate([from_address(app, address)] * 2, "/report/resume", {"code": "ABCDE-FGHJK"}, 3)
    assert codes == [200, 200, 200]
    store = redis.Redis.from_url("redis://127.0.0.1:6379/15")
    counts = {key.decode(): int(store.get(key)) for key in store.scan_iter(f"*/{address}/*")}
    assert sorted(counts.values()) == [3, 3]  # the resume limit and the public-form limit, both in Redis
    assert any("report.resume" in key for key in counts)

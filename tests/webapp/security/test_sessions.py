"""Session cookies: Secure, HttpOnly and SameSite=Lax in production; a new session at staff sign-in; staff sessions
end on the server after 15 idle minutes and 8 hours in all; residents keep their 30 minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import select

from asb_domain.references import format_reference
from tests.webapp.factories import sign_in, staff, submitted
from tests.webapp.journey import CSRF, answer, location
from tests.webapp.security.apps import migrated, production_config
from webapp import create_app
from webapp.extensions import db
from webapp.models import AuditEvent, CaseEvent


@pytest.fixture
def clock(app):
    """The app's time, moved on by the test: clock.moment += timedelta(...)."""

    class Clock:
        moment = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    app.config["ASB_CLOCK"] = lambda: Clock.moment
    return Clock


def session_cookie(response) -> str:
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    return cookie


def cookie_attributes(response) -> set[str]:
    return {part.strip().lower() for part in session_cookie(response).split(";")[1:]}


def test_in_production_the_session_cookie_is_secure_httponly_and_samesite_lax(tmp_path):
    app = migrated(create_app(production_config(f"sqlite:///{tmp_path / 'p.sqlite3'}")))
    response = app.test_client().get("/?lang=pl", base_url="https://asb.example.org")
    assert {"secure", "httponly", "samesite=lax"} <= cookie_attributes(response)
    assert app.config["REMEMBER_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_HTTPONLY"]


def test_a_residents_session_still_lasts_30_minutes(client):
    answer(client, "/report/danger", {"danger": "no"})  # a report in progress: the session is kept
    cookie = session_cookie(client.get("/report/what"))
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    assert timedelta(minutes=29) < expires - datetime.now(UTC) <= timedelta(minutes=30)


def test_a_cookie_captured_before_sign_in_does_not_carry_the_sign_in(app, client, policy):
    staff(policy, "admin", role="admin")
    with client.session_transaction() as planted:
        planted["report_id"] = 12345  # something an attacker put in the session before the officer signs in
    client.get("/staff/login")
    before = client.get_cookie("session").value
    assert location(sign_in(client, "admin")) == "/staff/"
    after = client.get_cookie("session").value
    assert after != before
    with client.session_transaction() as signed_in:
        assert "report_id" not in signed_in  # nothing from before sign-in carries over

    attacker = app.test_client()
    attacker.set_cookie("session", before)
    assert location(attacker.get("/staff/")).startswith("/staff/login")
    assert client.get("/staff/").status_code == 200


def test_a_staff_session_ends_after_15_minutes_without_activity(client, policy, clock):
    staff(policy, "admin", role="admin")
    sign_in(client, "admin")
    for _ in range(3):  # 42 minutes in all, never 15 idle
        clock.moment += timedelta(minutes=14)
        assert client.get("/staff/").status_code == 200
    clock.moment += timedelta(minutes=15, seconds=1)
    assert location(client.get("/staff/")) == "/staff/login"
    page = client.get("/staff/login").get_data(as_text=True)
    assert "You were signed out because there was no activity for 15 minutes. Sign in again." in page
    assert location(client.get("/staff/")).startswith("/staff/login")  # still signed out
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "session_timeout"))
    assert (event.actor, event.detail) == ("staff:admin", "idle")


def test_a_staff_session_ends_8_hours_after_sign_in_however_busy(client, policy, clock):
    staff(policy, "admin", role="admin")
    sign_in(client, "admin")
    for _ in range(48):  # a request every 10 minutes for 8 hours
        clock.moment += timedelta(minutes=10)
        assert client.get("/staff/").status_code == 200
    clock.moment += timedelta(minutes=1)
    assert location(client.get("/staff/")) == "/staff/login"
    page = client.get("/staff/login").get_data(as_text=True)
    assert "You were signed out because you signed in more than 8 hours ago. Sign in again." in page


def test_the_staff_time_outs_are_set_from_the_environment(app, client, policy, clock):
    app.config.update(STAFF_IDLE_MINUTES=5, STAFF_ABSOLUTE_HOURS=1)
    staff(policy, "admin", role="admin")
    sign_in(client, "admin")
    clock.moment += timedelta(minutes=6)
    assert location(client.get("/staff/")) == "/staff/login"
    sign_in(client, "admin")
    for _ in range(15):
        clock.moment += timedelta(minutes=4)
        assert client.get("/staff/").status_code == 200
    clock.moment += timedelta(minutes=1)
    assert location(client.get("/staff/")) == "/staff/login"


def test_a_timed_out_officer_cannot_act_on_a_report(client, policy, clock):
    report = submitted(policy)
    staff(policy, "admin", role="admin")
    sign_in(client, "admin")
    page = client.get(f"/staff/reports/{format_reference(report.reference)}").get_data(as_text=True)
    token = CSRF.search(page).group(1)
    clock.moment += timedelta(minutes=16)
    response = client.post(
        f"/staff/reports/{format_reference(report.reference)}/note", data={"csrf_token": token, "note": "left open"}
    )
    assert location(response) == "/staff/login"
    notes = db.session.scalars(select(CaseEvent.detail).where(CaseEvent.kind == "note")).all()
    assert notes == []


def test_a_phone_report_ends_with_the_contact_centre_session(client, policy, clock):
    staff(policy, "cc", role="contact_centre")
    sign_in(client, "cc")
    answer(client, "/staff/phone-report")
    assert answer(client, "/report/danger", {"danger": "no"}).status_code == 302
    clock.moment += timedelta(minutes=16)
    assert location(client.get("/report/what")) == "/staff/login"
    with client.session_transaction() as after:
        assert "report_channel" not in after and "_user_id" not in after


def test_a_sign_in_from_before_the_time_outs_were_kept_is_ended(client, policy):
    staff(policy, "admin", role="admin")
    sign_in(client, "admin")
    with client.session_transaction() as old:
        old.pop("staff_signed_in_at")
    assert location(client.get("/staff/")) == "/staff/login"


def test_signing_out_ends_a_copied_session_cookie_at_once(app, client, policy):
    staff(policy, "tem")
    sign_in(client, "tem")
    assert client.get("/staff/").status_code == 200
    stolen = app.test_client()  # someone who copied the officer's cookie
    stolen.set_cookie("session", client.get_cookie("session").value)
    assert stolen.get("/staff/").status_code == 200
    page = client.get("/staff/").get_data(as_text=True)
    token = CSRF.search(page).group(1)
    assert client.post("/staff/logout", data={"csrf_token": token}).status_code == 302
    # The copy no longer opens anything, though it is still a validly signed cookie within its time-outs.
    response = stolen.get("/staff/")
    assert response.status_code == 302 and "/staff/login" in location(response)
    sign_in(client, "tem")  # the officer signs in again as usual
    assert client.get("/staff/").status_code == 200
    assert stolen.get("/staff/").status_code == 302

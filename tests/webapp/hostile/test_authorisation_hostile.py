"""Who may do what: every staff and API route walked signed out, a handling role reaching for another's
reports by guessing their addresses, CRM and service tokens used for what they are not for, and a revoked token
on the very next request. Every refusal of a signed-in member of staff is in the audit log."""

from __future__ import annotations

import pytest
import requests
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from asb_domain.references import format_reference
from tests.webapp.browser import LiveServer
from tests.webapp.factories import sign_in, staff, submitted
from tests.webapp.journey import CSRF, location
from webapp.api.tokens import create_token
from webapp.diary.store import add_entry
from webapp.extensions import db
from webapp.models import ApiToken, AuditEvent, DiaryEvidence, Report
from webapp.staff.cli import token_cli

SERVICE = "service-token-for-hostile-tests"
PUBLIC_STAFF = {"staff.login"}
PUBLIC_API = {"api.openapi"}


def routes(app, prefix: str, blueprint: str):
    """Every (rule, method) under the prefix or of the blueprint: a route added tomorrow is in the list too."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(prefix) or rule.endpoint.startswith(f"{blueprint}."):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((rule, method))
    return found


def url_for_rule(app, rule, reference: str) -> str:
    values = {
        name: 1 if isinstance(converter, IntegerConverter) else reference
        for name, converter in rule._converters.items()
    }
    return app.url_map.bind("localhost").build(rule.endpoint, values, method=next(iter(rule.methods)))


def test_every_staff_route_but_sign_in_sends_someone_signed_out_to_sign_in(app, client, policy):
    report = submitted(policy)  # a real reference, so a missing check is not hidden behind a 404
    # A CSRF token anyone can have (from the sign-in page), so a POST reaches the route's own check.
    token = CSRF.search(client.get("/staff/login").get_data(as_text=True)).group(1)
    walked, leaks = [], []
    for rule, method in routes(app, "/staff/", "staff"):
        if rule.endpoint in PUBLIC_STAFF:
            continue
        url = url_for_rule(app, rule, report.reference)
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        walked.append(rule.endpoint)
        if response.status_code != 302 or not location(response).startswith("/staff/login"):
            leaks.append(f"{method} {url}: {response.status_code}")
    assert leaks == []
    assert {"staff.queue", "staff.queue_csv", "staff.report", "staff.evidence", "staff.close"} <= set(walked)
    assert db.session.get(Report, report.id).status == "submitted"


NOT_TOKENS = [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "bearer asb_x", "Bearer asb_made_up", "Bearer \x00"]


def test_every_api_route_but_its_document_answers_401_without_a_valid_token(app, client, policy):
    app.config["ASB_SERVICE_TOKEN"] = SERVICE
    report = submitted(policy)
    walked, leaks = set(), []
    for authorization in NOT_TOKENS:
        headers = {"Authorization": authorization} if authorization is not None else {}
        for rule, method in routes(app, "/api/v1/", "api"):
            if rule.endpoint in PUBLIC_API:
                continue
            url = url_for_rule(app, rule, report.reference)
            response = client.open(url, method=method, headers=headers, json={"by": "x"} if method == "POST" else None)
            walked.add(rule.endpoint)
            if response.status_code != 401 or response.get_json() != {"error": "unauthorized"}:
                leaks.append(f"{authorization!r} {method} {url}: {response.status_code}")
    assert leaks == []
    assert {"api.list_reports", "api.get_report", "api.acknowledge", "api.submit_report"} <= walked
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert db.session.get(Report, report.id).acknowledged_at is None


def _evidence_for(policy, report) -> DiaryEvidence:
    item = DiaryEvidence(kind="image", content_type="image/png", size=3, sha256="0" * 64, stored_as="0" * 64 + ".png")
    add_entry(policy, report, "web", evidence=[item], occurred_at="today", what_happened="he came to the door")
    return item


@pytest.mark.parametrize("case_type", ["domestic_abuse", "harassment"])
def test_a_community_housing_manager_cannot_reach_a_high_risk_report_by_guessing_its_address_and_is_audited(
    app, client, policy, case_type
):
    staff(policy, "chm", role="community_housing_manager")
    high = submitted(policy, case_type=case_type, contact_phone="07700 900001", address="1 A St")
    mine = submitted(policy, contact_phone="07700 900002", address="2 B St")
    assert high.handling_role == "tenancy_enforcement_manager" and mine.handling_role == "community_housing_manager"
    item = _evidence_for(policy, high)
    before = (high.status, high.acknowledged_at, high.assigned_to, [e.kind for e in high.events])
    sign_in(client, "chm")
    token = CSRF.search(client.get(f"/staff/reports/{mine.reference}").get_data(as_text=True)).group(1)
    ref = high.reference
    attempts = [
        ("GET", f"/staff/reports/{r}", {}) for r in (ref, format_reference(ref), f" {ref[:3]} {ref[3:6]} {ref[6:]}")
    ]
    attempts += [
        ("POST", f"/staff/reports/{ref}/acknowledge", {}),
        ("POST", f"/staff/reports/{ref}/close", {"closure_code": "resolved", "reason": "closing it"}),
        ("POST", f"/staff/reports/{ref}/assign", {"officer": "chm"}),
        ("POST", f"/staff/reports/{ref}/note", {"note": "had a look"}),
        ("POST", f"/staff/reports/{ref}/update", {"kind": "update"}),
        ("POST", f"/staff/reports/{ref}/update-frequency", {"frequency": "weekly"}),
        ("POST", f"/staff/reports/{ref}/legal-hold", {"reason": "mine now"}),
        ("GET", f"/staff/reports/{ref}/diary-sheet", {}),
        ("GET", f"/staff/reports/{ref}/evidence/{item.id}", {}),
    ]
    for method, url, data in attempts:
        response = client.open(url, method=method, data={**data, "csrf_token": token} if method == "POST" else None)
        assert response.status_code == 403, (method, url, response.status_code)
        assert ref not in response.get_data(as_text=True) and "he came to the door" not in response.get_data(
            as_text=True
        )
    # Their own report's evidence address with the other's evidence number: not found, as if it did not exist.
    assert client.get(f"/staff/reports/{mine.reference}/evidence/{item.id}").status_code == 404
    # The export and the queue, however filtered, leave it out; asking for another role's reports is audited.
    for url in (
        "/staff/queue.csv",
        "/staff/queue.csv?handling_role=tenancy_enforcement_manager",
        "/staff/queue.csv?status=closed&risk_level=high",
        "/staff/?handling_role=tenancy_enforcement_manager",
        "/staff/?handling_role=%00&risk_level=%00&category=%27--",  # nonsense is no filter (a NUL was a 500)
    ):
        body = client.get(url).get_data(as_text=True)
        assert format_reference(ref) not in body and ref not in body
    db.session.expire_all()
    high = db.session.get(Report, high.id)
    assert (high.status, high.acknowledged_at, high.assigned_to, [e.kind for e in high.events]) == before
    assert not high.legal_hold
    denied = db.session.scalars(
        select(AuditEvent).where(AuditEvent.actor == "staff:chm", AuditEvent.action == "view_denied")
    ).all()
    assert len([e for e in denied if e.report_id == high.id]) == len(attempts)
    assert len([e for e in denied if e.report_id is None and "tenancy_enforcement_manager" in (e.detail or "")]) == 2
    views = db.session.scalars(select(AuditEvent).where(AuditEvent.report_id == high.id)).all()
    assert {e.action for e in views} == {"view_denied"}  # never a view, an export or an action


def test_a_revoked_crm_token_stops_working_on_the_very_next_request(app, policy):
    report = submitted(policy)
    token = create_token("salesforce")
    headers = {"Authorization": f"Bearer {token}"}
    with LiveServer(app) as server:  # another process's requests, each with its own session, as in production
        url = f"{server.url}/api/v1/reports/{report.reference}"
        assert requests.get(url, headers=headers, timeout=10).status_code == 200
        result = app.test_cli_runner().invoke(token_cli, ["revoke", "salesforce"])
        assert result.exit_code == 0, result.output
        after = requests.get(url, headers=headers, timeout=10)
        assert after.status_code == 401 and after.json() == {"error": "unauthorized"}
        ack = requests.post(f"{url}/acknowledge", headers=headers, json={"by": "x"}, timeout=10)
        assert ack.status_code == 401
    db.session.expire_all()
    assert db.session.get(Report, report.id).acknowledged_at is None
    assert db.session.scalar(select(ApiToken)).revoked_at is not None


def test_a_crm_token_cannot_submit_reports_or_diary_entries(app, client, policy):
    app.config["ASB_SERVICE_TOKEN"] = SERVICE
    crm = {"Authorization": f"Bearer {create_token('crm')}"}
    body = {"submission_key": "k1", "channel": "chat", "language": "en", "description": "noise every night"}
    response = client.post("/api/v1/reports", json=body, headers=crm)
    assert response.status_code == 403
    diary = client.post("/api/v1/diary", json={"sms_conversation": "sms-1", "what_happened": "x"}, headers=crm)
    assert diary.status_code == 401
    assert db.session.scalars(select(Report)).all() == []


def test_the_service_token_cannot_read_or_acknowledge_the_queue(app, client, policy):
    app.config["ASB_SERVICE_TOKEN"] = SERVICE
    report = submitted(policy)
    service = {"Authorization": f"Bearer {SERVICE}"}
    assert client.get("/api/v1/reports", headers=service).status_code == 401
    assert client.get(f"/api/v1/reports/{report.reference}", headers=service).status_code == 401
    assert client.post(f"/api/v1/reports/{report.reference}/acknowledge", headers=service).status_code == 401
    assert location(client.get("/staff/", headers=service)).startswith("/staff/login")
    assert location(client.get("/staff/queue.csv", headers=service)).startswith("/staff/login")
    db.session.expire_all()
    assert db.session.get(Report, report.id).acknowledged_at is None
    assert db.session.scalars(select(AuditEvent)).all() == []  # nothing was seen


def test_evidence_files_are_reached_only_through_the_audited_staff_route(app, client, policy):
    token = {"Authorization": f"Bearer {create_token('crm')}"}
    report = submitted(policy)
    item = _evidence_for(policy, report)
    for url in (f"/evidence/{item.stored_as}", f"/static/../instance/evidence/{item.stored_as}"):
        assert client.get(url, headers=token).status_code == 404

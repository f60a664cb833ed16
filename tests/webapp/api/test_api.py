"""The CRM API: bearer tokens, changes since a cursor, one report in full, idempotent acknowledge."""

from sqlalchemy import select

from asb_domain.references import format_reference
from tests.webapp.factories import submitted
from webapp.api.tokens import create_token, revoke_token
from webapp.extensions import db
from webapp.models import AuditEvent


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_without_a_token_the_api_answers_401_and_reveals_nothing(client, policy):
    report = submitted(policy)
    for path in (
        "/api/v1/reports",
        f"/api/v1/reports/{format_reference(report.reference)}",
        "/api/v1/reports/000-000-000",
    ):
        response = client.get(path)
        assert response.status_code == 401
        assert response.get_json() == {"error": "unauthorized"}
    assert client.post(f"/api/v1/reports/{report.reference}/acknowledge").status_code == 401
    assert client.get("/api/v1/reports", headers=bearer("asb_made_up")).status_code == 401


def test_a_revoked_token_stops_working(client, policy):
    token = create_token("salesforce")
    assert client.get("/api/v1/reports", headers=bearer(token)).status_code == 200
    revoke_token("salesforce")
    assert client.get("/api/v1/reports", headers=bearer(token)).status_code == 401


def test_reports_changed_since_a_cursor(client, policy):
    token = create_token("crm")
    first = submitted(policy, contact_phone="07700 900001", address="1 A St")
    page = client.get("/api/v1/reports", headers=bearer(token)).get_json()
    assert [r["reference"] for r in page["reports"]] == [format_reference(first.reference)]
    second = submitted(policy, contact_phone="07700 900002", address="2 B St")
    page = client.get(f"/api/v1/reports?since={page['next_cursor']}", headers=bearer(token)).get_json()
    assert [r["reference"] for r in page["reports"]] == [format_reference(second.reference)]
    assert client.get("/api/v1/reports?since=nonsense", headers=bearer(token)).status_code == 400


def test_one_report_has_everything_staff_see(client, policy):
    token = create_token("crm")
    report = submitted(policy, case_type="hate_crime")
    body = client.get(f"/api/v1/reports/{report.reference}", headers=bearer(token)).get_json()
    assert body["reference"] == format_reference(report.reference)
    assert body["priority"] == "high" and body["flags"]["hate"] is True
    assert len(body["ram"]["answers"]) == 14
    assert body["contact"]["phone"] == "07700 900123"
    actions = [e.action for e in db.session.scalars(select(AuditEvent))]
    assert actions == ["api_view"]


def test_acknowledge_is_recorded_and_a_repeat_is_harmless(client, policy):
    token = create_token("crm")
    report = submitted(policy)
    url = f"/api/v1/reports/{format_reference(report.reference)}/acknowledge"
    first = client.post(url, headers=bearer(token), json={"by": "Officer Jones"}).get_json()
    again = client.post(url, headers=bearer(token), json={"by": "Someone else"}).get_json()
    assert first["already_acknowledged"] is False and again["already_acknowledged"] is True
    assert again["acknowledged_at"] == first["acknowledged_at"]
    assert again["acknowledged_by"] == "Officer Jones"
    assert [e.kind for e in report.events] == ["submitted", "acknowledged"]


def test_the_openapi_document_is_served(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {"/reports", "/reports/{reference}", "/reports/{reference}/acknowledge"}

"""POST /api/v1/reports: the bot hands a finished report to the same queue as the web form."""

from __future__ import annotations

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import OutboundMessage, Report

SERVICE = "service-token-for-tests"


def chat_report(**changes) -> dict:
    body = {
        "submission_key": "chat:web-abc:1",
        "channel": "chat",
        "language": "en",
        "description": "he shouts at me about my wheelchair every time i pass",
        "triage_outcome": "asb",
        "asb_signs": ["targeted"],
        "case_type": "hate_crime",
        "incident_when": "every day",
        "location": "the landing",
        "address": "Flat 2, 1 River Road",
        "postcode": "AB1 2CD",
        "contact": {"no_contact": False, "phone": "07700900123", "text_safe": True, "safe_times": "evenings"},
        "consent_to_share": True,
        "ram": {
            "q1_frequency": {"options": ["daily"], "details": "pretty much every day"},
            "q8_identity": {"options": ["yes"], "details": "he shouts at me about my wheelchair"},
            "q6_other_agencies": {"options": ["yes"], "consent": True},
        },
    }
    body.update(changes)
    return body


def post(client, body, token=SERVICE):
    return client.post("/api/v1/reports", json=body, headers={"Authorization": f"Bearer {token}"})


def test_a_chat_report_joins_the_queue_scored_by_the_domain_core(app, client, policy):
    app.config["ASB_SERVICE_TOKEN"] = SERVICE
    response = post(client, chat_report())
    assert response.status_code == 201
    body = response.get_json()
    report = db.session.scalar(select(Report))
    assert body["reference"].replace("-", "") == report.reference
    assert report.status == "submitted" and report.channel == "chat"
    assert report.ram_total == 5 + 3 + 0  # daily 5, identity yes 3, told others 0; the rest skipped
    assert report.priority == "high" and "hate" in report.flags
    assert report.handling_role == "tenancy_enforcement_manager"
    assert body["acknowledge_by"] == report.acknowledge_by.isoformat()
    assert body["hear_by"]  # in the resident's language, for the bot to say
    # The same discreet confirmation text as the web form, where a text is safe.
    assert db.session.scalar(select(OutboundMessage)).dedupe_key == f"confirmation:{report.reference}"


def test_the_same_report_sent_twice_is_stored_once(app, client):
    app.config["ASB_SERVICE_TOKEN"] = SERVICE
    first = post(client, chat_report())
    again = post(client, chat_report())
    assert first.status_code == 201 and again.status_code == 200
    assert again.get_json()["reference"] == first.get_json()["reference"]
    assert again.get_json()["created"] is False
    assert len(db.session.scalars(select(Report)).all()) == 1


def test_only_the_service_token_may_submit(app, client):
    app.config["ASB_SERVICE_TOKEN"] = SERVICE
    from webapp.api.tokens import create_token

    crm = create_token("crm")
    assert post(client, chat_report(), token=crm).status_code == 403
    assert post(client, chat_report(), token="wrong").status_code == 401
    assert client.post("/api/v1/reports", json=chat_report()).status_code == 401
    assert db.session.scalars(select(Report)).all() == []


def test_no_service_token_configured_means_no_one_may_submit(app, client):
    app.config["ASB_SERVICE_TOKEN"] = None
    assert post(client, chat_report(), token="").status_code == 401


def test_a_body_that_breaks_the_schema_or_the_policy_is_refused_and_nothing_is_stored(app, client):
    app.config["ASB_SERVICE_TOKEN"] = SERVICE
    assert post(client, chat_report(case_type="not_a_case_type")).status_code == 400
    assert post(client, chat_report(ram={"q1_frequency": {"options": ["hourly"]}})).status_code == 400
    assert post(client, chat_report(description="")).status_code == 400
    assert post(client, chat_report(surprise=True)).status_code == 400
    assert post(client, "not json").status_code == 400
    assert db.session.scalars(select(Report)).all() == []

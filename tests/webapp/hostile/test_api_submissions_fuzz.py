"""POST /api/v1/reports (the bot's hand-over, with the service token) fuzzed by schemathesis from its own
schema, REPORT_IN: bodies that fit it and bodies that break it. Never a 500; a refused body stores nothing; an
accepted one is a whole report on the queue, never a half-record (a draft, or a report without its score).

tests/webapp/api/test_openapi_contract.py already runs schemathesis over every operation against the
document; this run is the submissions' own, on SQLite and PostgreSQL, and looks at the store after each call.
"""

from __future__ import annotations

import schemathesis
from hypothesis import given, note
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy import func, select

from tests.webapp.hostile.hostile import FUZZ, strings_in
from webapp.api.tokens import create_token
from webapp.extensions import db
from webapp.models import AuditEvent, CaseEvent, RamAnswer, Report

SERVICE = "service-token-for-the-submissions-fuzz"


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def submit_operation(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    schema.config.base_url = "/api/v1"
    [operation] = [
        op.ok() for op in schema.get_all_operations() if (op.ok().method.upper(), op.ok().path) == ("POST", "/reports")
    ]
    return operation


def check_the_store_after(case, response, reports_before: int) -> None:
    db.session.expire_all()
    assert count(Report, Report.status == "draft") == 0, "the API left a draft"
    body = case.body if isinstance(case.body, dict) else {}
    if response.status_code == 201:
        key = body["submission_key"].replace("\x00", "")  # NUL is left out of what is stored
        report = db.session.scalar(select(Report).where(Report.submission_key == key))
        assert report is not None and report.status == "submitted" and report.reference
        assert report.ram_total is not None and report.priority and report.acknowledge_by
        assert count(RamAnswer, RamAnswer.report_id == report.id) == 14
        assert count(CaseEvent, CaseEvent.report_id == report.id, CaseEvent.kind == "submitted") == 1
        assert report.description == body["description"].replace("\x00", "")
        assert all("\x00" not in value for value in strings_in(report.draft))
        assert count(Report) == reports_before + 1
    else:
        assert count(Report) == reports_before, f"{response.status_code} but something was stored"


def test_hypothesis_bodies_for_report_submissions_never_make_a_500_or_a_half_record(app):
    app.config["ASB_SERVICE_TOKEN"] = SERVICE
    operation = submit_operation(app)
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

        @FUZZ
        @given(case=operation.as_strategy(generation_mode=mode))
        def fuzz(case):
            note(repr(case.body)[:2000])
            before = count(Report)
            # Every check schemathesis has (no 5xx, responses as documented, negative data refused...), less
            # "positive data accepted": a body can fit the schema and still break the policy (a case type it
            # does not have), which is a documented 400.
            response = case.call_and_validate(
                headers={"Authorization": f"Bearer {SERVICE}"}, excluded_checks=[positive_data_acceptance]
            )
            assert response.status_code < 500
            check_the_store_after(case, response, before)

        fuzz()


def test_hypothesis_bodies_with_a_crm_token_or_none_store_nothing(app):
    app.config["ASB_SERVICE_TOKEN"] = SERVICE
    crm = create_token("crm")
    operation = submit_operation(app)

    @FUZZ
    @given(case=operation.as_strategy())
    def fuzz(case):
        for headers, status in (({"Authorization": f"Bearer {crm}"}, 403), ({}, 401)):
            response = case.call(headers=headers)
            assert response.status_code == status
        assert count(Report) == 0

    fuzz()
    assert count(AuditEvent) == 0


def test_a_nul_in_a_handed_over_report_is_left_out_not_a_500(app, client):
    # Found by the fuzzing above: a NUL in any text was a 500 on PostgreSQL (a text column cannot hold one).
    app.config["ASB_SERVICE_TOKEN"] = SERVICE
    body = {
        "submission_key": "chat:nul\x00:1",
        "channel": "chat",
        "language": "en",
        "description": "music\x00 every night",
        "location": "\x00",
        "ram": {"q2_linked": {"options": ["yes"], "details": "same\x00 people"}},
    }
    response = client.post("/api/v1/reports", json=body, headers={"Authorization": f"Bearer {SERVICE}"})
    assert response.status_code == 201, response.get_json()
    report = db.session.scalar(select(Report))
    assert (report.submission_key, report.description, report.location) == ("chat:nul:1", "music every night", "")
    assert [a.details for a in report.answers if a.question_id == "q2_linked"] == ["same people"]
    only_nul = client.post(
        "/api/v1/reports",
        json={**body, "submission_key": "k2", "description": "\x00"},
        headers={"Authorization": f"Bearer {SERVICE}"},
    )
    assert only_nul.status_code == 400  # nothing left of it: refused as empty, like the web form
    assert count(Report) == 1


def test_a_crm_acknowledging_with_a_huge_or_nul_name_gets_a_400_not_a_500(app, client, policy):
    # acknowledged_by holds 120 characters: a longer "by" was a 500 on PostgreSQL, and a NUL anywhere.
    from tests.webapp.factories import submitted

    report = submitted(policy)
    headers = {"Authorization": f"Bearer {create_token('crm')}"}
    url = f"/api/v1/reports/{report.reference}/acknowledge"
    for by in ("x" * 121, "Jo\x00 Smith", 42, ["Jo"]):
        response = client.post(url, json={"by": by}, headers=headers)
        assert response.status_code == 400, (by, response.status_code)
        assert response.get_json() == {"error": "by must be a name of at most 120 characters"}
    db.session.expire_all()
    assert db.session.get(Report, report.id).acknowledged_at is None
    ok = client.post(url, json={"by": "x" * 120}, headers=headers)
    assert ok.status_code == 200 and ok.get_json()["acknowledged_by"] == "x" * 120


def test_a_conversation_number_past_a_32_bit_integer_is_no_conversation_not_a_500(app, client):
    # Found by the fuzzing above: "sms-800417149009" fits the schema's 12 digits, and was "integer out of
    # range" on PostgreSQL, for the report and the diary hand-over alike.
    app.config["ASB_SERVICE_TOKEN"] = SERVICE
    headers = {"Authorization": f"Bearer {SERVICE}"}
    body = {"submission_key": "sms:big", "channel": "sms", "language": "en", "description": "noise at night"}
    response = client.post("/api/v1/reports", json={**body, "sms_conversation": "sms-800417149009"}, headers=headers)
    assert response.status_code == 201
    assert db.session.scalar(select(Report)).contact_phone is None
    diary = client.post(
        "/api/v1/diary", json={"sms_conversation": "sms-999999999999", "what_happened": "again"}, headers=headers
    )
    assert diary.status_code == 404 and diary.get_json() == {"error": "no open case for this number"}

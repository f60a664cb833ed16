"""Legal hold on the staff report page, on SQLite and PostgreSQL: set with a reason, released, audited, and only
by admins and the tenancy enforcement manager."""

from __future__ import annotations

from sqlalchemy import select

from asb_domain.references import format_reference
from tests.webapp.factories import sign_in, staff, submitted
from tests.webapp.journey import CSRF
from webapp.extensions import db
from webapp.models import AuditEvent, Report


def post(client, ref, path, data=None):
    token = CSRF.search(client.get(f"/staff/reports/{ref}").get_data(as_text=True)).group(1)
    return client.post(f"/staff/reports/{ref}/{path}", data={"csrf_token": token, **(data or {})})


def audit_of(report, *actions):
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.report_id == report.id).order_by(AuditEvent.id))
    return [(a.actor, a.action, a.detail) for a in rows if a.action in actions]


def test_a_tenancy_enforcement_manager_holds_a_report_for_legal_proceedings_and_releases_it_audited(client, policy):
    staff(policy, "tem", role="tenancy_enforcement_manager")
    report = submitted(policy, case_type="harassment")
    ref = format_reference(report.reference)
    sign_in(client, "tem")
    page = client.get(f"/staff/reports/{ref}").get_data(as_text=True)
    assert "Hold for legal proceedings" in page and 'id="legal-hold"' not in page

    post(client, ref, "legal-hold", {"reason": "Injunction hearing, County Court"})

    report = db.session.get(Report, report.id)
    assert report.legal_hold is True and report.legal_hold_reason == "Injunction hearing, County Court"
    page = client.get(f"/staff/reports/{ref}").get_data(as_text=True)
    assert 'id="legal-hold"' in page and "Injunction hearing, County Court" in page
    assert "Release the legal hold" in page
    assert [e.kind for e in report.events][-1] == "legal_hold"

    post(client, ref, "legal-hold/release")

    report = db.session.get(Report, report.id)
    assert report.legal_hold is False and report.legal_hold_reason is None
    assert audit_of(report, "legal_hold", "legal_hold_release") == [
        ("staff:tem", "legal_hold", "set"),
        ("staff:tem", "legal_hold_release", None),
    ]
    assert "Injunction" not in str(audit_of(report, "legal_hold"))  # the audit log never holds the words


def test_an_admin_may_hold_a_closed_report(client, policy):
    from tests.webapp.privacy.helpers import close

    staff(policy, "boss", role="admin")
    report = close(policy, submitted(policy))
    ref = format_reference(report.reference)
    sign_in(client, "boss")
    post(client, ref, "legal-hold", {"reason": "Possession claim"})
    assert db.session.get(Report, report.id).legal_hold is True


def test_only_admins_and_tenancy_enforcement_managers_may_set_or_release_a_legal_hold(client, policy):
    staff(policy, "chm", role="community_housing_manager")
    report = submitted(policy)  # noise: the community housing manager's own case
    ref = format_reference(report.reference)
    sign_in(client, "chm")
    page = client.get(f"/staff/reports/{ref}").get_data(as_text=True)
    assert "Hold for legal proceedings" not in page

    assert post(client, ref, "legal-hold", {"reason": "I would like to"}).status_code == 403
    assert db.session.get(Report, report.id).legal_hold is False
    report.legal_hold = True
    db.session.commit()
    assert post(client, ref, "legal-hold/release").status_code == 403
    assert db.session.get(Report, report.id).legal_hold is True
    assert audit_of(report, "view_denied") == [("staff:chm", "view_denied", "legal hold")] * 2


def test_a_legal_hold_needs_a_reason(client, policy):
    staff(policy, "tem", role="tenancy_enforcement_manager")
    report = submitted(policy, case_type="harassment")
    ref = format_reference(report.reference)
    sign_in(client, "tem")
    response = post(client, ref, "legal-hold", {"reason": "  "})
    assert response.status_code == 302
    assert db.session.get(Report, report.id).legal_hold is False
    page = client.get(f"/staff/reports/{ref}").get_data(as_text=True)
    assert "give the reason" in page

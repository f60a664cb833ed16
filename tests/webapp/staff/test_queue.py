"""Staff: sign in, see the queue their role handles in order, open a report, act on it; every view audited."""

from sqlalchemy import select

from asb_domain.references import format_reference
from tests.domain.factories import quiet_answers
from tests.webapp.factories import sign_in, staff, submitted
from tests.webapp.journey import CSRF, answer, location
from webapp.extensions import db
from webapp.models import AuditEvent, Report


def test_staff_pages_need_a_sign_in(client):
    assert location(client.get("/staff/")).startswith("/staff/login")


def test_a_wrong_password_is_refused_and_five_lock_the_account(client, policy):
    staff(policy)
    page = sign_in(client, password="wrong password!").get_data(as_text=True)
    assert "The username or password is not right." in page
    for _ in range(4):
        sign_in(client, password="wrong password!")
    page = sign_in(client).get_data(as_text=True)  # even the right password, while locked
    assert "This account is locked" in page


def test_the_queue_shows_high_priority_first_then_earliest_date_for_the_role(client, policy):
    staff(policy, "admin", role="admin")
    low = submitted(policy, contact_phone="07700 900001", address="1 A St")
    high = submitted(policy, case_type="harassment", contact_phone="07700 900002", address="2 B St")
    medium = submitted(
        policy,
        contact_phone="07700 900003",
        address="3 C St",
        answers=quiet_answers()
        | {
            "q1_frequency": "daily",
            "q2_linked": "yes",
            "q3_worsening": "yes",
            "q7_targeted": "you",
            "q10_affected": "a_lot",
        },
    )
    sign_in(client, "admin")
    html = client.get("/staff/").get_data(as_text=True)
    order = [html.index(format_reference(r.reference)) for r in (high, medium, low)]
    assert order == sorted(order)
    assert "due today" in html


def test_each_role_sees_only_the_reports_it_handles(client, app, policy):
    staff(policy, "chm", role="community_housing_manager")
    staff(policy, "tem", role="tenancy_enforcement_manager")
    noise = submitted(policy, contact_phone="07700 900001", address="1 A St")
    hate = submitted(policy, case_type="hate_crime", contact_phone="07700 900002", address="2 B St")
    sign_in(client, "chm")
    html = client.get("/staff/").get_data(as_text=True)
    assert format_reference(noise.reference) in html and format_reference(hate.reference) not in html
    assert client.get(f"/staff/reports/{format_reference(hate.reference)}").status_code == 403
    other = app.test_client()
    sign_in(other, "tem")
    html = other.get("/staff/").get_data(as_text=True)
    assert format_reference(hate.reference) in html and format_reference(noise.reference) not in html


def test_the_report_page_shows_contact_safety_first_and_every_score(client, policy):
    staff(policy, "admin", role="admin")
    report = submitted(
        policy,
        answers=quiet_answers() | {"q5_history": "harassing_now"},
        description="Stamping at 3am",
        safe_times="after 6pm",
    )
    sign_in(client, "admin")
    html = client.get(f"/staff/reports/{format_reference(report.reference)}").get_data(as_text=True)
    assert html.index("Contact: is it safe?") < html.index("Risk Assessment Matrix")
    assert "after 6pm" in html
    assert 'id="ram-total">8<' in html
    assert "The resident says they are being harassed now." in html
    assert "Stamping at 3am" in html


def test_acknowledging_records_who_and_when_and_is_audited(client, policy):
    staff(policy)
    report = submitted(policy, case_type="harassment")
    sign_in(client)
    ref = format_reference(report.reference)
    page = client.get(f"/staff/reports/{ref}").get_data(as_text=True)
    token = CSRF.search(page).group(1)
    client.post(f"/staff/reports/{ref}/acknowledge", data={"csrf_token": token})
    stored = db.session.scalars(select(Report)).one()
    assert stored.acknowledged_by == "tem" and stored.acknowledged_at is not None
    assert stored.status == "acknowledged"
    actions = [e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.report_id == report.id))]
    assert actions == ["view_report", "acknowledge"]


def test_assign_note_and_close_are_kept_in_the_history(client, policy):
    staff(policy, "admin", role="admin")
    report = submitted(policy)
    sign_in(client, "admin")
    ref = format_reference(report.reference)
    answer(client, f"/staff/reports/{ref}", {})  # loads page for its token; the POST below uses it
    token = CSRF.search(client.get(f"/staff/reports/{ref}").get_data(as_text=True)).group(1)
    client.post(f"/staff/reports/{ref}/assign", data={"csrf_token": token, "officer": "admin"})
    client.post(f"/staff/reports/{ref}/note", data={"csrf_token": token, "note": "Called the resident"})
    client.post(
        f"/staff/reports/{ref}/close",
        data={"csrf_token": token, "closure_code": "resolved", "reason": "Mediation worked"},
    )
    stored = db.session.scalars(select(Report)).one()
    assert stored.assigned_to == "admin"
    assert stored.status == "closed_resolved" and stored.closed_reason == "Mediation worked"
    assert stored.closure_code == "resolved"
    assert [e.kind for e in stored.events] == ["submitted", "assigned", "note", "closed"]


def test_the_queue_exports_as_csv(client, policy):
    staff(policy, "admin", role="admin")
    report = submitted(policy)
    sign_in(client, "admin")
    response = client.get("/staff/queue.csv")
    assert response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert body.splitlines()[0].startswith("reference,status")
    assert format_reference(report.reference) in body


def test_a_phone_report_goes_through_the_same_journey_and_is_recorded_as_phone(client, policy):
    from tests.webapp.journey import full_report

    staff(policy, "cc", role="contact_centre")
    sign_in(client, "cc")
    page = client.get("/staff/phone-report").get_data(as_text=True)
    client.post("/staff/phone-report", data={"csrf_token": CSRF.search(page).group(1)})
    full_report(client, policy, answers=quiet_answers() | {"q5_history": "harassing_now"})
    report = db.session.scalars(select(Report)).one()
    assert report.channel == "phone"
    assert report.ram_total == 8 and report.priority == "high"
    assert report.events[0].actor == "staff:cc"

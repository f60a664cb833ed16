"""A housing officer in Chromium: sign in, the new high-priority report is at the top, open it, acknowledge it."""

from playwright.sync_api import sync_playwright
from sqlalchemy import create_engine, text

from asb_domain.references import format_reference
from tests.domain.factories import quiet_answers
from tests.webapp.browser import LiveServer, axe_violations, launch
from tests.webapp.conftest import make_app
from tests.webapp.factories import staff, submitted


def test_an_officer_acknowledges_the_new_high_priority_report_at_the_top_of_the_queue(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'staff.sqlite3'}"
    app = make_app(db_url)
    with app.app_context():
        policy = app.extensions["asb_policy"]
        staff(policy, "officer", role="admin")
        submitted(policy, contact_phone="07700 900001", address="1 A St")
        urgent = submitted(
            policy,
            answers=quiet_answers() | {"q5_history": "harassing_now"},
            contact_phone="07700 900002",
            address="2 B St",
        )
        reference = format_reference(urgent.reference)
    with LiveServer(app) as server, sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.goto(f"{server.url}/staff/")
        assert "/staff/login" in page.url
        assert axe_violations(page) == []
        page.fill("#username", "officer")
        page.fill("#password", "correct horse battery")
        page.click("button[type=submit]")
        first_row = page.locator("#queue tbody tr").first
        assert first_row.get_attribute("data-reference") == reference
        assert "high" in first_row.inner_text()
        assert axe_violations(page) == []
        first_row.locator("a").click()
        assert page.locator("#ram-total").inner_text() == "8"
        assert axe_violations(page) == []
        page.click("#acknowledge")
        assert page.locator("#acknowledged-by").inner_text() == "officer"
        browser.close()
    engine = create_engine(db_url)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT status, acknowledged_by FROM reports WHERE reference = :r"), {"r": reference.replace("-", "")}
        ).one()
        audits = conn.execute(text("SELECT action FROM audit_events ORDER BY id")).scalars().all()
    engine.dispose()
    assert tuple(row) == ("acknowledged", "officer")
    assert audits == ["login", "view_queue", "view_report", "acknowledge", "view_report"]

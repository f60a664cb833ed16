"""The whole web report in real Chromium, in English, Urdu, Arabic and Romanian, with axe-core on every page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.webapp.browser import LiveServer, axe_violations
from tests.webapp.conftest import make_app

# Answers giving a known score: daily 5 + harassing now 6 + a little 1 = 12, low band, high priority (override).
RAM_CHOICES = {
    1: "daily",
    2: "no",
    3: "no",
    4: "not_known",
    5: "harassing_now",
    6: "yes",
    7: "none",
    8: "no",
    9: "no",
    10: "a_little",
    11: None,
    12: "no",
    13: "close_network",
    14: None,
}


@pytest.fixture
def live(tmp_path):
    db_file = tmp_path / "browser.sqlite3"
    app = make_app(f"sqlite:///{db_file}")
    with LiveServer(app) as server:
        server.db_url = f"sqlite:///{db_file}"
        server.app = app
        yield server


class Resident:
    """Drives the page and checks each page it meets with axe."""

    def __init__(self, page, name: str):
        self.page = page
        self.name = name
        self.checked: list[str] = []
        self.shots = Path(os.environ["SCREENSHOT_DIR"]) if os.environ.get("SCREENSHOT_DIR") else None

    def check_page(self, label: str):
        violations = axe_violations(self.page)
        assert violations == [], f"{self.name} {label}: {violations}"
        self.checked.append(label)
        if self.shots:
            self.shots.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(
                path=str(self.shots / f"{self.name}-{len(self.checked):02d}-{label}.png"), full_page=True
            )

    def submit(self):
        self.page.locator("main form button.govuk-button").click()
        self.page.wait_for_load_state()

    def error_state(self, label: str):
        """Send the page empty, see the error summary take focus, and check it with axe."""
        self.submit()
        summary = self.page.locator(".govuk-error-summary")
        assert summary.is_visible()
        assert self.page.title().startswith(("Error:", self.page.title().split(" ")[0]))
        self.check_page(f"{label}-error")


def report_in_browser(resident: Resident, base: str, lang: str, description: str):
    page = resident.page
    page.goto(f"{base}/?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    resident.check_page("start")
    page.locator(".govuk-button--start").click()

    assert page.url.endswith("/report/danger")
    resident.check_page("danger")
    resident.error_state("danger")
    page.check("input[name=danger][value=no]")
    resident.submit()

    assert page.url.endswith("/report/what")
    resident.check_page("what")
    resident.error_state("what")
    page.fill("textarea[name=description]", description)
    resident.submit()

    assert page.url.endswith("/report/type"), page.url
    resident.check_page("type")
    page.check("input[name=case_type][value=noise]")
    resident.submit()

    assert page.url.endswith("/report/when")
    resident.check_page("when")
    page.fill("textarea[name=incident_when]", "23:00-03:00")
    resident.submit()

    resident.check_page("where")
    page.fill("textarea[name=location]", "Flat 4")
    page.fill("textarea[name=address]", "Flat 3, 12 High Street")
    page.fill("input[name=postcode]", "not a postcode")
    resident.submit()
    resident.check_page("where-error")
    assert page.input_value("textarea[name=location]") == "Flat 4"  # kept through the error
    page.fill("input[name=postcode]", "AB1 2CD")
    resident.submit()

    resident.check_page("who")
    resident.submit()

    for number, choice in RAM_CHOICES.items():
        assert page.url.endswith(f"/report/ram/{number}"), page.url
        resident.check_page(f"ram-{number}")
        if choice is None:
            pass  # several answers can apply; none ticked means none
        else:
            if number == 1:
                resident.error_state("ram-1")
            page.check(f"input[name=answer][value={choice}]")
        resident.submit()

    resident.check_page("about-you")
    page.check("input[name=relationship][value=self]")
    resident.submit()

    resident.check_page("contact")
    page.check("input[name=contact][value=yes]")
    page.fill("input[name=contact_phone]", "07700 900123")
    resident.submit()

    resident.check_page("contact-safety")
    page.check("input[name=methods][value=text]")
    page.check("input[name=periods][value=evenings]")
    resident.submit()

    resident.check_page("updates")  # every 2 weeks is already chosen
    resident.submit()

    resident.check_page("consent")
    page.check("input[name=consent][value=yes]")
    resident.submit()

    assert page.url.endswith("/report/check")
    resident.check_page("check")
    assert page.locator(".govuk-summary-list__row").count() >= 14 + 6
    resident.submit()

    assert page.url.endswith("/report/confirmation")
    resident.check_page("confirmation")
    return page.locator(".govuk-panel__body strong").inner_text()


def queue_row(db_url: str, reference: str):
    engine = create_engine(db_url)
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT ram_total, risk_level, priority, handling_role, category, case_type, language, "
                "acknowledge_by, channel FROM reports WHERE reference = :ref"
            ),
            {"ref": reference.replace("-", "")},
        ).one()
    engine.dispose()
    return row


@pytest.mark.parametrize(
    ("lang", "description"),
    [
        ("en", "Loud music every night until 3am from the flat above"),
        ("ur", "اوپر والے فلیٹ سے ہر رات تین بجے تک اونچی آواز میں موسیقی"),
        ("ar", "موسيقى عالية جداً كل ليلة حتى الساعة الثالثة فجراً من الشقة التي فوقنا"),
        ("ro", "Muzică foarte tare în fiecare noapte până la 3 dimineața de la apartamentul de deasupra"),
    ],
)
def test_a_resident_reports_from_start_to_confirmation_in_chromium_and_the_queue_has_the_row(
    live, browser, lang, description
):
    page = browser.new_page(viewport={"width": 320, "height": 640})
    resident = Resident(page, lang)
    reference = report_in_browser(resident, live.url, lang, description)

    assert page.locator("html").get_attribute("dir") == ("rtl" if lang in ("ur", "ar") else "ltr")
    row = queue_row(live.db_url, reference)
    assert row.ram_total == 12
    assert row.risk_level == "low"
    assert row.priority == "high"
    assert row.handling_role == "community_housing_manager"
    assert (row.category, row.case_type, row.language, row.channel) == ("nuisance", "noise", lang, "web")
    assert row.acknowledge_by is not None
    sent = live.app.extensions["outbound_sender"].sent
    assert len(sent) == 1 and reference in sent[0].body
    assert len(resident.checked) >= 30


def test_the_exit_button_leaves_with_three_shift_presses(live, browser):
    page = browser.new_page()
    page.goto(f"{live.url}/report/danger")
    page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")
    page.locator("legend").first.click()
    # No network here: seeing the browser set off for the neutral site is enough.
    with page.expect_request("https://www.bbc.co.uk/**", timeout=5000) as leaving:
        for _ in range(3):
            page.keyboard.press("Shift")
    assert leaving.value.redirected_from.url == f"{live.url}/leave"


def test_the_session_timeout_warns_two_minutes_ahead_and_can_be_extended(live, browser):
    page = browser.new_page()
    page.clock.install()
    page.goto(f"{live.url}/report/danger")
    warning = page.locator("[data-timeout-warning]")
    assert warning.is_hidden()
    page.clock.fast_forward("27:59")
    assert warning.is_hidden()
    page.clock.fast_forward("00:02")
    assert warning.is_visible()
    assert axe_violations(page) == []
    with page.expect_response("**/report/keep-alive") as kept:
        page.locator("[data-timeout-stay]").click()
    assert kept.value.status == 204
    assert warning.is_hidden()


def test_the_report_works_with_javascript_switched_off(live, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live.url}/report/danger")
    page.check("input[name=danger][value=no]")
    page.locator("main form button.govuk-button").click()
    assert page.url.endswith("/report/what")
    context.close()

"""In Chromium: a resident adds diary entries, one with a photo; the officer sees them in order and prints the sheet."""

from __future__ import annotations

import os
import re
from pathlib import Path

from asb_domain.references import format_reference
from tests.webapp.browser import LiveServer, axe_violations
from tests.webapp.conftest import make_app
from tests.webapp.diary.test_diary import png_bytes
from tests.webapp.factories import staff, submitted


def test_a_resident_adds_a_diary_entry_with_a_photo_and_the_officer_sees_it_in_order(tmp_path, browser):
    app = make_app(f"sqlite:///{tmp_path / 'diary.sqlite3'}")
    app.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")
    with app.app_context():
        policy = app.extensions["asb_policy"]
        staff(policy, "officer", role="admin")
        reference = format_reference(submitted(policy).reference)
    photo = tmp_path / "broken-window.png"
    photo.write_bytes(png_bytes())
    shots = Path(os.environ["SCREENSHOT_DIR"]) if os.environ.get("SCREENSHOT_DIR") else None
    with LiveServer(app) as server:
        page = browser.new_page(viewport={"width": 360, "height": 740})
        entries = [("Music and banging until 3am", False), ("They threw a bottle at my window", True)]
        for number, (what, with_photo) in enumerate(entries, start=1):
            page.goto(f"{server.url}/diary")
            assert axe_violations(page) == []
            page.get_by_label("Your reference number").fill(reference)
            page.get_by_role("button", name="Text me a code").click()
            code = re.search(r"\b(\d{6})\b", app.extensions["outbound_sender"].sent[-1].body).group(1)
            page.get_by_label("The code we texted you").fill(code)
            page.get_by_role("button", name="Continue").click()
            assert axe_violations(page) == []
            page.get_by_label("When did it happen?").fill(f"Night {number}, about 2am")
            page.get_by_label("What happened?").fill(what)
            page.get_by_label("No", exact=True).check()
            if with_photo:
                page.set_input_files("input[type=file]", str(photo))
            if shots:
                page.screenshot(path=str(shots / f"diary-entry-{number}.png"), full_page=True)
            page.get_by_role("button", name="Add to my diary").click()
            assert f"Entry number {number}" in page.inner_text("main")
            assert axe_violations(page) == []

        officer = browser.new_page()
        officer.goto(f"{server.url}/staff/login")
        officer.fill("#username", "officer")
        officer.fill("#password", "correct horse battery")
        officer.click("button[type=submit]")
        officer.goto(f"{server.url}/staff/reports/{reference}")
        diary = officer.locator(".app-diary-entry")
        assert diary.count() == 2
        assert "Music and banging until 3am" in diary.nth(0).inner_text()
        assert "They threw a bottle at my window" in diary.nth(1).inner_text()
        evidence = diary.nth(1).get_by_role("link", name=re.compile("image evidence"))
        response = officer.request.get(server.url + evidence.get_attribute("href"))
        assert response.status == 200 and response.body() == png_bytes()
        officer.click("text=Printable diary sheet")
        sheet = officer.inner_text("body")
        assert "hash chain verified" in sheet
        assert sheet.index("Music and banging") < sheet.index("They threw a bottle")
        if shots:
            officer.emulate_media(media="print")
            officer.screenshot(path=str(shots / "diary-sheet.png"), full_page=True)

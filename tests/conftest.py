import pytest


@pytest.fixture
def browser():
    """Debian's Chromium, driven by Playwright: one per test (imported here, so the bot's Python needs neither)."""
    from playwright.sync_api import sync_playwright

    from tests.webapp.browser import launch

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()

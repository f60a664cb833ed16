import pytest

from tests.webapp.privacy.helpers import at_noon


@pytest.fixture(autouse=True)
def privacy_app(app, tmp_path, monkeypatch):
    """Evidence files in the test's own folder, messages sent at once, and no tracker unless a test gives one."""
    app.config["EVIDENCE_DIR"] = str(tmp_path / "evidence")
    at_noon(app)
    monkeypatch.delenv("RASA_TRACKER_DB", raising=False)
    return app

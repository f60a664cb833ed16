"""Every resident-facing string is in the catalogs, and translated into every language the web speaks."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from webapp.i18n import LANGUAGES

REPO = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def msgids(path: Path) -> set[str]:
    with path.open("rb") as f:
        return {m.id for m in read_po(f) if m.id}


def test_the_committed_template_holds_every_string_in_the_code_templates_and_policy(tmp_path):
    fresh = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [
            str(pybabel),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(fresh),
            ".",  # babel.cfg's patterns are relative to the repo; hidden folders (.venv) are skipped
        ],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    found = msgids(fresh)
    assert "Is anyone in immediate danger right now?" in found and "Every day" in found  # code and policy both read
    missing = found - msgids(REPO / "translations" / "messages.pot")
    assert not missing, f"run `make messages` and translate: {sorted(missing)[:5]}"


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "en"])
def test_every_string_is_translated_with_its_placeholders(lang):
    with (REPO / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    expected = msgids(REPO / "translations" / "messages.pot")
    untranslated = [m.id for m in catalog if m.id in expected and not m.string]
    assert untranslated == []
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert fuzzy == [], "a fuzzy translation is a guess: check it, then remove the fuzzy flag"
    assert expected <= {m.id for m in catalog if m.id}
    broken = [
        m.id for m in catalog if m.id and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))
    ]
    assert broken == []

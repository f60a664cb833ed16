"""The bot's words, from the same Babel catalogs as the web (translations/<lang>/LC_MESSAGES/messages.mo).

`t(lang, "English text", name=value)` looks the text up in the resident's
language (English where a string is not translated yet) and fills in its
`%(name)s` placeholders, exactly as flask-babel does on the web. `make messages`
extracts these calls (keyword `t:2`) into translations/messages.pot.
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path

TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "translations"
DEFAULT_LANGUAGE = "en"


@lru_cache(maxsize=16)
def catalog(lang: str) -> gettext.NullTranslations:
    return gettext.translation("messages", str(TRANSLATIONS_DIR), languages=[lang], fallback=True)


def languages() -> list[str]:
    """The languages with a compiled catalog, and English."""
    found = {p.parent.parent.name for p in TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.mo")}
    return sorted(found | {DEFAULT_LANGUAGE})


def t(lang: str, message: str, **values) -> str:
    text = catalog(lang or DEFAULT_LANGUAGE).gettext(message)
    return text % values if values else text


def policy_text(lang: str, text: str | None) -> str:
    """The policy's own English words (labels, reasons, questions) in the resident's language."""
    return catalog(lang or DEFAULT_LANGUAGE).gettext(text) if text else ""

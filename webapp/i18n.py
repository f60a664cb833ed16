"""Languages: the locale of each request, text direction, and the policy's words through Babel.

Resident-facing text lives once, in the Babel catalogs under translations/:
the web, the bot and SMS all read them. The policy's own words (RAM questions,
reasons, advice) are extracted from the policy YAML into the same catalogs by
`extract_policy` (see babel.cfg), and looked up with `policy_text`.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from flask import request, session
from flask_babel import Babel, gettext

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"

# Each language the service speaks: its own name for itself, its English name (for staff), and its direction.
# Adding one: see "Adding a language" in the README.
LANGUAGES = {
    "en": {"name": "English", "english": "English", "dir": "ltr"},
    "pl": {"name": "Polski", "english": "Polish", "dir": "ltr"},
    "ro": {"name": "Română", "english": "Romanian", "dir": "ltr"},
    "pt": {"name": "Português", "english": "Portuguese", "dir": "ltr"},
    "es": {"name": "Español", "english": "Spanish", "dir": "ltr"},
    "ar": {"name": "العربية", "english": "Arabic", "dir": "rtl"},
    "ur": {"name": "اردو", "english": "Urdu", "dir": "rtl"},
}

babel = Babel()


def select_locale() -> str:
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    return request.accept_languages.best_match(list(LANGUAGES)) or "en"


def text_direction(lang: str) -> str:
    return LANGUAGES.get(lang, LANGUAGES["en"])["dir"]


def policy_text(text: str | None) -> str:
    """The policy's English words in the resident's language (English if not yet translated)."""
    return gettext(text) if text else ""


# Keys whose values in the policy file are words a resident or officer reads.
POLICY_TEXT_KEYS = frozenset(
    {
        "label",
        "description",
        "reason",
        "text",
        "details",
        "consent",
        "consent_to_share",
        "consent_to_share_sms",
        "definition",
        "sms_text",
        "sms_label",
    }
)


def extract_policy(fileobj, keywords, comment_tags, options):
    """Babel extractor for the policy YAML: yields its resident-facing strings with their lines."""
    root = yaml.compose(fileobj.read().decode("utf-8"), Loader=yaml.SafeLoader)

    def walk(node, key=None, path=""):
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if path == "" and k.value == "triage":
                    continue  # phrases to match, not words to show
                yield from walk(v, k.value, f"{path}.{k.value}")
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                yield from walk(item, key, path)
        elif isinstance(node, yaml.ScalarNode) and key in POLICY_TEXT_KEYS and node.value.strip():
            yield node.start_mark.line + 1, "gettext", node.value, [f"policy{path}"]

    yield from walk(root)

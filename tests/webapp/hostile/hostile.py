"""What hostile input looks like, and how to tell a page answered it well: no 500, nothing half-stored, and an
error the resident can read in their own language."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache
from urllib.parse import quote_from_bytes

from babel.support import Translations
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from wtforms.i18n import messages_path

from webapp.i18n import TRANSLATIONS_DIR

# Moderate: the suite runs every page on SQLite and PostgreSQL. Function-scoped fixtures (app, client) are
# shared by the examples on purpose: each example looks at what its own request changed.
FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# Characters a reviewer reaches for: NUL and other controls, terminal escapes, bidi overrides and marks, zero
# widths, byte order marks, emoji (with joiners and flags), the euro sign, Polish and Urdu letters, markup,
# SQL, template and format-string syntax, path parts, spreadsheet formulas.
SPICE = [
    "\x00",
    "\x01",
    "\x07",
    "\x08",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\x9b",
    "\u200b",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u2028",
    "\ufeff",
    "\ufffd",
    "😀",
    "👩\u200d👩\u200d👧",
    "🇵🇱",
    "€",
    "zażółć gęślą jaźń",
    "میرا پڑوسی",
    "\r\n",
    "\t",
    "   ",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "{{ 7*7 }}",
    "%s%n%(x)s",
    "../../etc/passwd",
    '=HYPERLINK("http://x")',
    "Loud music",
    "a",
]

_any_text = st.text(max_size=300)  # any code point but lone surrogates: controls, NUL, RTL marks, emoji...
_spiced = st.lists(st.sampled_from(SPICE), max_size=12).map("".join)
# At and over the limits (200, 5000), and over Flask's 500 kB for one field of a multipart post.
_huge = st.builds(
    lambda ch, n: ch * n,
    st.sampled_from(["a", "ł", "😀", " ", "\u202e", "\x00", "<"]),
    st.sampled_from([199, 200, 201, 4999, 5000, 5001, 600_000]),
)
hostile_text = st.one_of(_any_text, _spiced, _any_text, _spiced, _huge)

# Bytes that are not UTF-8 at all, sent as they are or percent-encoded (as a browser would send them).
_not_utf8 = st.sampled_from([b"\xff", b"\xfe\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\x80abc", b"\xf4\x90\x80\x80"])
invalid_utf8 = st.one_of(_not_utf8, _not_utf8.map(lambda b: quote_from_bytes(b).encode()))


def field_value(choices: list[str] | None = None):
    """One field: left out, one value, or the field repeated; for a choice field, sometimes a real choice."""
    single = hostile_text if not choices else st.one_of(st.sampled_from(choices), hostile_text)
    return st.one_of(st.none(), single, st.lists(single, min_size=2, max_size=3))


@st.composite
def hostile_post(draw, fields: dict[str, list[str] | None]):
    """The form data for a page (None: left out), how it is sent, and what becomes of its CSRF token."""
    data = {name: draw(field_value(choices)) for name, choices in fields.items()}
    if draw(st.booleans()):
        data[draw(st.sampled_from(["surprise", "csrf_token2", "__proto__", "a" * 300]))] = draw(hostile_text)
    encoding = draw(st.sampled_from(["urlencoded", "urlencoded", "multipart", "raw"]))
    token = draw(st.sampled_from(["kept", "kept", "kept", "kept", "missing", "wrong", "repeated"]))
    junk = draw(invalid_utf8)
    return {name: value for name, value in data.items() if value is not None}, encoding, token, junk


def send(client, path: str, data: dict, encoding: str, token: str, junk: bytes, real_token: str, **kwargs):
    """POST the data as a browser would (or as no browser would), with the token kept, left out or wrong."""
    data = dict(data)
    if token == "kept":
        data["csrf_token"] = real_token
    elif token == "wrong":
        data["csrf_token"] = real_token[:-4] + "AAAA"
    elif token == "repeated":
        data["csrf_token"] = ["not-a-token", real_token]
    if encoding == "multipart":
        return client.post(path, data=data, content_type="multipart/form-data", **kwargs)
    if encoding == "raw":
        # Hand-made body: every value percent-encoded, then invalid UTF-8 added to the first field, raw.
        pairs = [(name, v) for name, value in data.items() for v in (value if isinstance(value, list) else [value])]
        body = "&".join(f"{quote_from_bytes(k.encode())}={quote_from_bytes(v.encode())}" for k, v in pairs).encode()
        body = body.replace(b"=", b"=" + junk, 1) if pairs else junk
        return client.post(path, data=body, content_type="application/x-www-form-urlencoded", **kwargs)
    return client.post(path, data=data, **kwargs)


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SUMMARY = re.compile(r'<div class="govuk-error-summary".*?</ul>', re.S)
LINK = re.compile(r"<a [^>]*>(.*?)</a>", re.S)
HEADING = re.compile(r'<h1 class="govuk-heading-l">(.*?)</h1>', re.S)


def error_messages(page: str) -> list[str]:
    """The messages in the page's error summary (there is one on every page refused with a reason)."""
    summary = SUMMARY.search(page)
    return [html.unescape(m).strip() for m in LINK.findall(summary.group(0))] if summary else []


def heading(page: str) -> str:
    found = HEADING.search(page)
    return html.unescape(found.group(1)).strip() if found else ""


@cache
def _patterns(lang: str) -> list[re.Pattern]:
    """A pattern for each message translated into `lang` (ours and WTForms' own), placeholders as wildcards."""
    catalogs = [
        Translations.load(str(TRANSLATIONS_DIR), [lang]),
        Translations.load(messages_path(), [lang], domain="wtforms"),
    ]
    patterns = []
    for catalog in catalogs:
        for msgid, msgstr in catalog._catalog.items():
            english = msgid[0] if isinstance(msgid, tuple) else msgid
            if not english or not msgstr or msgstr == english:
                continue  # untranslated or the same in both: would not tell the language apart
            parts = re.split(r"%\(\w+\)[sd]|%[sd]", msgstr.replace("%%", "%"))
            patterns.append(re.compile(".+?".join(re.escape(p) for p in parts), re.S))
    return patterns


def in_language(message: str, lang: str) -> bool:
    """Is this message one of the catalog's translations into `lang` (not the English it came from)?"""
    return any(p.fullmatch(message) for p in _patterns(lang))


def assert_refused_in(page: str, lang: str) -> None:
    """A refused page says why, in the resident's language."""
    assert f'<html lang="{lang}"' in page
    messages = error_messages(page) or [heading(page)]
    assert messages and all(messages), page[:2000]
    for message in messages:
        assert in_language(message, lang), f"not in {lang}: {message!r}"


def assert_no_markup_from_input(page: str) -> None:
    """What the resident typed is shown escaped, never as markup."""
    assert "<script>alert(1)" not in page


def cleaned(value: str) -> str | None:
    """What a text answer is stored as: control characters (not tab or new lines) and outer spaces removed."""
    kept = "".join(ch for ch in value if ch in "\t\n\r" or unicodedata.category(ch) != "Cc")
    return kept.strip() or None


def first(value):
    """WTForms reads the first of a repeated text field."""
    return value[0] if isinstance(value, list) else value


def strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings_in(item)


def assert_no_control_characters(values) -> None:
    for value in strings_in(values):
        assert cleaned(value) == value.strip() or not value.strip(), f"control characters stored: {value[:80]!r}"

"""Every response carries the security headers: pages, staff pages, the API, the SMS webhook, errors, static files."""

from __future__ import annotations

import re
from base64 import b64encode
from hashlib import sha256
from pathlib import Path

import pytest

from asb_domain.references import format_reference
from tests.webapp.factories import sign_in, staff, submitted
from tests.webapp.security.apps import migrated, production_config
from webapp import create_app
from webapp.security import inline_script_hashes

TEMPLATES = Path(__file__).resolve().parents[3] / "webapp" / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>(.*?)</script>", re.S | re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)


def csp(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def header_problems(response) -> list[str]:
    """What is missing or weak in one response's security headers."""
    policy = csp(response)
    wanted = {
        "default-src": ["'self'"],
        "style-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    problems = [f"{name} is {policy.get(name)}" for name, sources in wanted.items() if policy.get(name) != sources]
    scripts = policy.get("script-src", [])
    if scripts[:1] != ["'self'"] or any(not s.startswith("'sha256-") for s in scripts[1:]):
        problems.append(f"script-src is {scripts}")
    if any("unsafe" in source for sources in policy.values() for source in sources):
        problems.append("an unsafe- source")
    expected = {
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }
    problems += [
        f"{name}: {response.headers.get(name)}" for name, v in expected.items() if response.headers.get(name) != v
    ]
    if response.mimetype == "text/html":
        page = response.get_data(as_text=True)
        for body in INLINE_SCRIPT.findall(page):
            digest = "'sha256-" + b64encode(sha256(body.encode()).digest()).decode() + "'"
            if digest not in scripts:
                problems.append(f"an inline script the CSP does not allow: {body[:40]}")
        if STYLE_ATTRIBUTE.search(page):
            problems.append("a style attribute")
        if EVENT_HANDLER.search(page):
            problems.append("an inline event handler")
    return problems


def walk(app, client, values: dict, skip=()) -> dict[str, tuple[int, list[str]]]:
    """GET every registered URL rule, with a stand-in for each URL argument; what each answered, by endpoint."""
    seen = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in skip:
            continue
        url = rule.build({name: values.get(name, 1) for name in rule.arguments})[1]
        response = client.get(url)
        seen[f"{rule.endpoint} {url}"] = (response.status_code, header_problems(response))
    return seen


def test_every_url_rule_answers_with_the_security_headers_signed_out_and_signed_in(app, client, policy):
    report = submitted(policy)
    values = {"reference": format_reference(report.reference), "filename": "js/app.js"}
    signed_out = walk(app, client, values)
    staff(policy, "admin", role="admin")
    sign_in(client, "admin")
    # Leaving and signing out end the session: the walk would carry on signed out.
    signed_in = walk(app, client, values, skip={"main.leave", "staff.logout"})

    for seen in (signed_out, signed_in):
        assert {url: problems for url, (_, problems) in seen.items() if problems} == {}
    statuses = {status for _, (status, _) in signed_out.items()} | {s for _, (s, _) in signed_in.items()}
    assert {200, 302, 404, 405} <= statuses  # pages, redirects, errors and wrong methods were all checked
    assert len(signed_out) == len(app.url_map._rules)
    assert signed_in["staff.queue /staff/"][0] == 200 and signed_out["staff.queue /staff/"][0] == 302
    assert signed_out["static /static/js/app.js"][0] == 200 and signed_out["sms.inbound /sms/inbound"][0] == 405


def test_every_response_carries_a_csp_without_unsafe_inline_on_posts_and_failures_too(app, client):
    responses = {
        "sms webhook without a signature": client.post("/sms/inbound", data={"Body": "hello", "From": "+447700900123"}),
        "api without a token": client.get("/api/v1/reports"),
        "api post without a token": client.post("/api/v1/reports", json={}),
        "form without its CSRF token": client.post("/report/danger", data={"danger": "no"}),
        "missing page": client.get("/no/such/page"),
        "stylesheet": client.get("/brand.css"),
    }
    assert {name: r.status_code for name, r in responses.items()} == {
        "sms webhook without a signature": 403,
        "api without a token": 401,
        "api post without a token": 401,
        "form without its CSRF token": 400,
        "missing page": 404,
        "stylesheet": 200,
    }
    assert {name: header_problems(r) for name, r in responses.items() if header_problems(r)} == {}


def test_a_server_error_page_carries_the_security_headers(tmp_path):
    app = migrated(create_app(production_config(f"sqlite:///{tmp_path / 'p.sqlite3'}", SESSION_COOKIE_SECURE=False)))

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)
    assert header_problems(response) == []


def test_the_one_inline_script_is_allowed_by_its_hash_and_a_changed_script_would_not_be(client):
    page = client.get("/report/danger")
    [script] = INLINE_SCRIPT.findall(page.get_data(as_text=True))
    assert "js-enabled" in script
    allowed = csp(page)["script-src"]
    assert allowed == ["'self'", *inline_script_hashes(TEMPLATES)] and len(allowed) == 2
    tampered = "'sha256-" + b64encode(sha256((script + "alert(1)").encode()).digest()).decode() + "'"
    assert tampered not in allowed


def test_an_inline_script_with_template_code_stops_the_app_starting(tmp_path):
    (tmp_path / "page.html").write_text("<script>var name = '{{ name }}';</script>")
    with pytest.raises(RuntimeError, match="page.html: an inline script may not hold template code"):
        inline_script_hashes(tmp_path)


def test_templates_have_no_style_attributes_or_inline_event_handlers():
    found = {
        str(path.relative_to(TEMPLATES)): line
        for path in TEMPLATES.rglob("*.html")
        for line in path.read_text(encoding="utf-8").splitlines()
        if STYLE_ATTRIBUTE.search(line) or EVENT_HANDLER.search(line)
    }
    assert found == {}


def test_the_header_is_coloured_by_a_stylesheet_in_the_landlords_colour(client, policy):
    colour = policy.raw["landlord"]["brand_colour"]
    css = client.get("/brand.css")
    assert css.mimetype == "text/css"
    assert f"--app-brand-colour: {colour}" in css.get_data(as_text=True)
    assert ".app-header { background: var(--app-brand-colour); }" in css.get_data(as_text=True)
    for page in ("/", "/staff/login"):
        html = client.get(page).get_data(as_text=True)
        assert '<link rel="stylesheet" href="/brand.css">' in html and '<header class="app-header">' in html


def test_hsts_is_sent_in_production_only(client, tmp_path):
    assert "Strict-Transport-Security" not in client.get("/").headers
    production = migrated(create_app(production_config(f"sqlite:///{tmp_path / 'p.sqlite3'}")))
    for path in ("/", "/api/v1/reports", "/static/js/app.js", "/nowhere"):
        response = production.test_client().get(path)
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains", path
        assert header_problems(response) == [], path

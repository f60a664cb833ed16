"""Security headers on every response: pages, staff, API, SMS webhook, errors and static files.

The Content-Security-Policy allows no inline script or style. The one inline script (base.html, which marks
the page as having JavaScript before it is drawn) is allowed by its SHA-256, computed here at start-up from
the template text, so a script injected into a page never runs.
"""

from __future__ import annotations

import re
from base64 import b64encode
from hashlib import sha256
from pathlib import Path

from flask import Flask

# An inline <script> is one without a src attribute.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>(.*?)</script>", re.S | re.I)


def inline_script_hashes(template_dir: Path) -> list[str]:
    """The CSP source for each inline script in the app's templates."""
    hashes = set()
    for path in sorted(template_dir.rglob("*.html")):
        for body in INLINE_SCRIPT.findall(path.read_text(encoding="utf-8")):
            if "{{" in body or "{%" in body:
                # What the browser hashes is the rendered text: a script with template code has no fixed hash.
                raise RuntimeError(f"{path.name}: an inline script may not hold template code; use a static file")
            hashes.add("'sha256-" + b64encode(sha256(body.encode("utf-8")).digest()).decode("ascii") + "'")
    return sorted(hashes)


def content_security_policy(script_hashes: list[str]) -> str:
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'"],  # no style attributes: the brand colour comes from /brand.css
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def register(app: Flask) -> None:
    csp = content_security_policy(inline_script_hashes(Path(app.root_path) / app.template_folder))
    headers = {
        "Content-Security-Policy": csp,
        "X-Frame-Options": "DENY",  # for browsers older than frame-ancestors
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",  # addresses can hold a reference or a survey token
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }
    if app.config.get("ASB_ENV") == "production":
        # Only where the service is served over HTTPS: a browser would refuse plain http on 127.0.0.1 for a year.
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"

    @app.after_request
    def _security_headers(response):
        response.headers.update(headers)
        # Pages hold what a resident told us: keep them out of shared caches and the back-forward cache.
        response.headers.setdefault("Cache-Control", "no-store")
        return response

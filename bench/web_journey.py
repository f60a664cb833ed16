"""The web report, page by page, as residents fill it: several at once, over plain HTTP, no JavaScript.

Each simulated resident reads every page's form and answers it (the answers below by field name, else the
first option), posts it, and follows the redirect, to the confirmation page. Times are per page (GET and
POST together), requests per second over the whole run.
"""

from __future__ import annotations

import re
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests

ANSWERS = {
    "danger": "no",
    "description": "the lads upstairs play loud music every night till 3am and bang on the walls",
    "incident_when": "every night from 11pm",
    "location": "the flat above mine",
    "address": "Flat 4, 12 River Road",
    "postcode": "AB1 2CD",
    "responsible": "the tenants of flat 5",
    "contact_name": "Sam",
    "contact_phone": "07700 900123",
    "contact_email": "sam@example.org",
    "reporter_name": "Sam",
    "consent": "yes",
    "details": "",
    "safe_times": "",
}


class _Form(HTMLParser):
    """The page's main form (the one that posts to the page itself): its fields and their options."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._current = {
                "action": a.get("action"),
                "hidden": {},
                "radio": defaultdict(list),
                "checkbox": defaultdict(list),
                "text": [],
                "buttons": [],
            }
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "textarea", "button"):
            kind, name = (a.get("type") or tag).lower(), a.get("name")
            if not name:
                return
            if kind == "hidden":
                self._current["hidden"][name] = a.get("value") or ""
            elif kind in ("radio", "checkbox"):
                self._current[kind][name].append(a.get("value"))
            elif kind in ("submit", "button"):
                self._current["buttons"].append((name, a.get("value") or ""))
            else:
                self._current["text"].append(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def _answer(form: dict) -> dict:
    data = dict(form["hidden"])
    for name, values in form["radio"].items():
        wanted = ANSWERS.get(name)
        data[name] = wanted if wanted in values else values[0]
    for name, values in form["checkbox"].items():
        data[name] = values[0]
    for name in form["text"]:
        data[name] = ANSWERS.get(name, "")
    return data


def page_name(url: str) -> str:
    return re.sub(r"/\d+$", "/N", urlsplit(url).path)


def walk(http: requests.Session, base: str, timings: dict, lock: threading.Lock, steps: int = 60) -> bool:
    """One whole report; True when it reached the confirmation page."""
    url = f"{base}/report/danger"
    for _ in range(steps):
        t0 = time.perf_counter()
        page = http.get(url, timeout=30)
        spent = time.perf_counter() - t0
        if urlsplit(page.url).path.endswith("/confirmation"):
            with lock:
                timings[page_name(page.url)].append(spent * 1000)
            return True
        parser = _Form()
        parser.feed(page.text)
        forms = [f for f in parser.forms if "csrf_token" in f["hidden"]]
        # The page's question (fields to answer) before any other form on it; the check page has only a button.
        forms.sort(key=lambda f: not (f["radio"] or f["text"] or f["checkbox"]))
        if not forms:
            return False
        form = forms[0]
        target = urljoin(page.url, form["action"] or page.url)
        t0 = time.perf_counter()
        answered = http.post(target, data=_answer(form), timeout=30, allow_redirects=False)
        spent += time.perf_counter() - t0
        with lock:
            timings[page_name(page.url)].append(spent * 1000)
        if answered.status_code not in (302, 303):
            return False  # the page did not accept the answers: stop rather than loop
        url = urljoin(target, answered.headers["Location"])
    return False


def run(base: str, residents: int = 8, reports_each: int = 5) -> dict:
    timings: dict[str, list[float]] = defaultdict(list)
    lock = threading.Lock()
    done = []

    def resident(_n: int) -> None:
        for _ in range(reports_each):
            done.append(walk(requests.Session(), base, timings, lock))

    walk(requests.Session(), base, defaultdict(list), lock)  # warm: templates compiled, connections open
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=residents) as pool:
        list(pool.map(resident, range(residents)))
    spent = time.monotonic() - started
    requests_made = sum(len(v) for v in timings.values()) * 2  # a GET and a POST a page
    from bench.sms_load import percentile

    return {
        "residents_at_once": residents,
        "reports": sum(done),
        "reports_not_finished": len(done) - sum(done),
        "requests_per_s": round(requests_made / spent, 1),
        "page_p95_ms": {name: round(percentile(v, 95), 1) for name, v in sorted(timings.items())},
        "pages": len(timings),
    }


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "") or tag == "link" and a.get("rel") == "icon":
            self.urls.append(a.get("href"))
        elif tag in ("script", "img") and a.get("src"):
            self.urls.append(a["src"])


def first_page_weight(base: str) -> dict:
    """Bytes a resident's phone fetches for the first page: the HTML and everything it loads (CSS, fonts, images)."""
    http = requests.Session()
    page = http.get(f"{base}/", timeout=30)
    parser = _Assets()
    parser.feed(page.text)
    sizes = {"html": len(page.content)}
    seen = set()
    queue = [urljoin(page.url, u) for u in parser.urls if u]
    while queue:
        url = queue.pop()
        if url in seen or urlsplit(url).netloc != urlsplit(base).netloc:
            continue
        seen.add(url)
        asset = http.get(url, timeout=30)
        sizes[urlsplit(url).path] = len(asset.content)
        if url.endswith(".css") or "css" in asset.headers.get("Content-Type", ""):
            for ref in re.findall(r"url\(([^)]+)\)", asset.text):
                ref = ref.strip("'\"")
                if not ref.startswith("data:"):
                    queue.append(urljoin(url, ref))
    return {"total_kb": round(sum(sizes.values()) / 1024, 1), "files": len(sizes), "by_file_bytes": sizes}

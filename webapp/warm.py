"""Work a process would otherwise do for its first resident, done when it starts instead.

Measured cold, in one process: the policy's phrase patterns compile on the first triage in each language
(about 230 ms for all seven); the bank-holiday calendar imports every
country the `holidays` package knows (145 ms) on the first acknowledge-by date; each template compiles on
its first page. Under gunicorn every worker paid these once, so the first resident to reach each of them
waited, and the web report's p95 per page showed it. Nothing here touches the store, so it is safe before
a fork too.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask

from asb_domain import danger_signal
from asb_domain.dates import acknowledge_by
from asb_domain.triage import triage


def warm_up(app: Flask) -> None:
    from webapp.i18n import LANGUAGES

    policy = app.extensions["asb_policy"]
    for lang in LANGUAGES:
        triage(policy, "warming up", lang)  # compiles that language's phrase patterns (cached per process)
    danger_signal.warm_up()  # the second danger signal: its classifier, and the embedder (0.1-0.2 s, 85 MB)
    now = datetime.now(UTC)
    for moment in (now, now + timedelta(days=366)):  # the calendar adds a year the first time one is asked
        acknowledge_by(policy, moment, urgent=False)
    env = app.jinja_env
    for name in env.list_templates(filter_func=lambda n: n.endswith((".html", ".njk", ".txt"))):
        env.get_template(name)  # compiled once and kept in the environment's cache

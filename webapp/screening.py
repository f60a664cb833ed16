"""The web app's door to the one triage function (asb_domain.triage).

The bot's NLU joins the policy rules once it exists (and whenever it is
reachable); until then, and whenever it is not, the rules alone decide, and a
resident never sees an error page because of it.
"""

from __future__ import annotations

from flask import current_app

from asb_domain.triage import Triage, triage


def screen(text: str, lang: str) -> Triage:
    nlu = current_app.extensions.get("asb_nlu")  # None until the bot's NLU is configured
    return triage(current_app.extensions["asb_policy"], text, lang, nlu=nlu)

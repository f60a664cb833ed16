"""How satisfied residents were when their case closed: the survey's answers, added up for managers."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from asb_domain.informing import satisfied, survey
from asb_domain.policy import Policy
from webapp.extensions import db
from webapp.models import SatisfactionSurvey


def _row(label: str, surveys: list[SatisfactionSurvey], policy: Policy) -> dict:
    questions = survey(policy)
    verdicts = [satisfied(policy, s.answers or {}) for s in surveys]
    answered = [v for v in verdicts if v is not None]
    row = {
        "label": label,
        "responses": len(surveys),
        "satisfied": sum(answered),
        "satisfied_pct": round(100 * sum(answered) / len(answered)) if answered else None,
        "average": {},
    }
    for q in questions:
        scores = {o["id"]: o["score"] for o in q["options"]}
        given = [scores[s.answers[q["id"]]] for s in surveys if (s.answers or {}).get(q["id"]) in scores]
        row["average"][q["id"]] = round(sum(given) / len(given), 1) if given else None
    return row


def summary(policy: Policy) -> dict[str, list[dict]]:
    """Completed surveys grouped three ways. Only answers and groups: never who answered."""
    done = db.session.scalars(
        select(SatisfactionSurvey)
        .where(SatisfactionSurvey.status == "completed")
        .order_by(SatisfactionSurvey.completed_at)
    ).all()
    roles = {r["id"]: r["label"] for r in policy.raw["roles"]}
    categories = {c["id"]: c["label"] for c in policy.raw["categories"]}
    groups = {
        "month": lambda s: s.completed_at.strftime("%Y-%m"),
        "handling role": lambda s: roles.get(s.report.handling_role or "", s.report.handling_role or "None"),
        "category": lambda s: categories.get(s.report.category or "", s.report.category or "None"),
    }
    tables = {}
    for name, key in groups.items():
        buckets: dict[str, list] = defaultdict(list)
        for s in done:
            buckets[key(s)].append(s)
        tables[name] = [_row(label, items, policy) for label, items in sorted(buckets.items())]
    tables["all"] = [_row("All", done, policy)] if done else []
    return tables

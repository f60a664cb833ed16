from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from functools import wraps

from flask import g, jsonify, request
from sqlalchemy import and_, or_, select

from webapp import audit, current_policy, reports
from webapp.api import bp
from webapp.api.openapi import openapi_document
from webapp.api.tokens import token_for
from webapp.extensions import db
from webapp.models import Report
from webapp.report_data import report_detail, report_summary

MAX_LIMIT = 200
ACK_BY_LENGTH = 120  # reports.acknowledged_by


def problem(status: int, title: str):
    response = jsonify({"error": title})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="asb-report"'
    return response


def token_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        token = token_for(request.headers.get("Authorization"))
        if token is None:
            return problem(401, "unauthorized")  # says nothing about whether the report exists
        g.api_actor = f"api:{token.name}"
        return view(*args, **kwargs)

    return wrapped


def encode_cursor(report: Report) -> str:
    raw = json.dumps([report.updated_at.isoformat(), report.id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        stamp, report_id = json.loads(raw)
        return datetime.fromisoformat(stamp), int(report_id)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        return None


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.get("/reports")
@token_required
def list_reports():
    """Reports changed since the cursor, oldest change first. Keep `next_cursor` for the next call."""
    try:
        limit = int(request.args.get("limit", 50))
    except ValueError:
        return problem(400, "limit must be a whole number")
    if not 1 <= limit <= MAX_LIMIT:
        return problem(400, f"limit must be between 1 and {MAX_LIMIT}")
    query = select(Report).where(Report.status.in_(reports.SUBMITTED_STATUSES))
    cursor = request.args.get("since")
    if cursor:
        position = decode_cursor(cursor)
        if position is None:
            return problem(400, "since is not a cursor this API gave out")
        stamp, report_id = position
        query = query.where(or_(Report.updated_at > stamp, and_(Report.updated_at == stamp, Report.id > report_id)))
    rows = db.session.scalars(query.order_by(Report.updated_at, Report.id).limit(limit)).all()
    for report in rows:
        audit.record(g.api_actor, "api_list", report.id)
    next_cursor = encode_cursor(rows[-1]) if rows else cursor
    return jsonify({"reports": [report_summary(r) for r in rows], "next_cursor": next_cursor})


@bp.get("/reports/<reference>")
@token_required
def get_report(reference: str):
    report = reports.find_submitted(reference)
    if report is None:
        return problem(404, "no such report")
    audit.record(g.api_actor, "api_view", report.id)
    return jsonify(report_detail(current_policy(), report))


@bp.post("/reports/<reference>/acknowledge")
@token_required
def acknowledge(reference: str):
    """Idempotent: a repeat is harmless and answers with the first acknowledgement."""
    report = reports.find_submitted(reference)
    if report is None:
        return problem(404, "no such report")
    body = request.get_json(silent=True)
    by = body.get("by") if isinstance(body, dict) else None
    # The name is stored as who acknowledged (120 characters) and may be told to the resident as their
    # officer: a longer one, or one with a NUL, was a 500 on PostgreSQL; anything but a string was ignored.
    if by is not None and not (isinstance(by, str) and len(by) <= ACK_BY_LENGTH and "\x00" not in by):
        return problem(400, f"by must be a name of at most {ACK_BY_LENGTH} characters")
    done = reports.acknowledge(report, by or g.api_actor)
    audit.record(g.api_actor, "acknowledge", report.id, None if done else "already acknowledged")
    return jsonify(
        {
            "reference": report_summary(report)["reference"],
            "acknowledged_at": report.acknowledged_at.isoformat(),
            "acknowledged_by": report.acknowledged_by,
            "already_acknowledged": not done,
        }
    )

"""The OpenAPI document for the CRM API. Tested against the running app with schemathesis."""

from __future__ import annotations

from webapp.i18n import LANGUAGES

NULLABLE_STRING = {"type": "string", "nullable": True}

SUMMARY = {
    "type": "object",
    "required": ["reference", "status", "channel", "priority", "acknowledge_by", "updated_at"],
    "properties": {
        "reference": {"type": "string", "pattern": r"^\d{3}-\d{3}-\d{3}$", "example": "482-739-156"},
        "status": {"type": "string", "enum": ["submitted", "acknowledged", "closed_resolved", "closed_unresolved"]},
        "channel": {"type": "string", "enum": ["web", "chat", "sms", "phone"]},
        "language": {"type": "string"},
        "submitted_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
        "category": NULLABLE_STRING,
        "case_type": NULLABLE_STRING,
        "priority": {"type": "string"},
        "risk_level": {"type": "string"},
        "ram_total": {"type": "integer"},
        "handling_role": NULLABLE_STRING,
        "acknowledge_by": {"type": "string", "format": "date"},
        "acknowledged_at": {"type": "string", "format": "date-time", "nullable": True},
        "acknowledged_by": NULLABLE_STRING,
        "assigned_to": NULLABLE_STRING,
    },
}

DETAIL = {
    "allOf": [
        {"$ref": "#/components/schemas/ReportSummary"},
        {
            "type": "object",
            "required": ["contact", "ram", "flags", "history"],
            "properties": {
                "contact": {"type": "object"},
                "description": NULLABLE_STRING,
                "ram": {
                    "type": "object",
                    "required": ["total", "band", "answers"],
                    "properties": {
                        "total": {"type": "integer"},
                        "band": {"type": "string"},
                        "answers": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["question_id", "answers", "score"],
                                "properties": {
                                    "question_id": {"type": "string"},
                                    "answers": {"type": "array", "items": {"type": "string"}},
                                    "score": {"type": "integer"},
                                },
                            },
                        },
                        "overrides": {"type": "array", "items": {"type": "string"}},
                        "priority_reasons": {"type": "array", "items": {"type": "string"}},
                    },
                },
                "flags": {
                    "type": "object",
                    "properties": {
                        "hate": {"type": "boolean"},
                        "domestic_abuse": {"type": "boolean"},
                        "repeat_victim": {"type": "boolean"},
                        "linked_reports": {"type": "array", "items": {"type": "string"}},
                        "case_review_eligible": {"type": "boolean"},
                    },
                },
                "diary": {"type": "array", "items": {"type": "object"}},
                "history": {"type": "array", "items": {"type": "object"}},
            },
        },
    ]
}


def _text(max_length: int) -> dict:
    return {"type": ["string", "null"], "maxLength": max_length}


# What the bot sends to submit a report (POST /reports). Also the validation
# schema: the endpoint checks every body against it (jsonschema), so the
# document and the check cannot drift apart.
REPORT_IN = {
    "type": "object",
    "required": ["submission_key", "channel", "language", "description"],
    "additionalProperties": False,
    "properties": {
        "submission_key": {"type": "string", "minLength": 1, "maxLength": 120},
        "channel": {"type": "string", "enum": ["chat", "sms"]},
        "language": {"type": "string", "enum": list(LANGUAGES)},
        "description": {"type": "string", "minLength": 1, "maxLength": 5000},
        "triage_outcome": {"type": ["string", "null"], "enum": ["emergency", "not_asb", "asb", None]},
        "screened_matter": _text(64),
        "asb_signs": {"type": "array", "items": {"type": "string", "maxLength": 64}, "maxItems": 20},
        "case_type": _text(64),
        "incident_when": _text(2000),
        "location": _text(2000),
        "address": _text(2000),
        "postcode": _text(10),
        "responsible": _text(2000),
        "contact": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "no_contact": {"type": "boolean"},
                "name": _text(200),
                "phone": {**_text(32), "pattern": r"^\+?[0-9 ()-]{7,31}$"},
                "email": _text(254),
                "text_safe": {"type": "boolean"},
                "call_safe": {"type": "boolean"},
                "voicemail_safe": {"type": "boolean"},
                "email_safe": {"type": "boolean"},
                "safe_times": _text(500),
                # When messages may go (asb_domain.informing.SafeTimes); the policy's period and day ids.
                "windows": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "periods": {"type": "array", "items": {"type": "string", "maxLength": 32}, "maxItems": 10},
                        "days": {"type": "string", "maxLength": 32},
                    },
                },
            },
        },
        "update_frequency": _text(32),
        "consent_to_share": {"type": "boolean"},
        # The resident told the bot of danger in the middle of its questions (and was given the 999 advice).
        "danger_in_conversation": {"type": "boolean"},
        # By text: the conversation whose number is the contact number (the bot never sees numbers).
        "sms_conversation": {"type": "string", "pattern": "^sms-[0-9]{1,12}$"},
        "ram": {
            "type": "object",
            "maxProperties": 50,
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "options": {"type": "array", "items": {"type": "string", "maxLength": 64}, "maxItems": 10},
                    "details": _text(2000),
                    "consent": {"type": ["boolean", "null"]},
                },
            },
        },
    },
}

SUBMITTED = {
    "type": "object",
    "required": ["reference", "acknowledge_by", "hear_by", "priority", "created"],
    "properties": {
        "reference": {"type": "string", "pattern": r"^\d{3}-\d{3}-\d{3}$"},
        "acknowledge_by": {"type": "string", "format": "date"},
        "hear_by": {"type": "string"},
        "priority": {"type": "string"},
        "risk_level": {"type": "string"},
        "ram_total": {"type": "integer"},
        "created": {"type": "boolean"},
    },
}

ERROR = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


REFERENCE_PARAM = {
    "name": "reference",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "description": "The report's reference, as 482-739-156 or 482739156",
}


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def _openapi(schema):
    """JSON Schema's ["string", "null"] as OpenAPI 3.0 says it: nullable."""
    if isinstance(schema, dict):
        out = {k: _openapi(v) for k, v in schema.items()}
        kinds = schema.get("type")
        if isinstance(kinds, list):
            rest = [k for k in kinds if k != "null"]
            out["type"] = rest[0]
            out["nullable"] = "null" in kinds
            if "enum" in schema:
                out["enum"] = [v for v in schema["enum"] if v is not None]
        return out
    if isinstance(schema, list):
        return [_openapi(v) for v in schema]
    return schema


def openapi_document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "asb-report CRM API",
            "version": "1.0.0",
            "description": "Pull anti-social behaviour reports into a CRM and acknowledge them.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"ReportSummary": SUMMARY, "ReportDetail": DETAIL, "Error": ERROR},
        },
        "paths": {
            "/reports": {
                "post": {
                    "summary": "Submit a finished report (the bot's service token only)",
                    "operationId": "submitReport",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": _openapi(REPORT_IN)}}},
                    "responses": {
                        "201": {"description": "Stored and on the queue", "content": _json(SUBMITTED)},
                        "200": {"description": "Sent before with this submission_key", "content": _json(SUBMITTED)},
                        "400": _error("The body does not fit the schema or the policy"),
                        "401": _error("No valid bearer token"),
                        "403": _error("A CRM token, which may not submit"),
                    },
                },
                "get": {
                    "summary": "Reports changed since a cursor, oldest change first",
                    "operationId": "listReports",
                    "parameters": [
                        {"name": "since", "in": "query", "schema": {"type": "string"}, "description": "next_cursor"},
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
                    ],
                    "responses": {
                        "200": {
                            "description": "A page of reports",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["reports", "next_cursor"],
                                        "properties": {
                                            "reports": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/ReportSummary"},
                                            },
                                            "next_cursor": {"type": "string", "nullable": True},
                                        },
                                    }
                                }
                            },
                        },
                        "400": _error("A bad cursor or limit"),
                        "401": _error("No valid bearer token"),
                    },
                },
            },
            "/reports/{reference}": {
                "get": {
                    "summary": "One report with everything staff see",
                    "operationId": "getReport",
                    "parameters": [REFERENCE_PARAM],
                    "responses": {
                        "200": {
                            "description": "The report",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReportDetail"}}},
                        },
                        "401": _error("No valid bearer token"),
                        "404": _error("No such report"),
                    },
                }
            },
            "/reports/{reference}/acknowledge": {
                "post": {
                    "summary": "Acknowledge a report (idempotent)",
                    "operationId": "acknowledgeReport",
                    "parameters": [REFERENCE_PARAM],
                    "requestBody": {
                        "required": False,
                        "content": {
                            "application/json": {
                                "schema": {"type": "object", "properties": {"by": {"type": "string", "maxLength": 120}}}
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "Acknowledged, now or before",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["reference", "acknowledged_at", "already_acknowledged"],
                                        "properties": {
                                            "reference": {"type": "string"},
                                            "acknowledged_at": {"type": "string", "format": "date-time"},
                                            "acknowledged_by": {"type": "string"},
                                            "already_acknowledged": {"type": "boolean"},
                                        },
                                    }
                                }
                            },
                        },
                        "400": _error("A `by` that is not a name of at most 120 characters"),
                        "401": _error("No valid bearer token"),
                        "404": _error("No such report"),
                    },
                }
            },
        },
    }

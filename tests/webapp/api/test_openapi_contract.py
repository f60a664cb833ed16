"""schemathesis checks the API against its own OpenAPI document, against the running app."""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.webapp.browser import LiveServer
from tests.webapp.conftest import make_app
from tests.webapp.factories import submitted


def _fuzz(strategy, bearer: str):
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(strategy)
    def check(case):
        # A cursor the API never gave out is a client error (400, documented), though any string fits
        # the schema: so random cursors are not expected to be accepted. Every other check runs.
        case.call_and_validate(
            headers={"Authorization": f"Bearer {bearer}"}, excluded_checks=[positive_data_acceptance]
        )

    return check


def test_the_api_does_what_its_openapi_document_says(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'api.sqlite3'}")
    with app.app_context():
        from webapp.api.tokens import create_token

        token = create_token("schemathesis")
        app.config["ASB_SERVICE_TOKEN"] = service = "service-token-for-schemathesis"
        report = submitted(app.extensions["asb_policy"])
        reference = report.reference
    with LiveServer(app) as server:
        schema = schemathesis.openapi.from_url(f"{server.url}/api/v1/openapi.json")
        schema.config.base_url = f"{server.url}/api/v1"
        failures = []
        for operation in schema.get_all_operations():
            op = operation.ok()
            strategy = op.as_strategy()
            # The bot's hand-over takes the service token; everything else a CRM token.
            bearer = service if (op.method.upper(), op.path) == ("POST", "/reports") else token

            try:
                _fuzz(strategy, bearer)()
            except Exception as exc:  # noqa: BLE001 - collect every operation's failure
                failures.append(f"{op.method.upper()} {op.path}: {exc}")
            # A known report too, so the 200 responses are checked against their schemas.
            case = op.Case(path_parameters={"reference": reference}) if "{reference}" in op.path else op.Case()
            try:
                if op.method.upper() != "POST" or op.path != "/reports":
                    case.call_and_validate(headers={"Authorization": f"Bearer {bearer}"})
            except Exception as exc:  # noqa: BLE001
                failures.append(f"{op.method.upper()} {op.path} (known report): {exc}")
        assert failures == []

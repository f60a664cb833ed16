"""Error pages in the resident's language, each with a way on: never a dead end."""

from flask import render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError


def register(app) -> None:
    @app.errorhandler(CSRFError)
    def session_ended(error):
        # Usually a page left open past the session's end. The saved answers are safe in the store.
        return render_template(
            "errors/generic.html",
            heading=_("Your session ended"),
            message=_(
                "For your safety, we clear this page after a time without activity. "
                "Your answers up to the last page you sent are saved."
            ),
            retry_url=request.path if request.method == "POST" else None,
        ), 400

    @app.errorhandler(404)
    def not_found(error):
        return render_template(
            "errors/generic.html",
            heading=_("Page not found"),
            message=_("If you typed the web address, check it is correct."),
            retry_url=None,
        ), 404

    @app.errorhandler(500)
    def server_error(error):
        return render_template(
            "errors/generic.html",
            heading=_("Sorry, there is a problem with the service"),
            message=_("Your answers up to the last page you sent are saved. Try again later."),
            retry_url=None,
        ), 500

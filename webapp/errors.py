"""Error pages in the resident's language, each with a way on: never a dead end."""

import time

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

    @app.errorhandler(429)
    def too_many(error):
        # A rate limit: a kind page with a way on, never a bare error; the resident's answers are not lost.
        from webapp.extensions import limiter

        response = app.make_response(
            (
                render_template(
                    "errors/generic.html",
                    heading=_("You have sent this page too many times"),
                    message=_("For your safety, there is a limit on how often a page can be sent.")
                    + " "
                    + _("Your answers up to the last page you sent are saved. Try again later."),
                    retry_url=None,
                ),
                429,
            )
        )
        hit = limiter.current_limit
        if hit is not None:
            response.headers["Retry-After"] = str(max(int(hit.reset_at - time.time()), 1))
        return response

    @app.errorhandler(413)
    def too_large(error):
        # A post over MAX_CONTENT_LENGTH, or a text field over MAX_FORM_MEMORY_SIZE: Flask's own page was in
        # English with no way back. Say what is too big in the resident's language (nothing was saved).
        if request.blueprint in ("api", "sms"):
            return error  # machines: the plain status
        message = (
            _("Up to 5 files, each smaller than 10 MB.")
            if request.blueprint == "diary"
            else _("Keep it under %(max)d characters", max=5000)
        )
        return render_template(
            "errors/generic.html", heading=_("There is a problem"), message=message, retry_url=request.path
        ), 413

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

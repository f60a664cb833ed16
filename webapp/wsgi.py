"""The web app as gunicorn serves it: `gunicorn webapp.wsgi:app`.

Each worker builds the app and warms it (webapp.warm) before it takes its first request.
"""

from webapp import create_app
from webapp.warm import warm_up

app = create_app()
warm_up(app)

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from webapp.forms import Form  # text fields drop control characters: see webapp/forms.py

MESSAGE_LIMIT = 2000


class ChatForm(Form):
    message = TextAreaField(
        _l("Your message"),
        validators=[
            DataRequired(_l("Write a message, or choose an answer")),
            Length(
                max=MESSAGE_LIMIT, message=_l("Your message must be %(limit)s characters or fewer", limit=MESSAGE_LIMIT)
            ),
        ],
    )

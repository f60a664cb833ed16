from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

MESSAGE_LIMIT = 2000


class ChatForm(FlaskForm):
    message = TextAreaField(
        _l("Your message"),
        validators=[
            DataRequired(_l("Write a message, or choose an answer")),
            Length(
                max=MESSAGE_LIMIT, message=_l("Your message must be %(limit)s characters or fewer", limit=MESSAGE_LIMIT)
            ),
        ],
    )

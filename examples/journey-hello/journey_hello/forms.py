from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class GreetingForm(FlaskForm):
    text = StringField(_l("Your greeting"), validators=[DataRequired(), Length(max=200)])

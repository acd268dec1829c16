from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from core.auth.passwords import password_problem


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)], render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)],
                             render_kw={"autocomplete": "current-password"})


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired()],
        description=_l("At least 12 characters. A sentence you can remember works well."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )

    def __init__(self, *args, email: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._email = email

    def validate_password(self, field):
        problem = password_problem(field.data or "", self._email)
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"})


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"), choices=[SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")])

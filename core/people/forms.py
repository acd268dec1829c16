"""Forms for people, teams and the CSV upload.

The forms check shape (required, length, dates); the rules that need the database or apply to the
CSV import too (unique e-mail, team of the foundation, end after start) live in
``core.people.service`` and come back as field errors.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from core.forms import DecimalCommaField, choices, optional_id
from core.models import PERSON_STATUSES, PERSON_TYPES, REGIONS

LANGUAGE_CHOICES = choices([("nl", "Nederlands"), ("en", "English")])


class PersonForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[DataRequired(), Length(max=100)])
    last_name = StringField(_l("Last name"), validators=[DataRequired(), Length(max=100)])
    email = StringField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)],
                        render_kw={"type": "email", "autocomplete": "off"})
    person_type = SelectField(_l("Type"), choices=choices(PERSON_TYPES.items()))
    status = SelectField(_l("Status"), choices=choices(PERSON_STATUSES.items()),
                         description=_l("Setting an end date makes the status 'leaving'."))
    team_id = SelectField(_l("Team"), coerce=optional_id)
    employee_number = StringField(_l("Employee number"), validators=[Optional(), Length(max=40)])
    job_title = StringField(_l("Job title"), validators=[Optional(), Length(max=200)])
    start_date = DateField(_l("Start date"), validators=[Optional()])
    end_date = DateField(_l("End date"), validators=[Optional()])
    contract_hours = DecimalCommaField(_l("Contract hours per week"), places=2, validators=[Optional()],
                                render_kw={"type": "text", "inputmode": "decimal"})
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)

    def set_teams(self, teams: list[tuple[int, str]]) -> None:
        self.team_id.choices = choices(teams, _l("No team"))


class TeamForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    region = SelectField(_l("Region"), choices=choices(((r, r) for r in REGIONS), _l("No region")))
    parent_id = SelectField(_l("Part of team"), coerce=optional_id)
    # Typed, not picked from a list: a foundation can have thousands of people.
    manager = StringField(_l("Manager"), validators=[Optional(), Length(max=254)],
                          description=_l("E-mail address or employee number of a person of this foundation. "
                                         "Leave empty for no manager."))

    def set_teams(self, teams: list[tuple[int, str]]) -> None:
        self.parent_id.choices = choices(teams, _l("None (top level)"))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))],
                     render_kw={"accept": ".csv,text/csv"})

"""Forms of learning. They check shape; rules that need the database come back from the views
as field errors."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from core.api import PERSON_TYPES, choices, optional_id
from core.api import DecimalCommaField as NumberField  # a decimal box taking a comma or a point
from plugins.learning.vocabulary import ATTENDANCE, FORMATS, MAX_SCORE, RESULTS, STATUSES, UNITS

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
# Upper bounds of the numbers people type: well above any real course, and within their columns
# (a larger number would not fit the database).
MAX_HOURS, MAX_COST, MAX_POINTS = 1000, 1_000_000, 10_000


class ActionForm(FlaskForm):
    """A button that posts (approve, cancel, revoke): only the CSRF token."""


class GetForm(FlaskForm):
    """Filters in the query string: no CSRF, no prefix."""

    class Meta:
        csrf = False


class CatalogueFilterForm(GetForm):
    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    category = SelectField(_l("Category"), validate_choice=False)
    format = SelectField(_l("Format"), choices=choices(FORMATS.items(), _l("Any format")))
    register = SelectField(_l("Accreditation"), coerce=optional_id, validate_choice=False)


class MatrixFilterForm(GetForm):
    """The team is chosen from a select written out in the template: a foundation may have
    thousands of teams, too many to build as WTForms choices on every page."""

    q = StringField(_l("Name or employee number"), validators=[Optional(), Length(max=100)])
    status = SelectField(_l("Show people with"), choices=choices(STATUSES.items(), _l("Any status")))


class CourseForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)],
                                description=_l("Markdown: **bold**, *italic*, lists, links."))
    category = StringField(_l("Category"), validators=[Optional(), Length(max=100)])
    format = SelectField(_l("Format"), choices=choices(FORMATS.items()))
    duration_hours = NumberField(_l("Duration in hours"), places=2, validators=[Optional(), NumberRange(min=0, max=MAX_HOURS)],
                                 render_kw={"type": "text", "inputmode": "decimal"})
    provider = StringField(_l("Provider"), validators=[Optional(), Length(max=200)])
    cost = NumberField(_l("Cost in euros"), places=2, validators=[Optional(), NumberRange(min=0, max=MAX_COST)],
                       render_kw={"type": "text", "inputmode": "decimal"})
    register_id = SelectField(_l("Accredited by"), coerce=optional_id)
    accreditation_points = NumberField(_l("Accreditation points or hours"), places=2,
                                       validators=[Optional(), NumberRange(min=0, max=MAX_POINTS)],
                                       render_kw={"type": "text", "inputmode": "decimal"})
    validity_months = IntegerField(_l("Valid for (months)"), validators=[Optional(), NumberRange(min=1, max=240)],
                                   description=_l("Leave empty when the certificate does not expire."))
    grace_days = IntegerField(_l("Grace period (days)"), default=0, validators=[Optional(), NumberRange(min=0, max=365)])
    needs_approval = BooleanField(_l("Enrolment needs the manager's approval"))
    xapi_activity_id = StringField(_l("xAPI activity id"), validators=[Optional(), Length(max=500)],
                                   description=_l("The activity IRI the e-learning reports, e.g. https://elearning.example/avg."))
    group_wide = BooleanField(_l("Group-wide (every foundation sees it)"))
    active = BooleanField(_l("In the catalogue"), default=True)

    def validate_register_id(self, field):
        if field.data and self.accreditation_points.data is None:
            raise ValidationError(_l("Fill in the points or hours this course earns."))


class PathForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)])
    course_codes = TextAreaField(_l("Courses, in order"), validators=[DataRequired()],
                                 description=_l("One course code per line."))
    group_wide = BooleanField(_l("Group-wide (every foundation sees it)"))


class SessionForm(FlaskForm):
    starts_at = DateTimeLocalField(_l("Starts"), format=DATETIME_FORMATS, validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("Ends"), format=DATETIME_FORMATS, validators=[DataRequired()])
    location = StringField(_l("Location"), validators=[Optional(), Length(max=300)])
    online_url = StringField(_l("Online link"), validators=[Optional(), URL(require_tld=False), Length(max=500)])
    trainer = StringField(_l("Trainer"), validators=[Optional(), Length(max=254)],
                          description=_l("E-mail address or employee number of a person of this foundation."))
    capacity = IntegerField(_l("Places"), default=12, validators=[DataRequired(), NumberRange(min=1, max=1000)])
    cancelled = BooleanField(_l("Cancelled"))

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The end must lie after the start."))

    def validate_location(self, field):
        if not field.data and not self.online_url.data:
            raise ValidationError(_l("Fill in a location or an online link."))


class GroupEnrolForm(FlaskForm):
    team_id = SelectField(_l("Team"), coerce=optional_id)
    job_title = StringField(_l("Job title"), validators=[Optional(), Length(max=200)])
    person_type = SelectField(_l("Type"), choices=choices(PERSON_TYPES.items(), _l("Any type")))

    def validate_team_id(self, field):
        if not field.data and not self.job_title.data and not self.person_type.data:
            raise ValidationError(_l("Choose a team or fill in at least one filter."))


class AttendanceRowForm(Form):
    enrolment_id = HiddenField()
    attendance = SelectField(_l("Attendance"), choices=choices(ATTENDANCE.items(), _l("Not yet")))
    result = SelectField(_l("Result"), choices=choices(RESULTS.items(), _l("No result")))
    score = NumberField(_l("Score"), places=2, validators=[Optional(), NumberRange(min=0, max=MAX_SCORE)],
                        render_kw={"type": "text", "inputmode": "decimal"})

    def validate_result(self, field):
        if field.data and self.attendance.data != "present":
            raise ValidationError(_l("Only people who were present have a result."))


class AttendanceForm(FlaskForm):
    rows = FieldList(FormField(AttendanceRowForm))


class RecordForm(FlaskForm):
    """A record entered by hand: by an employee (awaits HR) or by HR for someone (verified)."""

    person = StringField(_l("Person"), validators=[Optional(), Length(max=254)],
                         description=_l("E-mail address or employee number. Leave empty for yourself."))
    course_id = SelectField(_l("Course"), coerce=optional_id, validators=[DataRequired()])
    completed_on = DateField(_l("Completed on"), validators=[DataRequired()])
    score = NumberField(_l("Score"), places=2, validators=[Optional(), NumberRange(min=0, max=MAX_SCORE)],
                        render_kw={"type": "text", "inputmode": "decimal"})
    evidence = FileField(_l("Certificate (PDF, JPEG or PNG)"))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class RequirementForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    course_ids = SelectMultipleField(_l("Courses (any of them counts)"), coerce=int, validators=[DataRequired()])
    team_id = SelectField(_l("Only for team"), coerce=optional_id)
    job_title = StringField(_l("Only for job title"), validators=[Optional(), Length(max=200)])
    person_type = SelectField(_l("Only for type"), choices=choices(PERSON_TYPES.items(), _l("Any type")))
    within_days = IntegerField(_l("Within days of the start date"), default=0,
                               validators=[Optional(), NumberRange(min=0, max=3650)])
    active = BooleanField(_l("Active"), default=True)


class RegistrationForm(FlaskForm):
    register_id = SelectField(_l("Register"), coerce=optional_id, validators=[DataRequired()])
    number = StringField(_l("Registration number"), validators=[Optional(), Length(max=40)])
    cycle_start = DateField(_l("Cycle starts"), validators=[DataRequired()])
    cycle_end = DateField(_l("Cycle ends"), validators=[Optional()],
                          description=_l("Leave empty for the register's usual cycle."))
    points_required = NumberField(_l("Points or hours required"), places=2,
                                  validators=[Optional(), NumberRange(min=0, max=MAX_POINTS)],
                                  description=_l("Leave empty for the register's usual number."),
                                  render_kw={"type": "text", "inputmode": "decimal"})

    def validate_cycle_end(self, field):
        if field.data and self.cycle_start.data and field.data <= self.cycle_start.data:
            raise ValidationError(_l("The cycle must end after it starts."))


class RegisterForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    cycle_months = IntegerField(_l("Cycle in months"), default=60, validators=[DataRequired(), NumberRange(min=1, max=240)])
    points_required = NumberField(_l("Points or hours per cycle"), places=2,
                                  validators=[DataRequired(), NumberRange(min=0, max=MAX_POINTS)],
                                  render_kw={"type": "text", "inputmode": "decimal"})
    unit = SelectField(_l("Counted in"), choices=choices(UNITS.items()))
    group_wide = BooleanField(_l("Group-wide (every foundation sees it)"))


class TokenForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("Which e-learning system uses it."))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a file."))])


class LearningSettingsForm(FlaskForm):
    cancel_deadline_hours = IntegerField(_l("People may cancel until this many hours before a session"), default=48,
                                         validators=[InputRequired(), NumberRange(min=0, max=720)])
    auto_enrol = BooleanField(_l("Enrol people automatically in the next session before their certificate expires"))
    auto_enrol_days = IntegerField(_l("Days before the expiry to enrol"), default=60,
                                   validators=[Optional(), NumberRange(min=7, max=365)])

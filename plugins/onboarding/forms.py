"""Forms of onboarding. Rules that need the database live in the services; these check shapes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from core.api import PERSON_TYPES, choices
from plugins.onboarding.vocabulary import FILE_TYPES, JOURNEY_STATUSES, KINDS, ROLES, TASK_TYPES


def _int_or_none(value):
    if value in (None, "", "None"):
        return None
    return int(value)


# -- templates --------------------------------------------------------------------------------------


class TemplateForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind of journey"), choices=choices(KINDS.items()))
    person_type = SelectField(_l("For people of type"), choices=choices(PERSON_TYPES.items(), _l("Any type")))
    team_name = StringField(
        _l("For the team"),
        validators=[Optional(), Length(max=200)],
        description=_l("The team's name; leave blank for any team."),
    )
    job_title = StringField(
        _l("For the job title"),
        validators=[Optional(), Length(max=200)],
        description=_l("Leave blank for any job title."),
    )
    invite_days_before_start = IntegerField(
        _l("Newcomers are invited this many days before they start"),
        default=14,
        validators=[InputRequired(), NumberRange(min=0, max=365)],
    )
    active = BooleanField(_l("In use for new journeys"), default=True)

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "kind": self.kind.data,
            "person_type": self.person_type.data or None,
            "team_name": (self.team_name.data or "").strip(),
            "job_title": (self.job_title.data or "").strip() or None,
            "invite_days_before_start": self.invite_days_before_start.data,
            "active": self.active.data,
        }


class TaskForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=20000)],
        description=_l("Markdown: **bold**, lists, [links](https://…)."),
    )
    task_type = SelectField(_l("Type"), choices=choices(TASK_TYPES.items()))
    assignee_role = SelectField(_l("Who does it"), choices=choices(ROLES.items()))
    assignee_email = EmailField(
        _l("E-mail of the named person"),
        validators=[Optional(), Length(max=254)],
        description=_l("Only for tasks of a named person."),
    )
    offset_days = IntegerField(
        _l("Due, in days from the start date"),
        default=0,
        validators=[InputRequired(), NumberRange(min=-365, max=365)],
        description=_l("Negative: before day one. 0: the first day."),
    )
    required = BooleanField(_l("Required"), default=True)
    depends_on = SelectMultipleField(_l("Waits for"), coerce=int, validate_choice=False)
    allowed_types = SelectMultipleField(
        _l("Allowed types of file"), choices=choices((k, t.label) for k, t in FILE_TYPES.items())
    )
    max_size_mb = IntegerField(_l("Largest file, in MB"), default=5, validators=[Optional()])
    questions = TextAreaField(_l("Questions, one per line"), validators=[Optional(), Length(max=10000)])
    document_text = TextAreaField(_l("Document to read (Markdown)"), validators=[Optional(), Length(max=50000)])
    document_file = FileField(_l("Or attach the document (PDF or Word)"))
    meeting_time = TimeField(_l("Time of the meeting"), default=None, validators=[Optional()])
    meeting_minutes = IntegerField(_l("Length in minutes"), default=30, validators=[Optional()])
    course_code = StringField(_l("Course code in Learning"), validators=[Optional(), Length(max=60)])

    def values(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if name not in ("csrf_token", "document_file")}


class ApplyTemplateForm(FlaskForm):
    template_id = SelectField(_l("Template"), coerce=int, validate_choice=False)


# -- journeys ---------------------------------------------------------------------------------------


class JourneyFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter

    status = SelectField(_l("Status"), choices=choices(JOURNEY_STATUSES.items(), _l("Any status")), default="")
    team = StringField(
        _l("Team"), validators=[Optional(), Length(max=200)], description=_l("A team's name or part of it.")
    )
    template = SelectField(_l("Template"), validate_choice=False)
    overdue = BooleanField(_l("Only with overdue tasks"))


class StartJourneyForm(FlaskForm):
    email = EmailField(_l("E-mail of the person"), validators=[DataRequired(), Length(max=254)])
    template_id = SelectField(
        _l("Template"),
        coerce=_int_or_none,
        validate_choice=False,
        description=_l("Leave on the best match to use the most specific template."),
    )
    start_date = DateField(
        _l("Start date"), validators=[Optional()], description=_l("Blank: the person's start date (or today).")
    )


class StartDateForm(FlaskForm):
    start_date = DateField(_l("Start date"), validators=[DataRequired()])


class BuddyForm(FlaskForm):
    buddy_id = SelectField(_l("Buddy"), coerce=_int_or_none, validate_choice=False)
    buddy_email = EmailField(_l("Or the e-mail of someone in another team"), validators=[Optional(), Length(max=254)])


class ReassignForm(FlaskForm):
    email = EmailField(_l("Give this task to (e-mail)"), validators=[DataRequired(), Length(max=254)])


class ActionForm(FlaskForm):
    """Only the CSRF token: for buttons (done, skip, reopen, cancel, move)."""


# -- doing tasks ------------------------------------------------------------------------------------


class ConfirmForm(FlaskForm):
    confirmed = BooleanField(
        _l("I have read this and I understand it"), validators=[DataRequired(_l("Tick the box to confirm."))]
    )


class UploadForm(FlaskForm):
    file = FileField(_l("File"))


class MeetingForm(FlaskForm):
    day = DateField(_l("Date"), validators=[DataRequired()])
    at = TimeField(_l("Time"), validators=[DataRequired()])


def answer_form(questions: list[str], **kwargs) -> FlaskForm:
    """A form with one required answer per question of a form task."""

    class AnswerForm(FlaskForm):
        pass

    for index, question in enumerate(questions):
        setattr(AnswerForm, f"q{index}", TextAreaField(question, validators=[DataRequired(), Length(max=2000)]))
    return AnswerForm(**kwargs)


SCORES = choices((n, str(n)) for n in range(1, 6))


class FeedbackForm(FlaskForm):
    welcome = RadioField(_l("I felt welcome in my team"), choices=SCORES, coerce=int, validators=[InputRequired()])
    clarity = RadioField(_l("I knew what was expected of me"), choices=SCORES, coerce=int, validators=[InputRequired()])
    support = RadioField(
        _l("The onboarding helped me to get started"), choices=SCORES, coerce=int, validators=[InputRequired()]
    )
    comment = TextAreaField(_l("Anything you want to tell us? (optional)"), validators=[Optional(), Length(max=2000)])


# -- settings ---------------------------------------------------------------------------------------


class SettingsForm(FlaskForm):
    backdate_days = IntegerField(
        _l("Start a journey for new people whose start date is at most this many days ago"),
        default=30,
        validators=[InputRequired(), NumberRange(min=0, max=365)],
    )
    retention_days = IntegerField(
        _l("Delete finished journeys and their files after this many days"),
        default=730,
        validators=[InputRequired(), NumberRange(min=30, max=3650)],
    )

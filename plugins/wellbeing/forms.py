"""Forms of the wellbeing plugin."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from plugins.wellbeing.models import SUPPORT_KINDS
from plugins.wellbeing.periods import CADENCES
from plugins.wellbeing.questions import COMMENT_MAX_LENGTH, DEFAULT_QUESTIONS, QUESTIONS, SCALE
from plugins.wellbeing.support import SUPPORT_KIND_TITLES


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


# -- check-in ---------------------------------------------------------------------------------------

class CheckinForm(FlaskForm):
    """One radio group per question of the campaign (added by ``checkin_form``)."""

    period_id = HiddenField()

    def answers(self, questions) -> dict[str, int]:
        return {key: self[key].data for key in questions}


def checkin_form(questions: list[str], with_comment: bool, **kwargs) -> CheckinForm:
    class Form(CheckinForm):
        pass

    for key in questions:
        question = QUESTIONS[key]
        setattr(Form, key, RadioField(
            question.text, coerce=int, choices=choices(zip(SCALE, question.labels, strict=True)),
            validators=[InputRequired(message=_l("Choose one of the answers."))],
        ))
    if with_comment:
        Form.comment = TextAreaField(
            _l("Anything you want to share about work? (optional)"),
            validators=[Optional(), Length(max=COMMENT_MAX_LENGTH)],
            description=_l("Read anonymously and in random order, and only when enough colleagues checked in. "
                           "Do not write names."),
        )
    return Form(**kwargs)


# -- campaigns --------------------------------------------------------------------------------------

class CampaignForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    cadence = SelectField(_l("How often"), choices=choices(CADENCES.items()), default="weekly")
    starts_on = DateField(_l("First day"), validators=[DataRequired()])
    ends_on = DateField(_l("Last day (optional)"), validators=[Optional()])
    questions = MultiCheckboxField(_l("Questions"), choices=choices((k, q.text) for k, q in QUESTIONS.items()),
                                   default=list(DEFAULT_QUESTIONS))
    comments_enabled = BooleanField(_l("Offer an optional comment"), default=True)
    comment_scope = SelectField(
        _l("Keep comments together for"),
        choices=choices([("foundation", _l("The whole campaign")), ("division", _l("Each division (region)"))]),
        default="foundation",
        description=_l("A group only gets a comment field when it has at least as many people as the comment threshold."),
    )
    all_teams = BooleanField(_l("All teams of the foundation"))
    team_ids = MultiCheckboxField(_l("Teams"), coerce=int, choices=[])

    def set_teams(self, teams) -> None:
        self.team_ids.choices = choices((team.id, team.name) for team in teams)

    def validate_ends_on(self, field) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day cannot be before the first day."))

    def validate_questions(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Choose at least one question."))

    def validate_team_ids(self, field) -> None:
        if not self.all_teams.data and not field.data:
            raise ValidationError(_l("Choose the teams, or all teams."))


class StartForm(FlaskForm):
    works_council_agreed = BooleanField(
        _l("The works council (ondernemingsraad) has agreed to this campaign."),
        validators=[DataRequired(message=_l("The works council must agree before the campaign can start."))],
    )
    dpia_on_file = BooleanField(
        _l("A data protection impact assessment (DPIA) is on file."),
        validators=[DataRequired(message=_l("A DPIA must be on file before the campaign can start."))],
    )
    dpia_reference = StringField(_l("Where the DPIA is filed (optional)"), validators=[Optional(), Length(max=200)])


# -- support ----------------------------------------------------------------------------------------

class ContactForm(FlaskForm):
    kind = SelectField(_l("Kind of support"), choices=choices((k, SUPPORT_KIND_TITLES[k]) for k in SUPPORT_KINDS))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("What they can help with"), validators=[Optional(), Length(max=2000)])
    how_to_reach = StringField(_l("How to reach them"), validators=[Optional(), Length(max=300)],
                               description=_l("Phone number, e-mail address or web page."))
    person_email = StringField(
        _l("E-mail of the colleague who receives talk requests (optional)"), validators=[Optional(), Length(max=254)],
        description=_l("Without one, people see this support but cannot send a request through Journey."),
    )
    position = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(min=0, max=999)])


class TalkRequestForm(FlaskForm):
    contact_id = RadioField(_l("Who would you like to talk to?"), coerce=int, choices=[],
                            validators=[InputRequired(message=_l("Choose who you would like to talk to."))])
    message = TextAreaField(_l("How and when can they reach you? (optional)"), validators=[Optional(), Length(max=500)])

    def set_contacts(self, contacts) -> None:
        self.contact_id.choices = choices((c.id, c.name) for c in contacts)


# -- team follow-up ---------------------------------------------------------------------------------

class ActionForm(FlaskForm):
    text = StringField(_l("What we will try"), validators=[DataRequired(), Length(max=500)])

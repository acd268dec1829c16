"""Forms. A pattern is a grid of block rows (weekday, from, to, place, "continues after midnight");
empty rows are ignored, so it works without JavaScript. Pattern errors land on the row's field."""
from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput

from core.api import DecimalCommaField, choices
from plugins.flexwork.models import CHANGE_NAMES, CHANGE_TITLES, PLACE_TITLES, WEEKDAY_TITLES, WEIGHTY_INTEREST_TITLES
from plugins.flexwork.pattern import Block, problems

SPARE_ROWS = 2  # empty rows shown below the pattern; "one more day" adds another, without JavaScript
MAX_ROWS = 28
ADD_ROW = "add_row"
DAY_CHOICES = choices(enumerate(WEEKDAY_TITLES), "—")
PLACE_CHOICES = choices(PLACE_TITLES.items())


def _minutes(value) -> int:
    return value.hour * 60 + value.minute


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class BlockForm(Form):
    """One row of the pattern grid (a sub-form: the CSRF token is the outer form's)."""

    day = SelectField(_l("Day"), choices=DAY_CHOICES, default="")
    start = TimeField(_l("From"), validators=[Optional()])
    end = TimeField(_l("End time"), validators=[Optional()])
    place = SelectField(_l("Place"), choices=PLACE_CHOICES, default="office")
    overnight = BooleanField(_l("Continues after midnight"))


PROBLEM_TEXTS = {
    "empty": _l("The block ends when it starts."),
    "end_before_start": _l("The end is before the start. Tick \u201ccontinues after midnight\u201d if the block runs into the next day."),
    "over_24h": _l("A block that continues after midnight must end earlier in the day than it starts: at most 24 hours."),
    "day_over_24h": _l("The blocks of this day add up to more than 24 hours."),
}


class PatternMixin:
    """Contract hours, flexible hours and the block grid, shared by requests and agreements."""

    contract_hours = DecimalCommaField(_l("Contract hours per week"), places=2, validators=[InputRequired(), NumberRange(min=0, max=60)],
                                render_kw={"type": "text", "inputmode": "decimal"})
    flex_hours = DecimalCommaField(_l("Flexible hours per week you plan yourself"), places=2, default=Decimal(0),
                            validators=[Optional(), NumberRange(min=0, max=60)],
                            render_kw={"type": "text", "inputmode": "decimal"},
                            description=_l("Hours besides the fixed blocks below, to plan as you see fit."))
    blocks = FieldList(FormField(BlockForm), max_entries=MAX_ROWS)

    def fill_pattern(self, contract_hours, flex_hours, blocks) -> None:
        """The form for ``blocks``: a row each, plus the spare empty rows."""
        self.contract_hours.data = Decimal(contract_hours)
        self.flex_hours.data = Decimal(flex_hours or 0)
        for block in sorted(blocks)[:MAX_ROWS]:
            row = self.blocks.append_entry().form
            row.day.data = str(block.day)
            row.start.data = _time(block.start)
            row.end.data = _time(block.end)
            row.place.data = block.place
            row.overnight.data = block.overnight
        self.add_rows(SPARE_ROWS)

    def add_rows(self, count: int = 1) -> None:
        while count > 0 and len(self.blocks) < MAX_ROWS:
            self.blocks.append_entry()
            count -= 1

    @property
    def can_add_row(self) -> bool:
        return len(self.blocks) < MAX_ROWS

    def pattern_blocks(self) -> tuple[Block, ...]:
        """The blocks entered; call after ``validate`` succeeded."""
        return tuple(sorted(block for _row, block in self._rows()))

    def _rows(self) -> list[tuple[BlockForm, Block]]:
        rows = []
        for row in self.blocks:
            form = row.form
            if form.day.data in ("", None) or form.start.data is None or form.end.data is None:
                continue
            rows.append((form, Block(int(form.day.data), _minutes(form.start.data), _minutes(form.end.data),
                                     form.place.data, bool(form.overnight.data))))
        return rows

    def validate_pattern(self) -> bool:
        ok = True
        for row in self.blocks:
            form = row.form
            filled = [f for f in (form.start, form.end) if f.data is not None]
            if any(f.errors for f in (form.day, form.start, form.end, form.place)):  # e.g. a day that is no choice
                ok = False
            elif form.day.data in ("", None) and filled:
                form.day.errors.append(_("Choose a day for this block."))
                ok = False
            elif form.day.data not in ("", None) and len(filled) < 2:
                for f in (form.start, form.end):
                    if f.data is None:
                        f.errors.append(_("Enter a time."))
                ok = False
        if not ok:
            return False
        rows = self._rows()
        numbers = {id(form): position + 1 for position, form in enumerate(r.form for r in self.blocks)}
        for problem in problems([block for _form, block in rows]):
            form = rows[problem.index][0]
            if problem.code == "overlap":
                message = _("This block overlaps the block on row %(row)d.", row=numbers[id(rows[problem.other][0])])
            else:
                message = str(PROBLEM_TEXTS[problem.code])
            getattr(form, problem.field).errors.append(message)
            ok = False
        if ok and self.flex_hours.data and self.contract_hours.data is not None and self.flex_hours.data > self.contract_hours.data:
            self.flex_hours.errors.append(_("The flexible hours cannot exceed the contract hours."))
            ok = False
        return ok


def _time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


class RequestForm(PatternMixin, FlaskForm):
    changes = MultiCheckboxField(_l("What do you want to change?"), choices=choices(CHANGE_TITLES.items()),
                                 validators=[DataRequired(_l("Choose what you want to change: one or more."))],
                                 description=_l("Tick everything your proposal changes."))
    temporary = BooleanField(_l("For a while only (a temporary arrangement with an end date)"))
    start_date = DateField(_l("Desired start date"), validators=[InputRequired()])
    end_date = DateField(_l("End date"), validators=[Optional()],
                         description=_l("Only for a temporary arrangement: the last day it applies."))
    trial_weeks = IntegerField(_l("Trial period in weeks (optional)"), validators=[Optional(), NumberRange(min=1, max=52)],
                               widget=NumberInput(min=1, max=52))
    motivation = TextAreaField(_l("Explanation for your manager"), validators=[Optional(), Length(max=4000)])

    def validate_start_date(self, field) -> None:
        if field.data and field.data < self.today:
            raise ValidationError(_("The start date lies in the past."))

    def validate_end_date(self, field) -> None:
        if field.data is not None and not self.temporary.data:
            raise ValidationError(_("Only a temporary arrangement has an end date."))
        if field.data is not None and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_("The end date is before the start date."))

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def validate(self, extra_validators=None) -> bool:
        fields_ok = super().validate(extra_validators)
        if self.temporary.data and self.end_date.data is None and not self.end_date.errors:
            self.end_date.errors.append(_("A temporary arrangement needs an end date."))
            fields_ok = False
        return self.validate_pattern() and fields_ok

    def require_changes(self, found: set[str]) -> bool:
        """The proposal changes ``found``; each of them must be ticked, so that the request is filed as
        what it is (a change of times and place is a change of working times too)."""
        missing = [change for change in CHANGE_TITLES if change in found and change not in (self.changes.data or [])]
        if missing:
            self.changes.errors = list(self.changes.errors) + [
                _("Your proposal also changes this: %(what)s. Tick it too.",
                  what=format_list([str(CHANGE_NAMES[change]) for change in missing], locale=get_locale()))]
        return not missing


class AgreementForm(PatternMixin, FlaskForm):
    valid_from = DateField(_l("Applies from"), validators=[InputRequired()])
    valid_to = DateField(_l("Applies until (optional)"), validators=[Optional()])

    def validate_valid_to(self, field) -> None:
        if field.data and self.valid_from.data and field.data < self.valid_from.data:
            raise ValidationError(_("The end date is before the start date."))

    def validate(self, extra_validators=None) -> bool:
        fields_ok = super().validate(extra_validators)
        return self.validate_pattern() and fields_ok


class ApproveForm(FlaskForm):
    conditions = TextAreaField(_l("Conditions (optional)"), validators=[Optional(), Length(max=4000)])
    trial_weeks = IntegerField(_l("Trial period in weeks"), validators=[Optional(), NumberRange(min=1, max=52)],
                               widget=NumberInput(min=1, max=52),
                               description=_l("At its end you and the employee are reminded to evaluate."))

    def __init__(self, *args, with_trial: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_trial = with_trial

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and self.with_trial and not self.trial_weeks.data:
            self.trial_weeks.errors.append(_("Enter the length of the trial period."))
            ok = False
        return ok


class RejectForm(FlaskForm):
    category = SelectField(_l("Weighty business interest"), choices=choices(WEIGHTY_INTEREST_TITLES.items(), "—"),
                           validators=[Optional()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=4000)],
                           description=_l("The employee reads this; say why and what could be possible instead."))

    def __init__(self, *args, needs_category: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_category = needs_category

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.needs_category and not self.category.data:
            self.category.errors.append(_("For a change of hours or working times, name the weighty business interest."))
            ok = False
        return ok


class CoverageRuleForm(FlaskForm):
    label = StringField(_l("Description"), validators=[DataRequired(), Length(max=200)],
                        description=_l("For example: phone of the secretariat"))
    weekdays = MultiCheckboxField(_l("Days"), choices=choices(enumerate(WEEKDAY_TITLES)),
                                  validators=[DataRequired(_l("Choose at least one day."))])
    start_time = TimeField(_l("From"), validators=[InputRequired()])
    end_time = TimeField(_l("End time"), validators=[InputRequired()])
    min_people = IntegerField(_l("At least this many people"), default=1, widget=NumberInput(min=1, max=100),
                              validators=[InputRequired(), NumberRange(min=1, max=100)])
    place = SelectField(_l("Only counting people at"), choices=choices(PLACE_TITLES.items(), _l("Any place")),
                        validators=[Optional()])
    job_title = StringField(_l("Only counting this job title (optional)"), validators=[Optional(), Length(max=200)])

    def validate_end_time(self, field) -> None:
        if field.data and self.start_time.data and field.data <= self.start_time.data:
            raise ValidationError(_("The end must be after the start (a rule lies within one day)."))


class TeamSettingForm(FlaskForm):
    auto_approve_swaps = BooleanField(_l("Approve swaps automatically when the team's coverage stays met"))


class SwapForm(FlaskForm):
    partner = SelectField(_l("Colleague"), coerce=lambda v: int(v) if v not in (None, "") else None,
                          validators=[InputRequired()])
    give_date = DateField(_l("The day you give to your colleague"), validators=[InputRequired()])
    take_date = DateField(_l("The day of your colleague you work instead"), validators=[InputRequired()],
                          description=_l("In the same week; it may be the same day."))
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=2000)])


class SwapRejectForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])

"""Per-foundation settings: the working-time rule set (Arbeidstijdenwet defaults) and when HR hears
of a deadline."""
from __future__ import annotations

import math

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, IntegerField
from wtforms.validators import InputRequired, NumberRange, StopValidation
from wtforms.widgets import NumberInput

from core.api import plugin_settings
from plugins.flexwork.labour import LabourRules

DEFAULTS = LabourRules()
HR_ALERT_DAYS = 7


def _hours(label, default, low, high):
    return FloatField(label, default=default, widget=NumberInput(step="0.25", min=low, max=high),
                      validators=[InputRequired(), _finite, NumberRange(min=low, max=high)])


def _finite(form, field):
    """FloatField reads "nan" and "inf", which every range check lets through."""
    if field.data is not None and not math.isfinite(field.data):
        raise StopValidation(field.gettext("Not a valid float value."))


class FlexworkSettingsForm(FlaskForm):
    max_shift_hours = _hours(_l("Most hours in one shift"), DEFAULTS.max_shift_hours, 1, 24)
    max_week_hours = _hours(_l("Most hours in one week"), DEFAULTS.max_week_hours, 1, 168)
    max_average_4_weeks = _hours(_l("Most hours a week on average over 4 weeks"), DEFAULTS.max_average_4_weeks, 1, 168)
    max_average_16_weeks = _hours(_l("Most hours a week on average over 16 weeks"), DEFAULTS.max_average_16_weeks, 1, 168)
    min_daily_rest_hours = _hours(_l("Least rest between working days (hours)"), DEFAULTS.min_daily_rest_hours, 0, 24)
    min_weekly_rest_hours = _hours(_l("Least uninterrupted rest in each week (hours)"), DEFAULTS.min_weekly_rest_hours, 0, 168)
    hr_alert_days = IntegerField(
        _l("Alert HR this many days before an undecided request's deadline"), default=HR_ALERT_DAYS,
        widget=NumberInput(min=1, max=31), validators=[InputRequired(), NumberRange(min=1, max=31)],
    )


def labour_rules(foundation_id: int) -> LabourRules:
    return LabourRules.from_settings(plugin_settings("flexwork", foundation_id))


def hr_alert_days(foundation_id: int) -> int:
    return int(plugin_settings("flexwork", foundation_id).get("hr_alert_days") or HR_ALERT_DAYS)

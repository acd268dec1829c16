"""Per-foundation settings: thresholds (may be raised, never lowered below the floor), comment
retention, when signposting and the reminder come."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from core.api import plugin_settings
from plugins.wellbeing import KEY
from plugins.wellbeing.suppression import MIN_THRESHOLD

MIN_COMMENT_THRESHOLD = 10


@dataclass(frozen=True)
class Settings:
    min_group: int = MIN_THRESHOLD
    min_comment_group: int = MIN_COMMENT_THRESHOLD
    comment_retention_months: int = 6
    low_score: int = 2
    reminder_days_before_close: int = 2


DEFAULTS = Settings()


def settings_for(foundation_id: int) -> Settings:
    """The saved settings, with the floors enforced again (a hand-edited row cannot lower them)."""
    saved = plugin_settings(KEY, foundation_id)

    def number(name: str) -> int:
        value = saved.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else getattr(DEFAULTS, name)

    min_group = max(number("min_group"), MIN_THRESHOLD)
    return Settings(
        min_group=min_group,
        min_comment_group=max(number("min_comment_group"), MIN_COMMENT_THRESHOLD, min_group),
        comment_retention_months=max(number("comment_retention_months"), 1),
        low_score=min(max(number("low_score"), 1), 4),
        reminder_days_before_close=max(number("reminder_days_before_close"), 0),
    )


class SettingsForm(FlaskForm):
    min_group = IntegerField(
        _l("Minimum check-ins before a result is shown"), default=DEFAULTS.min_group,
        validators=[InputRequired(), NumberRange(min=MIN_THRESHOLD, max=100,
                                                 message=_l("Choose a number from %(min)s to %(max)s."))],
        description=_l("At least 5. You may raise it, never lower it."),
    )
    min_comment_group = IntegerField(
        _l("Minimum check-ins before comments are shown"), default=DEFAULTS.min_comment_group,
        validators=[InputRequired(), NumberRange(min=MIN_COMMENT_THRESHOLD, max=200,
                                                 message=_l("Choose a number from %(min)s to %(max)s."))],
        description=_l("At least 10, and not below the minimum for results."),
    )
    comment_retention_months = IntegerField(
        _l("Delete comments after (months)"), default=DEFAULTS.comment_retention_months,
        validators=[InputRequired(), NumberRange(min=1, max=60, message=_l("Choose a number from %(min)s to %(max)s."))],
        description=_l("Counted from the end of the period. The counted answers are kept."),
    )
    low_score = IntegerField(
        _l("Offer support after an answer of at most"), default=DEFAULTS.low_score,
        validators=[InputRequired(), NumberRange(min=1, max=4, message=_l("Choose a number from %(min)s to %(max)s."))],
        description=_l("On the 1–5 scale. The answer itself is not kept with the person."),
    )
    reminder_days_before_close = IntegerField(
        _l("Send the reminder this many days before a period closes"), default=DEFAULTS.reminder_days_before_close,
        validators=[InputRequired(), NumberRange(min=0, max=30, message=_l("Choose a number from %(min)s to %(max)s."))],
    )

    def validate_min_comment_group(self, field) -> None:
        if field.data is not None and self.min_group.data is not None and field.data < self.min_group.data:
            raise ValidationError(_l("Comments need at least as many check-ins as results."))

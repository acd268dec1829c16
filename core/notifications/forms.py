"""The preferences form: one choice of delivery per kind of notification."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from core.notifications.kinds import CHANNEL_TITLES, NotificationKind


def field_name(kind: NotificationKind) -> str:
    """Kind keys hold dots, which do not belong in form field names."""
    return "kind__" + kind.key.replace(".", "__")


def preferences_form(kinds: list[NotificationKind], current: dict[str, str]) -> FlaskForm:
    """A form for ``kinds``, pre-filled with ``current`` ({kind key: channel}); a POST's values win."""

    class PreferencesForm(FlaskForm):
        pass

    for kind in kinds:
        setattr(PreferencesForm, field_name(kind), SelectField(kind.title, choices=[SelectChoice(key, title) for key, title in CHANNEL_TITLES.items()]))
    return PreferencesForm(data={field_name(kind): current[kind.key] for kind in kinds})


def chosen_channels(form: FlaskForm, kinds: list[NotificationKind]) -> dict[str, str]:
    return {kind.key: form[field_name(kind)].data for kind in kinds}

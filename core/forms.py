"""Form helpers shared by core's forms and every plugin's: choices for a select, a select whose
blank means "none", and a decimal box that takes the Dutch decimal comma."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from wtforms import DecimalField
from wtforms.fields.choices import SelectChoice


def choices(pairs, blank=None) -> list[SelectChoice]:
    """Options from (value, label) pairs, after an optional blank option labelled ``blank``."""
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(str(value), label) for value, label in pairs]


def optional_id(value) -> int | None:
    """Coerce a select's value: blank means no choice."""
    if value in (None, ""):
        return None
    return int(value)


class DecimalCommaField(DecimalField):
    """A number in a text box (hours per week, points): shown with a decimal comma, accepting a
    comma or a point."""

    def _value(self):
        if self.raw_data:  # what the user typed, as typed
            return self.raw_data[0]
        return super()._value().replace(".", ",")

    def process_formdata(self, valuelist):
        super().process_formdata([value.replace(",", ".") for value in valuelist])
        if self.data is None:
            return
        # Decimal reads "NaN", "sNaN" and "Infinity" too; a column takes neither those nor
        # 1e-999999 before it is rounded to the places the field shows.
        try:
            if not self.data.is_finite():
                raise InvalidOperation
            self.data = self.data.quantize(Decimal(1).scaleb(-(self.places or 0)), rounding=ROUND_HALF_UP)
        except InvalidOperation:
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value.")) from None

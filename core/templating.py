"""Template helpers that core offers every page, plugins included."""
from __future__ import annotations

from markupsafe import Markup, escape


def select_options(choices, selected) -> Markup:
    """``<option>`` elements for a long list (thousands of teams) built in one pass: a Jinja loop
    over them costs more than the rest of the page."""
    wanted = "" if selected is None else str(selected)
    return Markup("".join(
        f'<option value="{escape(value)}"{" selected" if str(value) == wanted else ""}>{escape(label)}</option>'
        for value, label in choices
    ))


def init_app(app) -> None:
    app.jinja_env.globals["select_options"] = select_options

"""The ``onboarding`` blueprint (mounted at /onboarding/); its routes live in the modules imported
at the end, one per audience: mine (everyone's own page), team (managers), hr and hr_templates."""

from __future__ import annotations

from flask import Blueprint

from core.api import render_markdown
from plugins.onboarding import KEY

bp = Blueprint(KEY, __name__, template_folder="../templates", static_folder="../static", static_url_path="/static")
# Task descriptions and documents are Markdown written by HR (templates/onboarding/_macros.html).
bp.add_app_template_filter(render_markdown, "onboarding_markdown")

from plugins.onboarding.views import hr, hr_templates, mine, team  # noqa: E402, F401  (their routes join the blueprint)

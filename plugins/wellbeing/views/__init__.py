"""The ``wellbeing`` blueprint; its routes live in the modules imported at the end, one per audience."""
from flask import Blueprint

from plugins.wellbeing import KEY

bp = Blueprint(KEY, __name__, template_folder="../templates", static_folder="../static")

from plugins.wellbeing.views import admin, api, hr, mine, team  # noqa: E402, F401  (their routes join the blueprint)

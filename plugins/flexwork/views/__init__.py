"""The ``flexwork`` blueprint; its routes live in the modules imported at the end, one per audience."""
from flask import Blueprint

from plugins.flexwork import KEY

bp = Blueprint(KEY, __name__, template_folder="../templates")

from plugins.flexwork.views import (  # noqa: E402, F401  (their routes join the blueprint)
    hr,
    mine,
    mine_calendar,
    mine_swaps,
    public,
    team,
    team_approvals,
    team_coverage,
)

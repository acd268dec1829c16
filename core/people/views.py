"""People and teams (HR)."""
from __future__ import annotations

from flask import Blueprint, render_template

from core.permissions import permission_required

bp = Blueprint("people", __name__)


@bp.route("/")
@permission_required("core.view_people")
def index():
    return render_template("people/index.html")

"""The dashboard, the foundation switcher, the accessibility statement and the health check."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from core import tenancy
from core.extensions import db
from core.models import Foundation
from core.permissions import acting_foundation_id
from core.plugins import plugin_manager

bp = Blueprint("home", __name__)


@bp.route("/")
@login_required
def dashboard():
    foundation = db.session.get(Foundation, acting_foundation_id())
    hook = plugin_manager().hook_for(foundation.id)
    widgets = [w for ws in hook.dashboard_widgets(user=current_user, foundation=foundation) for w in ws]
    widgets.sort(key=lambda w: (w.order, w.title))
    return render_template("dashboard.html", widgets=widgets, foundation=foundation)


@bp.route("/foundation", methods=["POST"])
@login_required
def switch_foundation():
    """Group admins (and HR admins of several foundations) choose the foundation they work in."""
    wanted = request.form.get("foundation_id", type=int)
    scope = tenancy.current_scope()
    if wanted is None or (scope is not None and wanted not in scope) or db.session.get(Foundation, wanted) is None:
        abort(404)
    session["acting_foundation_id"] = wanted
    return redirect(url_for("home.dashboard"))


@bp.route("/accessibility")
def accessibility():
    """The accessibility statement, after the Dutch government's model: open to everyone."""
    return render_template("accessibility.html", contact=current_app.config["ACCESSIBILITY_CONTACT"])


@bp.route("/healthz")
def healthz():
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}

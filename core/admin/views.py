"""Administration: plugins per foundation."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from core import audit, plugin_switch
from core.extensions import db
from core.models import Foundation, utcnow
from core.permissions import admin_foundation_ids, permission_required
from core.plugins import plugin_manager

bp = Blueprint("admin", __name__)


def _administered_foundations() -> list[Foundation]:
    ids = admin_foundation_ids(current_user)
    query = select(Foundation).order_by(Foundation.name)
    if ids is not None:
        query = query.where(Foundation.id.in_(ids))
    return db.session.scalars(query).all()


def _foundation_or_404(slug: str) -> Foundation:
    for foundation in _administered_foundations():
        if foundation.slug == slug:
            return foundation
    abort(404)


def _plugin_or_404(key: str):
    info = plugin_manager().plugins.get(key)
    if info is None:
        abort(404)
    return info


@bp.route("/plugins")
@permission_required("core.manage_plugins")
def plugins():
    manager = plugin_manager()
    foundations = _administered_foundations()
    state = {f.id: manager.enabled_keys(f.id) for f in foundations}
    locale = str(get_locale())
    return render_template(
        "admin/plugins.html",
        plugins=sorted(manager.plugins.values(), key=lambda p: p.key),
        foundations=foundations,
        state=state,
        locale=locale,
        settings_forms={k for k in manager.plugins if manager.call_one(k, "plugin_settings_form")},
    )


@bp.route("/plugins/<key>/<slug>/confirm", methods=["GET"])
@permission_required("core.manage_plugins")
def confirm_switch(key: str, slug: str):
    """Asks before switching: names requirements to switch on, or dependants that block."""
    info = _plugin_or_404(key)
    foundation = _foundation_or_404(slug)
    manager = plugin_manager()
    on = manager.is_enabled(key, foundation.id)
    return render_template(
        "admin/plugin_confirm.html",
        info=info,
        foundation=foundation,
        on=on,
        # named as people know them, not by key
        missing=[] if on else [manager.plugins[k].name for k in plugin_switch.missing_requirements(manager, foundation, key)],
        blockers=[manager.plugins[k].name for k in plugin_switch.dependants(manager, foundation, key)] if on else [],
        locale=str(get_locale()),
    )


@bp.route("/plugins/<key>/<slug>", methods=["POST"])
@permission_required("core.manage_plugins")
def switch(key: str, slug: str):
    _plugin_or_404(key)
    foundation = _foundation_or_404(slug)
    manager = plugin_manager()
    action = request.form.get("action")
    try:
        if action == "enable":
            switched = plugin_switch.enable(
                manager, foundation, key, actor=current_user, with_requirements=request.form.get("with_requirements") == "1"
            )
            names = ", ".join(manager.plugins[k].name for k in switched or [key])
            flash(_("Switched on for %(foundation)s: %(names)s.", foundation=foundation.name, names=names), "success")
        elif action == "disable":
            plugin_switch.disable(manager, foundation, key, actor=current_user)
            flash(_("%(plugin)s is switched off for %(foundation)s. Its data is kept.", plugin=manager.plugins[key].name,
                    foundation=foundation.name), "success")
        else:
            abort(400)
    except plugin_switch.SwitchRefused as refused:
        flash(str(refused), "error")
        return redirect(url_for("admin.confirm_switch", key=key, slug=slug))
    return redirect(url_for("admin.plugins"))


@bp.route("/plugins/<key>/<slug>/settings", methods=["GET", "POST"])
@permission_required("core.manage_plugins")
def plugin_settings(key: str, slug: str):
    info = _plugin_or_404(key)
    foundation = _foundation_or_404(slug)
    form_class = plugin_manager().call_one(key, "plugin_settings_form")
    if form_class is None:
        abort(404)
    row = plugin_switch.state_row(foundation, key)
    form = form_class(data=row.settings or None)
    if form.validate_on_submit():
        row.settings = {name: f.data for name, f in form._fields.items() if name != "csrf_token"}
        row.changed_at, row.changed_by_id = utcnow(), current_user.id
        audit.record("plugin.settings_changed", foundation_id=foundation.id, details={"plugin": key, "fields": sorted(row.settings)})
        db.session.commit()
        plugin_manager().forget_state()
        flash(_("Settings saved."), "success")
        return redirect(url_for("admin.plugins"))
    return render_template("admin/plugin_settings.html", info=info, foundation=foundation, form=form, locale=str(get_locale())), 400 if form.errors else 200


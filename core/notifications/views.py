"""A person's own notifications and delivery preferences (``/notifications/``)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from core import tenancy
from core.extensions import db
from core.models.notifications import Notification
from core.notifications.forms import chosen_channels, preferences_form
from core.notifications.kinds import CHANNEL_TITLES, all_kinds
from core.notifications.service import channels_for, mark_read, set_preferences
from core.plugins import plugin_manager

bp = Blueprint("notifications", __name__)


@bp.route("/")
@login_required
def index():
    page = db.paginate(
        select(Notification)
        .where(Notification.person_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template("notifications/index.html", page=page)


@bp.route("/<int:notification_id>/read", methods=["POST"])
@login_required
def read(notification_id: int):
    """Mark one read; with ``open`` set, go on to what it is about."""
    notification = tenancy.get_or_404(Notification, notification_id)
    if notification.person_id != current_user.id:
        abort(404)
    mark_read(current_user, [notification.id])
    db.session.commit()
    link = notification.link
    if request.form.get("open") and link and link.startswith("/"):
        return redirect(link)
    return redirect(url_for("notifications.index", page=request.form.get("page", type=int) or None))


@bp.route("/read-all", methods=["POST"])
@login_required
def read_all():
    count = mark_read(current_user)
    db.session.commit()
    flash(ngettext("%(num)d notification marked as read.", "%(num)d notifications marked as read.", count), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    kinds = _visible_kinds()
    current = channels_for((current_user.id, kind.key) for kind in kinds) if kinds else {}
    form = preferences_form(kinds, {key: channel for (_, key), channel in current.items()})
    if form.validate_on_submit():
        set_preferences(current_user, chosen_channels(form, kinds))
        db.session.commit()
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for("notifications.preferences"))
    status = 400 if form.errors else 200
    return render_template("notifications/preferences.html", form=form, channels=CHANNEL_TITLES), status


def _visible_kinds():
    """Core's kinds and those of the plugins switched on for the person's foundation."""
    enabled = plugin_manager().enabled_keys(current_user.foundation_id)
    return [kind for kind in all_kinds() if kind.owner == "core" or kind.owner in enabled]

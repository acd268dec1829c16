"""One's own work pattern as a calendar: the download, and making the secret subscription address."""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.api import db, permission_required
from plugins.flexwork.calendar_feed import feed_response, renew_feed_key
from plugins.flexwork.views import bp


@bp.route("/calendar.ics")
@login_required
def calendar_download():
    return feed_response(current_user)


@bp.route("/calendar/key", methods=["POST"])
@permission_required("flexwork.request")
def calendar_key():
    """Make (or renew) the secret subscription address; an earlier address stops working."""
    renew_feed_key(current_user)
    db.session.commit()
    flash(_("Your calendar address is ready. Earlier addresses no longer work."), "success")
    return redirect(url_for("flexwork.index") + "#calendar")

"""One's own work pattern as a calendar: the download, and making the secret subscription address."""
from __future__ import annotations

from flask import render_template, url_for
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
    """Make (or renew) the secret subscription address; an earlier address stops working. The
    address is shown on this answer only: only its hash is kept."""
    key = renew_feed_key(current_user)
    db.session.commit()
    return render_template("flexwork/calendar_key.html",
                           feed_url=url_for("flexwork.calendar_feed", key=key, _external=True))

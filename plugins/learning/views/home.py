"""My learning (the landing page) and the personal calendar feed."""
from __future__ import annotations

from flask import Response, abort, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from core.extensions import db
from core.models import Person
from core.permissions import permission_required
from core.plugins import plugin_manager
from plugins.learning import overview, registrations
from plugins.learning.blueprint import bp
from plugins.learning.calendar_ics import feed_ics, feed_sessions, new_feed_token, token_hash
from plugins.learning.clock import local_now, local_today
from plugins.learning.forms import ActionForm
from plugins.learning.models import FeedToken
from plugins.learning.vocabulary import KEY


@bp.route("/")
@login_required
def index():
    now, today = local_now(), local_today()
    done = overview.completed_course_ids(current_user)
    return render_template(
        "learning/index.html",
        lines=overview.requirement_lines(current_user, today),
        enrolments=overview.upcoming_enrolments(current_user, now),
        training=overview.trainer_sessions(current_user, now),
        records=overview.records_of(current_user),
        registrations=registrations.of_person(current_user.id),
        paths=[p for p in overview.path_progress(current_user, done) if p.completed],
        percent=registrations.percent,
    )


@bp.route("/calendar", methods=["GET", "POST"])
@permission_required("learning.enrol")
def calendar():
    """The feed address is shown once, when it is made; making a new one ends the old one."""
    form = ActionForm()
    feed_url = None
    if form.validate_on_submit():
        token = new_feed_token(current_user)
        db.session.commit()
        feed_url = url_for("learning.calendar_feed", token=token, _external=True)
    has_feed = db.session.scalar(select(FeedToken.id).where(FeedToken.person_id == current_user.id)) is not None
    return render_template("learning/calendar.html", form=form, feed_url=feed_url, has_feed=has_feed)


@bp.route("/calendar/<token>.ics")
def calendar_feed(token: str):
    """Read by calendar programs without a sign-in: the secret in the address is the key. The
    person's foundation must have learning on."""
    row = db.session.execute(
        select(FeedToken, Person).join(Person, Person.id == FeedToken.person_id)
        .where(FeedToken.token_hash == token_hash(token)).execution_options(all_tenants=True)
    ).first()
    if row is None or not row.Person.is_active or not plugin_manager().is_enabled(KEY, row.Person.foundation_id):
        abort(404)
    body = feed_ics(row.Person, feed_sessions(row.Person.id))
    return Response(body, mimetype="text/calendar", headers={"Content-Disposition": "inline; filename=learning.ics"})

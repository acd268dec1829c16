"""Pages read without a sign-in, found by a secret or code in their address: the personal
calendar feed and the check of a certificate. Both look across foundations on purpose and then
require learning to be on for the foundation the row belongs to."""
from __future__ import annotations

from flask import Response, abort, render_template
from sqlalchemy import select

from core.api import Person, clock, db, is_enabled, public_view
from plugins.learning import KEY
from plugins.learning.calendar_ics import feed_ics, feed_sessions, token_hash
from plugins.learning.models import Course, FeedToken, TrainingRecord
from plugins.learning.views import bp


@bp.route("/calendar/<token>.ics")
@public_view
def calendar_feed(token: str):
    """Read by calendar programs without a sign-in: the secret in the address is the key, whoever
    opens it (a browser signed in to another foundation too). The person's foundation must have
    learning on."""
    row = db.session.execute(
        select(FeedToken, Person).join(Person, Person.id == FeedToken.person_id)
        .where(FeedToken.token_hash == token_hash(token)).execution_options(all_tenants=True)
    ).first()
    if row is None or not row.Person.is_active or not is_enabled(KEY, row.Person.foundation_id):
        abort(404)
    body = feed_ics(row.Person, feed_sessions(row.Person.id))
    return Response(body, mimetype="text/calendar", headers={"Content-Disposition": "inline; filename=learning.ics"})


@bp.route("/verify/<code>")
@public_view
def verify_certificate(code: str):
    """Public: anyone holding a certificate's code may check it, signed in or not. Only the
    name, the course, the dates and whether it is valid are shown. Anonymous requests see no
    foundation's rows, so this look-up crosses foundations on purpose; the record's foundation
    must have learning on."""
    found = db.session.execute(
        select(TrainingRecord, Person.first_name, Person.last_name, Course.title)
        .join(Person, Person.id == TrainingRecord.person_id).join(Course, Course.id == TrainingRecord.course_id)
        .where(TrainingRecord.verification_code == code.strip().upper(), TrainingRecord.status == "verified")
        .execution_options(all_tenants=True)
    ).first()
    if found is None or not is_enabled(KEY, found.TrainingRecord.foundation_id):
        abort(404)
    row = found.TrainingRecord
    valid = row.expires_on is None or row.expires_on >= clock.today()
    return render_template("learning/verify.html", name=f"{found.first_name} {found.last_name}", course=found.title,
                           completed_on=row.completed_on, expires_on=row.expires_on, valid=valid, code=row.verification_code)

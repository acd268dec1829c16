"""The calendar subscription through a secret address: calendar apps cannot sign in."""
from __future__ import annotations

from flask import abort

from core.api import is_enabled, public_view, set_scope
from plugins.flexwork import KEY
from plugins.flexwork.calendar_feed import feed_response, owner_of_key
from plugins.flexwork.views import bp


@bp.route("/calendar/<key>.ics")
@public_view
def calendar_feed(key: str):
    """Anonymous by design: the secret address is the credential, whoever opens it (a browser
    signed in to another foundation too)."""
    person = owner_of_key(key)
    if person is None or not person.is_active or not is_enabled(KEY, person.foundation_id):
        abort(404)
    set_scope(frozenset({person.foundation_id}))
    return feed_response(person)

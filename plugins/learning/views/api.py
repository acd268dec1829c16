"""The xAPI statement endpoint, for e-learning systems. Token-authenticated (no cookie session),
hence exempt from CSRF.

Once the token is known, the request acts for the token's foundation: the tenancy scope is set to
it, so the records made here and the listeners of ``training_completed`` see that foundation.
"""
from __future__ import annotations

from flask import jsonify, request

from core.api import accepts_json, csrf, db, is_enabled, public_view, set_scope
from plugins.learning import KEY, xapi
from plugins.learning.views import bp

HEADERS = {"X-Experience-API-Version": xapi.VERSION}


def _error(status: int, reason: str):
    db.session.rollback()
    response = jsonify({"error": reason})
    response.status_code = status
    response.headers.update(HEADERS)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="xAPI", Basic realm="xAPI"'
    return response


@bp.route("/xapi/statements", methods=["POST", "PUT"])
@csrf.exempt
@accepts_json
@public_view  # the token names the foundation, not a cookie a browser may also send
def xapi_statements():
    token = xapi.authenticate(request.headers.get("Authorization", ""))
    if token is None or not is_enabled(KEY, token.foundation_id):
        return _error(401, "a valid token is required (Authorization: Bearer <token>)")
    set_scope(frozenset({token.foundation_id}))
    if not request.headers.get("X-Experience-API-Version", "").startswith("1.0"):
        return _error(400, "the X-Experience-API-Version header must be 1.0.x")
    body = request.get_json(silent=True)
    if body is None:
        return _error(400, "the body must be JSON (Content-Type: application/json)")
    if request.method == "PUT":
        wanted = request.args.get("statementId", "")
        if not isinstance(body, dict) or not wanted:
            return _error(400, "PUT takes one statement and the statementId parameter")
        if str(body.get("id", wanted)).lower() != wanted.lower():
            return _error(400, "statementId differs from the statement's id")
        body = {**body, "id": wanted}
    try:
        ids = xapi.store(xapi.parse(body, token.foundation_id), token.foundation_id)
    except xapi.StatementRejected as rejected:
        return _error(400, str(rejected))
    except xapi.StatementConflict as conflict:
        return _error(409, str(conflict))
    if request.method == "PUT":
        return "", 204, HEADERS
    response = jsonify(ids)
    response.headers.update(HEADERS)
    return response

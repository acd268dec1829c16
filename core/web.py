"""Request-time wiring: sign-in, foundation scope, plugin gating, security headers, page context."""
from __future__ import annotations

from flask import Flask, abort, current_app, g, render_template, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm import joinedload

from core import events, templating, tenancy
from core.extensions import db, login_manager
from core.models import Foundation, Person
from core.notifications import unread_count
from core.permissions import admin_foundation_ids, has_permission, is_group_admin
from core.plugins import plugin_manager

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)
def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)

    templating.init_app(app)
    app.before_request(_scope_request)
    app.after_request(_security_headers)
    app.after_request(_dispatch_events)
    app.context_processor(_page_context)
    for code in (400, 403, 404, 405, 410, 413, 429):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(500, _server_error)
    app.register_error_handler(CSRFError, _csrf_error)

    from core.admin import audit, jobs, outbox  # noqa: F401  (their routes join the admin blueprint)
    from core.admin.views import bp as admin_bp
    from core.auth.views import bp as auth_bp
    from core.home import bp as home_bp
    from core.notifications.views import bp as notifications_bp
    from core.people.views import bp as people_bp

    app.register_blueprint(home_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(people_bp, url_prefix="/people")
    app.register_blueprint(notifications_bp, url_prefix="/notifications")


def _load_user(user_id: str):
    """The session holds ``<id>:<session version>``; a bumped version ends the session."""
    try:
        person_id, version = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    # With the person's foundation: most pages act in it, and then ask for it without a query.
    person = db.session.get(Person, person_id, options=[joinedload(Person.foundation)],
                            execution_options={"all_tenants": True})
    if person is None or person.session_version != version or not person.is_active:
        return None
    return person


def visible_foundation_ids(person) -> frozenset[int] | None:
    admin_ids = admin_foundation_ids(person)
    if admin_ids is None:
        return None
    return admin_ids | {person.foundation_id}


def _scope_request():
    if request.endpoint == "static" or request.endpoint is None:
        return
    if not current_user.is_authenticated:
        tenancy.set_scope(frozenset())
        return
    visible = visible_foundation_ids(current_user)
    tenancy.set_scope(visible)
    wanted = session.get("acting_foundation_id")
    if wanted and (visible is None or wanted in visible):
        g.acting_foundation_id = wanted
    else:
        g.acting_foundation_id = current_user.foundation_id
    blueprint = (request.blueprint or "").split(".")[0]
    manager = plugin_manager()
    if blueprint in manager.blueprints and not getattr(current_app.view_functions[request.endpoint], "journey_public", False):
        if not manager.is_enabled(manager.blueprints[blueprint], g.acting_foundation_id):
            abort(404)


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if current_user and current_user.is_authenticated:
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _dispatch_events(response):
    """Safety net: events of a commit made without ``events.commit()`` still fire."""
    events.dispatch_ready()
    return response


def _page_context():
    base = {"get_locale": get_locale}
    if not current_user.is_authenticated:
        return {**base, "has_permission": lambda *a, **k: False}
    foundation_id = g.get("acting_foundation_id", current_user.foundation_id)
    foundation = db.session.get(Foundation, foundation_id)
    manager = plugin_manager()
    nav = [item for items in manager.hook_for(foundation_id).nav_items(user=current_user, foundation=foundation) for item in items]
    nav.sort(key=lambda item: (item.order, item.label))
    visible = visible_foundation_ids(current_user)
    switchable = []
    if visible is None or len(visible) > 1:
        query = db.select(Foundation).order_by(Foundation.name)
        if visible is not None:
            query = query.where(Foundation.id.in_(visible))
        switchable = db.session.scalars(query).all()
    return {
        **base,
        "acting_foundation": foundation,
        "switchable_foundations": switchable,
        "main_menu": [item for item in nav if item.menu == "main"],
        "admin_menu": [item for item in nav if item.menu == "admin"],
        "has_permission": lambda name, fid=None: has_permission(current_user, name, fid),
        "is_group_admin": is_group_admin(current_user),
        "unread_count": unread_count(current_user),
    }


def _error_page(error):
    problem = g.get("input_problem")
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return {"error": problem or error.description}, error.code
    return render_template("error.html", error=error, input_problem=problem), error.code


def _csrf_error(error):
    return render_template("error.html", error=error, csrf_failed=True), 400


def _server_error(error):
    db.session.rollback()  # the failed transaction must not break the page that reports it
    return render_template("error.html", error=error), 500

"""Configuration: defaults, then the instance folder, then ``JOURNEY_*`` environment variables."""
from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

ENV_PREFIX = "JOURNEY_"


class Defaults:
    ENV = "development"  # "production" demands an explicit secret key
    SQLALCHEMY_DATABASE_URI = None  # filled in from the instance folder when unset
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    PLUGINS_AUTOLOAD = True  # discover plugins from the ``journey.plugins`` entry points
    PLUGINS = []  # extra plugin modules or objects to register (tests, embedding)
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ["nl", "en"]
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = None  # None: secure in production, plain over http in development
    SESSION_COOKIE_NAME = "journey_session"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=10)
    REMEMBER_COOKIE_DURATION = timedelta(days=0)
    WTF_CSRF_TIME_LIMIT = None  # token lives as long as the session
    MAX_CONTENT_LENGTH = 1024 * 1024  # a form's body; views that take files declare more (accepts_files)
    MAX_FORM_MEMORY_SIZE = 1024 * 1024
    TRUSTED_PROXIES = 0  # reverse proxies in front of Journey whose X-Forwarded-For/-Proto to believe
    LOGIN_FAILURE_WINDOW = timedelta(minutes=15)
    LOGIN_FREE_FAILURES = 3  # per account and address; after that each failure doubles the wait
    LOGIN_FIRST_DELAY = timedelta(seconds=30)
    LOGIN_MAX_DELAY = timedelta(minutes=15)
    LOGIN_MAX_FAILURES_ACCOUNT = 50  # per account from all addresses: the ceiling against spraying
    LOGIN_MAX_FAILURES_IP = 100  # per address over all accounts
    INVITATION_DAYS = 14
    PASSWORD_MIN_LENGTH = 12
    PAGE_SIZE = 50
    IMPORT_BACKGROUND_ROWS = 500  # a people import with more rows dispatches its events in the background
    SCHEDULER_IN_PROCESS = False  # only honoured under `flask run` (make run); never in gunicorn
    SCHEDULER_LEASE_SECONDS = 60
    JOB_RUN_KEEP_DAYS = 30
    MAIL_BACKEND = "file"
    MAIL_FROM = "Journey <no-reply@journey.local>"
    MAIL_SMTP_HOST = "localhost"
    MAIL_SMTP_PORT = 25
    MAIL_SMTP_SECURITY = "none"  # none | starttls | ssl
    MAIL_SMTP_USERNAME = None
    MAIL_SMTP_PASSWORD = None
    MAIL_SMTP_TIMEOUT = 30  # seconds
    MAIL_FILE_DIR = None  # file back-end folder; None: <instance>/outbox
    PUBLIC_URL = "http://127.0.0.1:5000"
    ACCESSIBILITY_CONTACT = None  # e-mail address for accessibility problems, on the accessibility statement


def _parse(value: str):
    """Environment values are strings; accept JSON for numbers, booleans and lists."""
    try:
        return json.loads(value)
    except ValueError:
        return value


def load_config(app, config: dict | None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("journey.cfg", silent=True)
    for name, value in os.environ.items():
        if name.startswith(ENV_PREFIX) and not name.startswith("JOURNEY_TEST_"):
            app.config[name[len(ENV_PREFIX):]] = _parse(value)
    if config:
        app.config.update(config)
    if app.config.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config.pop("DATABASE_URL")

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    production = app.config["ENV"] == "production"
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "journey.db")
    if not app.config.get("SECRET_KEY"):
        if production:
            raise RuntimeError(
                "JOURNEY_SECRET_KEY is not set. In production Journey refuses to start without a "
                "secret key: set JOURNEY_SECRET_KEY to a long random value."
            )
        app.config["SECRET_KEY"] = _instance_secret(app.instance_path)
    if app.config["SESSION_COOKIE_SECURE"] is None:
        app.config["SESSION_COOKIE_SECURE"] = production


def _instance_secret(instance_path: str) -> str:
    """Development keeps one generated key in the instance folder so sessions survive restarts."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()

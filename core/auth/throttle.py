"""Login failure limits, kept in the database so every process sees the same counts."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import delete, func, select

from core.extensions import db
from core.models import LoginFailure, utcnow


def _keys(email: str, ip: str) -> tuple[str, str]:
    return f"account:{email.strip().lower()}", f"ip:{ip}"


def is_blocked(email: str, ip: str) -> bool:
    config = current_app.config
    since = utcnow() - config["LOGIN_FAILURE_WINDOW"]
    account_key, ip_key = _keys(email, ip)
    counts = dict(
        db.session.execute(
            select(LoginFailure.key, func.count())
            .where(LoginFailure.key.in_([account_key, ip_key]), LoginFailure.at >= since)
            .group_by(LoginFailure.key)
        ).all()
    )
    return (
        counts.get(account_key, 0) >= config["LOGIN_MAX_FAILURES_ACCOUNT"]
        or counts.get(ip_key, 0) >= config["LOGIN_MAX_FAILURES_IP"]
    )


def record_failure(email: str, ip: str) -> None:
    for key in _keys(email, ip):
        db.session.add(LoginFailure(key=key))


def clear_account(email: str) -> None:
    account_key, _ip = _keys(email, "")
    db.session.execute(delete(LoginFailure).where(LoginFailure.key == account_key))


def purge_old() -> None:
    db.session.execute(delete(LoginFailure).where(LoginFailure.at < utcnow() - current_app.config["LOGIN_FAILURE_WINDOW"]))

"""Sign-in throttling, kept in the database so every process sees the same counts.

Each attempt counts as a failure *before* the password is checked, and is only then compared
with the others: of attempts sent in parallel, each one sees those committed before it, so no
burst gets past the limit. A correct password removes the count again.

- Per account and client address: ``LOGIN_FREE_FAILURES`` wrong passwords are free; after that
  each one doubles the wait (``LOGIN_FIRST_DELAY``, twice that, ... up to ``LOGIN_MAX_DELAY``).
  Someone guessing a colleague's password only slows themselves down.
- Per account from all addresses, and per address over all accounts, a softer ceiling within
  ``LOGIN_FAILURE_WINDOW`` against guessing spread over many addresses or many accounts.

The client address is ``request.remote_addr``: behind a reverse proxy, set ``TRUSTED_PROXIES`` so
that it is the address the proxy saw (Werkzeug's ProxyFix), not the proxy's own.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from core.extensions import db
from core.models import LoginFailure, utcnow


class Throttled(Exception):
    """The caller must wait ``wait`` before the next attempt; nothing was counted."""

    def __init__(self, wait: timedelta):
        super().__init__(f"wait {wait}")
        self.wait = wait


def _keys(email: str, ip: str) -> tuple[str, str, str]:
    account = email.strip().lower()
    pair = hashlib.sha256(f"{account}\n{ip}".encode()).hexdigest()  # the column holds 300 characters
    return f"pair:{pair}", f"account:{account}", f"ip:{ip}"


def begin(email: str, ip: str) -> list[int]:
    """Count an attempt before its password is checked; returns its rows for ``succeeded``.
    Raises Throttled, counting nothing, when the caller has to wait."""
    _raise_if_waiting(email, ip, own=())
    rows = [LoginFailure(key=key) for key in _keys(email, ip)]
    db.session.add_all(rows)
    db.session.commit()
    own = [row.id for row in rows]
    try:
        _raise_if_waiting(email, ip, own=own)
    except Throttled:
        db.session.execute(delete(LoginFailure).where(LoginFailure.id.in_(own)))
        db.session.commit()
        raise
    return own


def succeeded(email: str, ip: str, own: list[int]) -> None:
    """The password was right: this attempt and the account's earlier failures no longer count
    (the caller commits)."""
    pair_key, account_key, _ip_key = _keys(email, ip)
    db.session.execute(delete(LoginFailure).where(
        (LoginFailure.id.in_(own)) | LoginFailure.key.in_([pair_key, account_key])
    ))


def _raise_if_waiting(email: str, ip: str, own) -> None:
    config = current_app.config
    now = utcnow()
    window = config["LOGIN_FAILURE_WINDOW"]
    pair_key, account_key, ip_key = _keys(email, ip)
    found = {
        key: (count, first, last)
        for key, count, first, last in db.session.execute(
            select(LoginFailure.key, func.count(), func.min(LoginFailure.at), func.max(LoginFailure.at))
            .where(LoginFailure.key.in_([pair_key, account_key, ip_key]), LoginFailure.at >= now - window,
                   LoginFailure.id.not_in(own))
            .group_by(LoginFailure.key)
        )
    }
    waits = [_pair_wait(*found[pair_key][::2], now)] if pair_key in found else []
    for key, ceiling in ((account_key, "LOGIN_MAX_FAILURES_ACCOUNT"), (ip_key, "LOGIN_MAX_FAILURES_IP")):
        count, first, _last = found.get(key, (0, None, None))
        if count >= config[ceiling]:
            waits.append(first + window - now)  # until the oldest failure leaves the window
    wait = max(waits, default=timedelta(0))
    if wait > timedelta(0):
        raise Throttled(wait)


def _pair_wait(count: int, last: datetime, now: datetime) -> timedelta:
    config = current_app.config
    over = count - config["LOGIN_FREE_FAILURES"]
    if over < 0:
        return timedelta(0)
    delay = min(config["LOGIN_FIRST_DELAY"] * 2 ** min(over, 20), config["LOGIN_MAX_DELAY"])
    return last + delay - now


def purge_old() -> None:
    db.session.execute(delete(LoginFailure).where(LoginFailure.at < utcnow() - current_app.config["LOGIN_FAILURE_WINDOW"]))

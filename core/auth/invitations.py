"""Single-use, expiring links to set a password (welcome for newcomers, reset issued by HR)."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy import select, update

from core.extensions import db
from core.models import Invitation, utcnow


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(person, purpose: str, created_by=None, days: int | None = None) -> str:
    """Create an invitation; earlier open links of the person are revoked. Returns the URL."""
    now = utcnow()
    db.session.execute(
        update(Invitation)
        .where(Invitation.person_id == person.id, Invitation.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    days = days if days is not None else current_app.config["INVITATION_DAYS"]
    db.session.add(
        Invitation(
            person_id=person.id,
            token_hash=_digest(token),
            purpose=purpose,
            expires_at=now + timedelta(days=days),
            created_by_id=created_by.id if created_by is not None else None,
        )
    )
    return url_for("auth.accept_invitation", token=token, _external=True)


def find_open(token: str) -> Invitation | None:
    """The invitation for ``token`` if it is unused and not expired."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == _digest(token)))
    if invitation is None or invitation.used_at is not None or invitation.expires_at < utcnow():
        return None
    return invitation


def consume(invitation: Invitation) -> bool:
    """Mark used; False when another request used it first (the state is in the WHERE clause)."""
    result = db.session.execute(
        update(Invitation).where(Invitation.id == invitation.id, Invitation.used_at.is_(None)).values(used_at=utcnow())
    )
    return result.rowcount == 1

"""The ``--foundation SLUG`` of the ``flask journey`` commands, looked up with a clear refusal."""
from __future__ import annotations

import click
from sqlalchemy import select

from core.extensions import db
from core.models import Foundation


def foundation_by_slug(slug: str) -> Foundation:
    foundation = db.session.scalar(select(Foundation).where(Foundation.slug == slug))
    if foundation is None:
        known = ", ".join(db.session.scalars(select(Foundation.slug).order_by(Foundation.slug))) or "none"
        raise click.ClickException(f"unknown foundation {slug!r} (known: {known})")
    return foundation

"""The newcomer's experience check at day 30 and day 90 of an onboarding journey."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.api import db
from plugins.onboarding.models import OnboardingFeedback, OnboardingJourney
from plugins.onboarding.vocabulary import INVITED_KINDS

CHECKPOINTS = (30, 90)
QUESTIONS = ("welcome", "clarity", "support")
MIN_ANSWERS = 5  # averages below this many answers could point at a person


class FeedbackRefused(ValueError):
    pass


def asks_feedback(journey: OnboardingJourney) -> bool:
    return journey.kind in INVITED_KINDS and journey.status != "cancelled"


def due_checkpoints(journey: OnboardingJourney, answered: set[int], today: date) -> list[int]:
    """Checkpoints reached and not yet answered."""
    if not asks_feedback(journey):
        return []
    return [day for day in CHECKPOINTS if day not in answered and today >= journey.start_date + timedelta(days=day)]


def answered_checkpoints(journey_id: int) -> set[int]:
    return set(
        db.session.scalars(select(OnboardingFeedback.checkpoint).where(OnboardingFeedback.journey_id == journey_id))
    )


def save(
    journey: OnboardingJourney, checkpoint: int, scores: dict[str, int], comment: str | None, today: date
) -> OnboardingFeedback:
    if checkpoint not in due_checkpoints(journey, answered_checkpoints(journey.id), today):
        raise FeedbackRefused(_l("This question is not open for you now."))
    row = OnboardingFeedback(
        foundation_id=journey.foundation_id,
        journey_id=journey.id,
        template_id=journey.template_id,
        checkpoint=checkpoint,
        comment=(comment or "").strip() or None,
        **{q: scores[q] for q in QUESTIONS},
    )
    db.session.add(row)
    return row

"""Folding waiting answers into the counters, in batches, so that nothing stored ties an answer or a
comment to the person who gave it.

Why: whoever can read the database sees more than the rows. PostgreSQL stamps every row version
with the id of the transaction that wrote it (``xmin``), keeps old versions until VACUUM removes
them, and rows lie in the order they were written. When one transaction wrote a check-in's ledger
row, counters and comment, their ``xmin`` matched and named the author. So a check-in is written
in two transactions (``checkin.check_in``): the ledger row alone, then the answers and the comment
into the pending tables (random keys, no person, no time). From there:

- A (period, team)'s waiting answers are added to its counters in one transaction of their own,
  once at least the minimum group of check-ins wait (``fold_team``, right after a check-in), and
  the rest when the period closes (``fold_periods``, part of the freeze). The fold rewrites every
  counter row of the team, so a counter's row version says only that a batch was added.
- Comments wait until the period closes. Then all of them are written at once, shuffled, with new
  random keys (``fold_periods``): their transaction, keys and place in the table are the same for
  every comment of the period, and comments are only ever shown for closed periods anyway.

What remains (docs/wellbeing.md, "Known limits"): while answers wait, their row versions lie next
to the ledger row's; the remainder folded at close may be smaller than a batch; deleted rows'
old versions last until VACUUM (``vacuum_pending``, and autovacuum, see ``models.VACUUM_SOON``).
"""
from __future__ import annotations

import uuid
from collections import Counter
from random import SystemRandom

from sqlalchemy import and_, case, delete, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from core.api import db
from plugins.wellbeing.models import (
    AnswerCount,
    CheckinCount,
    Comment,
    PendingAnswer,
    PendingComment,
    Period,
)
from plugins.wellbeing.questions import SCALE

_DIALECT_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
_SYNC = {"synchronize_session": False}
_shuffler = SystemRandom()
# The tables whose old row versions held waiting answers or the counters between two batches.
VACUUMED = ("wellbeing_pending_answer", "wellbeing_pending_comment", "wellbeing_answer_count",
            "wellbeing_checkin_count")


def insert_if_missing(model):
    """INSERT that skips rows whose key exists (PostgreSQL and SQLite)."""
    dialect = db.session.get_bind().dialect.name
    return _DIALECT_INSERTS[dialect](model.__table__).on_conflict_do_nothing()


def hold_period(period_id: int) -> bool:
    """Lock the period row while it is not frozen; False when it is. Freezing a closed period waits
    for whoever holds it, and nothing is written to a frozen period (see ``freeze.py``)."""
    held = db.session.execute(
        update(Period).where(Period.id == period_id, Period.frozen.is_(False)).values(frozen=False),
        execution_options=_SYNC,
    ).rowcount
    return bool(held)


def waiting_checkins(period_id: int, team_id: int) -> int:
    return db.session.scalar(select(func.count(func.distinct(PendingAnswer.checkin))).where(
        PendingAnswer.period_id == period_id, PendingAnswer.team_id == team_id))


def fold_team(period: Period, team_id: int, questions: list[str], min_batch: int) -> int:
    """Add the team's waiting answers of ``period`` to its counters if at least ``min_batch``
    check-ins wait; returns how many check-ins were added (0 when too few, or when the period was
    frozen meanwhile, which folds them itself). Its own transaction: commits or rolls back."""
    if waiting_checkins(period.id, team_id) < min_batch:
        return 0
    if not hold_period(period.id):
        db.session.rollback()
        return 0
    # Folds of the period queue on the period row held above, so the count is taken again under it:
    # a fold that ran just before has taken the batch, and this one takes nothing.
    taken = db.session.execute(
        delete(PendingAnswer).where(PendingAnswer.period_id == period.id, PendingAnswer.team_id == team_id)
        .returning(PendingAnswer.checkin, PendingAnswer.question, PendingAnswer.value),
        execution_options=_SYNC,
    ).all()
    checkins = len({checkin for checkin, _q, _v in taken})
    if checkins < min_batch:
        db.session.rollback()
        return 0
    _add_to_counters(period.foundation_id, period.id, team_id, questions, checkins,
                     Counter((question, value) for _c, question, value in taken))
    db.session.commit()
    return checkins


def fold_periods(period_ids: list[int], foundation_id: int, questions: list[str]) -> None:
    """Everything still waiting in a campaign's ``period_ids`` (closing now): the answers, whatever
    their number, and the comments, all written at once in shuffled order with new keys. Part of the
    caller's transaction (the freeze), which holds the period rows."""
    taken = db.session.execute(
        delete(PendingAnswer).where(PendingAnswer.period_id.in_(period_ids))
        .returning(PendingAnswer.period_id, PendingAnswer.team_id, PendingAnswer.checkin, PendingAnswer.question,
                   PendingAnswer.value),
        execution_options=_SYNC,
    ).all()
    checkins: dict[tuple[int, int], set] = {}
    tallies: dict[tuple[int, int], Counter] = {}
    for period_id, team_id, checkin, question, value in taken:
        checkins.setdefault((period_id, team_id), set()).add(checkin)
        tallies.setdefault((period_id, team_id), Counter())[(question, value)] += 1
    for (period_id, team_id), given in checkins.items():
        _add_to_counters(foundation_id, period_id, team_id, questions, len(given), tallies[(period_id, team_id)])
    _publish_comments(period_ids)


def _publish_comments(period_ids: list[int]) -> None:
    comments = [
        {"id": uuid.uuid4(), "foundation_id": foundation_id, "period_id": period_id, "division": division,
         "text": text_}
        for foundation_id, period_id, division, text_ in db.session.execute(
            delete(PendingComment).where(PendingComment.period_id.in_(period_ids))
            .returning(PendingComment.foundation_id, PendingComment.period_id, PendingComment.division,
                       PendingComment.text),
            execution_options=_SYNC,
        )
    ]
    if comments:
        _shuffler.shuffle(comments)
        db.session.execute(insert(Comment.__table__), comments)


def _add_to_counters(foundation_id: int, period_id: int, team_id: int, questions: list[str], checkins: int,
                     tally: Counter) -> None:
    """Raise the team's counters by ``tally`` ((question, value) -> how many) with ONE update that
    rewrites every counter row of the team, zeros included, and its check-ins by ``checkins``."""
    scope = {"foundation_id": foundation_id, "period_id": period_id, "team_id": team_id}
    db.session.execute(insert_if_missing(AnswerCount), [
        {**scope, "question": key, "value": value, "count": 0} for key in questions for value in SCALE
    ])
    raises = [(and_(AnswerCount.question == question, AnswerCount.value == value), n)
              for (question, value), n in sorted(tally.items())]
    db.session.execute(
        update(AnswerCount)
        .where(AnswerCount.period_id == period_id, AnswerCount.team_id == team_id)
        .values(count=AnswerCount.count + case(*raises, else_=0)),
        execution_options=_SYNC,
    )
    db.session.execute(insert_if_missing(CheckinCount).values(checkins=0, **scope))
    db.session.execute(
        update(CheckinCount)
        .where(CheckinCount.period_id == period_id, CheckinCount.team_id == team_id)
        .values(checkins=CheckinCount.checkins + checkins),
        execution_options=_SYNC,
    )


def vacuum_pending() -> None:
    """On PostgreSQL, VACUUM the tables whose old row versions held waiting answers or the counters
    between two folds, so those versions are removed now instead of whenever autovacuum comes.
    VACUUM cannot run in a transaction, hence its own connection. It removes only versions no open
    transaction can still see, and it skips (with a warning) tables the database user does not own."""
    engine = db.engine
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM " + ", ".join(VACUUMED)))

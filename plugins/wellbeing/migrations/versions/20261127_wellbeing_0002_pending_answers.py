"""answers and comments wait apart from the ledger and are folded in batches

Revision ID: wellbeing_0002
Revises: wellbeing_0001
Create Date: 2026-11-27 10:00:00

A check-in used to write its ledger row, counters and comment in one transaction, so on
PostgreSQL their row versions carried the same transaction id (``xmin``) and named the author.
Answers and comments now wait in two new tables and are folded in batches (plugins/wellbeing/fold.py).

Existing data, so that the upgrade loses nothing and links nothing:
- comments of periods not yet frozen move to the waiting comments (published when the period
  closes); those of frozen periods are written anew. Both get new random keys, in shuffled order;
- every counter row is rewritten in this transaction, so no live row keeps a check-in's ``xmin``;
- on PostgreSQL the rewritten tables are then vacuumed (outside the transaction, as VACUUM must
  be), which removes the old row versions that still held them.
The downgrade folds whatever still waits into the counters and comments before dropping the tables.
"""
import random
import uuid
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'wellbeing_0002'
down_revision = 'wellbeing_0001'
branch_labels = None
depends_on = None

VACUUM_SOON = {"autovacuum_vacuum_threshold": 0, "autovacuum_vacuum_scale_factor": 0}
REWRITTEN = ("wellbeing_comment", "wellbeing_answer_count", "wellbeing_checkin_count")

comment = sa.table(
    "wellbeing_comment", sa.column("id", sa.Uuid()), sa.column("foundation_id", sa.Integer()),
    sa.column("period_id", sa.Integer()), sa.column("division", sa.String()), sa.column("text", sa.Text()),
)
pending_comment = sa.table(
    "wellbeing_pending_comment", sa.column("id", sa.Uuid()), sa.column("foundation_id", sa.Integer()),
    sa.column("period_id", sa.Integer()), sa.column("division", sa.String()), sa.column("text", sa.Text()),
)
period = sa.table("wellbeing_period", sa.column("id", sa.Integer()), sa.column("frozen", sa.Boolean()))
answer_count = sa.table(
    "wellbeing_answer_count", sa.column("foundation_id", sa.Integer()), sa.column("period_id", sa.Integer()),
    sa.column("team_id", sa.Integer()), sa.column("question", sa.String()), sa.column("value", sa.SmallInteger()),
    sa.column("count", sa.Integer()),
)
checkin_count = sa.table(
    "wellbeing_checkin_count", sa.column("foundation_id", sa.Integer()), sa.column("period_id", sa.Integer()),
    sa.column("team_id", sa.Integer()), sa.column("checkins", sa.Integer()),
)
pending_answer = sa.table(
    "wellbeing_pending_answer", sa.column("checkin", sa.Uuid()), sa.column("foundation_id", sa.Integer()),
    sa.column("period_id", sa.Integer()), sa.column("team_id", sa.Integer()), sa.column("question", sa.String()),
    sa.column("value", sa.SmallInteger()),
)


def upgrade():
    op.create_table('wellbeing_pending_answer',
    sa.Column('checkin', sa.Uuid(), nullable=False),
    sa.Column('question', sa.String(length=40), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.SmallInteger(), nullable=False),
    sa.Column('foundation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['foundation_id'], ['foundation.id'], name=op.f('fk_wellbeing_pending_answer_foundation_id_foundation')),
    sa.ForeignKeyConstraint(['period_id'], ['wellbeing_period.id'], name=op.f('fk_wellbeing_pending_answer_period_id_wellbeing_period'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_wellbeing_pending_answer_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('checkin', 'question', name=op.f('pk_wellbeing_pending_answer')),
    sqlite_with_rowid=False,
    postgresql_with=VACUUM_SOON,
    )
    with op.batch_alter_table('wellbeing_pending_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wellbeing_pending_answer_foundation_id'), ['foundation_id'], unique=False)
        batch_op.create_index('ix_wellbeing_pending_answer_team', ['period_id', 'team_id'], unique=False)

    op.create_table('wellbeing_pending_comment',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('division', sa.String(length=100), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('foundation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['foundation_id'], ['foundation.id'], name=op.f('fk_wellbeing_pending_comment_foundation_id_foundation')),
    sa.ForeignKeyConstraint(['period_id'], ['wellbeing_period.id'], name=op.f('fk_wellbeing_pending_comment_period_id_wellbeing_period'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wellbeing_pending_comment')),
    sqlite_with_rowid=False,
    postgresql_with=VACUUM_SOON,
    )
    with op.batch_alter_table('wellbeing_pending_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wellbeing_pending_comment_foundation_id'), ['foundation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wellbeing_pending_comment_period_id'), ['period_id'], unique=False)

    _rekey_comments()
    op.execute(answer_count.update().values(count=answer_count.c["count"]))
    op.execute(checkin_count.update().values(checkins=checkin_count.c.checkins))
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.execute("VACUUM " + ", ".join(REWRITTEN))


def _rekey_comments():
    """Each period's comments, shuffled under new random keys: published if the period is frozen,
    waiting for its close if not."""
    bind = op.get_bind()
    shuffler = random.SystemRandom()
    frozen = dict(bind.execute(sa.select(period.c.id, period.c.frozen)).all())
    period_ids = bind.execute(sa.select(comment.c.period_id).distinct()).scalars().all()
    for period_id in period_ids:
        rows = [
            {"id": uuid.uuid4(), "foundation_id": foundation_id, "period_id": period_id, "division": division,
             "text": text}
            for foundation_id, division, text in bind.execute(
                sa.select(comment.c.foundation_id, comment.c.division, comment.c.text)
                .where(comment.c.period_id == period_id))
        ]
        shuffler.shuffle(rows)
        bind.execute(comment.delete().where(comment.c.period_id == period_id))
        bind.execute((comment if frozen[period_id] else pending_comment).insert(), rows)


def downgrade():
    _fold_everything_waiting()
    with op.batch_alter_table('wellbeing_pending_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wellbeing_pending_comment_period_id'))
        batch_op.drop_index(batch_op.f('ix_wellbeing_pending_comment_foundation_id'))

    op.drop_table('wellbeing_pending_comment')
    with op.batch_alter_table('wellbeing_pending_answer', schema=None) as batch_op:
        batch_op.drop_index('ix_wellbeing_pending_answer_team')
        batch_op.drop_index(batch_op.f('ix_wellbeing_pending_answer_foundation_id'))

    op.drop_table('wellbeing_pending_answer')


def _fold_everything_waiting():
    """The previous version counts every answer at once: add what waits to the counters and move the
    waiting comments to the comments."""
    bind = op.get_bind()
    given = defaultdict(int)
    checkins = defaultdict(set)
    for foundation_id, period_id, team_id, checkin, question, value in bind.execute(sa.select(
            pending_answer.c.foundation_id, pending_answer.c.period_id, pending_answer.c.team_id,
            pending_answer.c.checkin, pending_answer.c.question, pending_answer.c.value)):
        given[(foundation_id, period_id, team_id, question, value)] += 1
        checkins[(foundation_id, period_id, team_id)].add(checkin)
    for (foundation_id, period_id, team_id, question, value), n in given.items():
        key = (answer_count.c.period_id == period_id, answer_count.c.team_id == team_id,
               answer_count.c.question == question, answer_count.c.value == value)
        if not bind.execute(answer_count.update().where(*key).values(count=answer_count.c["count"] + n)).rowcount:
            bind.execute(answer_count.insert().values(foundation_id=foundation_id, period_id=period_id,
                                                      team_id=team_id, question=question, value=value, count=n))
    for (foundation_id, period_id, team_id), people in checkins.items():
        key = (checkin_count.c.period_id == period_id, checkin_count.c.team_id == team_id)
        if not bind.execute(checkin_count.update().where(*key)
                            .values(checkins=checkin_count.c.checkins + len(people))).rowcount:
            bind.execute(checkin_count.insert().values(foundation_id=foundation_id, period_id=period_id,
                                                       team_id=team_id, checkins=len(people)))
    bind.execute(comment.insert().from_select(
        ["id", "foundation_id", "period_id", "division", "text"],
        sa.select(pending_comment.c.id, pending_comment.c.foundation_id, pending_comment.c.period_id,
                  pending_comment.c.division, pending_comment.c.text)))

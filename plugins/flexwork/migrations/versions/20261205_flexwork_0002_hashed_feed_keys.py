"""calendar feed keys stored as their SHA-256

Revision ID: flexwork_0002
Revises: flexwork_0001
Create Date: 2026-12-05 14:00:00

The secret of a calendar-subscription address was stored as it is; now only its hash is, as of
every other token. Existing keys are hashed in place, so addresses people subscribed to keep
working. A hash cannot be turned back into its key: the downgrade removes the keys (people make a
new address).
"""
import hashlib

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'flexwork_0002'
down_revision = 'flexwork_0001'
branch_labels = None
depends_on = None

FEED_KEY = sa.table("flexwork_feed_key", sa.column("id", sa.Integer), sa.column("key", sa.String),
                    sa.column("key_hash", sa.String))


def hash_keys(connection) -> None:
    """Fill ``key_hash`` with the SHA-256 of each stored key, as ``calendar_feed.key_hash`` makes it
    (written out here: a migration keeps the rule it was written with)."""
    rows = connection.execute(sa.select(FEED_KEY.c.id, FEED_KEY.c.key)).all()
    if rows:
        connection.execute(
            FEED_KEY.update().where(FEED_KEY.c.id == sa.bindparam("row_id")).values(key_hash=sa.bindparam("digest")),
            [{"row_id": row_id, "digest": hashlib.sha256(key.encode()).hexdigest()} for row_id, key in rows],
        )


def upgrade():
    with op.batch_alter_table('flexwork_feed_key', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_hash', sa.String(length=64), nullable=True))
    hash_keys(op.get_bind())
    with op.batch_alter_table('flexwork_feed_key', schema=None) as batch_op:
        batch_op.alter_column('key_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_constraint(batch_op.f('uq_flexwork_feed_key_key'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_flexwork_feed_key_key_hash'), ['key_hash'])
        batch_op.drop_column('key')


def downgrade():
    op.execute(FEED_KEY.delete())
    with op.batch_alter_table('flexwork_feed_key', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key', sa.String(length=64), nullable=False))
        batch_op.drop_constraint(batch_op.f('uq_flexwork_feed_key_key_hash'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_flexwork_feed_key_key'), ['key'])
        batch_op.drop_column('key_hash')

"""a request names everything it changes

Revision ID: flexwork_0003
Revises: flexwork_0002
Create Date: 2026-12-10 10:00:00

A request may change the hours, the working times and the place at once (and be temporary), so its
``kind`` holds a comma-separated list ("times,place,temporary") and needs more room. Stored values
stay valid: each was a single entry of the list.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'flexwork_0003'
down_revision = 'flexwork_0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('flexwork_request') as batch_op:
        batch_op.alter_column('kind', existing_type=sa.String(length=20), type_=sa.String(length=40), existing_nullable=False)


def downgrade():
    # A list longer than the old column keeps its first entry (hours before times before place).
    request = sa.table('flexwork_request', sa.column('id', sa.Integer), sa.column('kind', sa.String))
    connection = op.get_bind()
    for row in connection.execute(sa.select(request.c.id, request.c.kind).where(sa.func.length(request.c.kind) > 20)).all():
        connection.execute(request.update().where(request.c.id == row.id).values(kind=row.kind.split(',')[0]))
    with op.batch_alter_table('flexwork_request') as batch_op:
        batch_op.alter_column('kind', existing_type=sa.String(length=40), type_=sa.String(length=20), existing_nullable=False)

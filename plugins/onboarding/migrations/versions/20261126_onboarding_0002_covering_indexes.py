"""covering indexes for HR's overdue count

Revision ID: onboarding_0002
Revises: onboarding_0001
Create Date: 2026-11-26 04:10:00

On PostgreSQL the overdue-task count joins tasks to open journeys by index-only scans when the
indexes carry the join columns; other databases keep the plain indexes.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'onboarding_0002'
down_revision = 'onboarding_0001'
branch_labels = None
depends_on = None

INDEXES = [
    # (table, name, columns, included on PostgreSQL)
    ("onboarding_journey", "ix_onboarding_journey_scope", ["foundation_id", "status", "start_date"], ["id"]),
    ("onboarding_journey_task", "ix_onboarding_journey_task_due", ["foundation_id", "status", "due_date"],
     ["journey_id"]),
]


def upgrade():
    for table, name, columns, include in INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns, postgresql_include=include)


def downgrade():
    for table, name, columns, _include in INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns)

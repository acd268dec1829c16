"""Count the SQL statements a block of code sends."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def count_queries(engine):
    statements: list[str] = []

    def _count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _count)

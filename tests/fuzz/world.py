"""The fuzz suite's world: an app with every installed plugin on the demo organisation, a signed-in
session per demo account, and the bookkeeping around each request: which tables it wrote, whether
it changed a row of a foundation its account may not see, and putting the database back as seeded."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import Table, and_, bindparam, event, select

from core import clock, create_app
from core.demo import ACCOUNTS, DEMO_PASSWORD, FOUNDATIONS, seed_demo_organisation
from core.extensions import db
from core.models import Foundation, Person
from core.plugin_switch import enable
from core.plugins import plugin_manager
from core.testing.fixtures import CLOCK_START, FreshContextClient, empty_tables, make_config
from core.web import visible_foundation_ids

ANONYMOUS = "anonymous"
_WRITE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?(\w+)"?',
                    re.IGNORECASE)


def build_app(url: str, instance_path: str) -> Flask:
    """The app as installed: every plugin found through its entry point, none named by hand, so a
    newly installed plugin is fuzzed without a change here."""
    app = create_app(make_config(url, instance_path, PLUGINS_AUTOLOAD=True, PLUGINS=[]))
    app.test_client_class = FreshContextClient
    return app


@dataclass(frozen=True)
class Role:
    """A demo account signed in (or ``anonymous``); ``visible`` is None for all foundations."""

    name: str
    person_id: int | None
    foundation_id: int | None
    visible: frozenset[int] | None
    cookie: str | None


class RowIndex:
    """Every row of every table that belongs to a foundation, by primary key, with the foundation it
    belongs to: its ``foundation_id``, or its parent's for a child table without one."""

    def __init__(self) -> None:
        self.tables = [t for t in db.metadata.sorted_tables if self._owner_query(t) is not None]
        self.rows: dict[str, dict[tuple, tuple[int | None, tuple]]] = {}

    @staticmethod
    def _owner_query(table: Table):
        if table.name == "foundation":
            return select(table, table.c.id.label("_owner"))
        if "foundation_id" in table.c:
            return select(table, table.c.foundation_id.label("_owner"))
        for fk in sorted(table.foreign_keys, key=lambda fk: fk.parent.name):
            parent = fk.column.table
            if "foundation_id" in parent.c and parent is not table:
                alias = parent.alias()
                joined = table.outerjoin(alias, and_(fk.parent == alias.c[fk.column.name]))
                return select(table, alias.c.foundation_id.label("_owner")).select_from(joined)
        return None

    def read(self, connection, table: Table) -> dict[tuple, tuple[int | None, tuple]]:
        pk = [c.name for c in table.primary_key.columns]
        found = {}
        for row in connection.execute(self._owner_query(table)):
            mapping = row._mapping
            values = tuple(mapping[c.name] for c in table.columns)
            found[tuple(mapping[name] for name in pk)] = (mapping["_owner"], values)
        return found

    def refresh(self, connection, names: Iterable[str]) -> list[tuple[str, tuple, set[int]]]:
        """Read the named tables again; returns ``(table, primary key, foundations)`` of each row
        added, removed or changed since they were read last."""
        changes = []
        for table in self.tables:
            if table.name not in names:
                continue
            before, after = self.rows.get(table.name, {}), self.read(connection, table)
            for key in before.keys() | after.keys():
                old, new = before.get(key), after.get(key)
                if old != new:
                    owners = {entry[0] for entry in (old, new) if entry is not None and entry[0] is not None}
                    changes.append((table.name, key, owners))
            self.rows[table.name] = after
        return changes


class World:
    """The seeded demo, its signed-in roles, and the database kept as seeded between tests."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.written: set[str] = set()  # tables written since the last check
        self.dirty: set[str] = set()  # tables written since the last restore
        self.tracking = False
        self.roles: dict[str, Role] = {}
        self.foundations: dict[int, str] = {}
        self.referrers = self._referrers()

    # -- set-up -------------------------------------------------------------------------------
    def seed(self) -> None:
        """The demo organisation, as `flask journey demo` makes it, with every installed plugin the
        demo does not know of switched on everywhere."""
        clock.set_clock(CLOCK_START)
        try:
            with self.app.app_context():
                db.create_all()
                empty_tables()
                manager = plugin_manager(self.app)
                seed_demo_organisation(manager)
                known = {key for _slug, _name, keys in FOUNDATIONS for key in keys}
                for foundation in db.session.scalars(select(Foundation)):
                    self.foundations[foundation.id] = foundation.slug
                    for key in sorted(set(manager.plugins) - known):
                        enable(manager, foundation, key, with_requirements=True)
                db.session.commit()
        finally:
            clock.reset_clock()

    def sign_in(self) -> None:
        """Each demo account signs in once through the login form; examples reuse its cookie."""
        self.roles[ANONYMOUS] = Role(ANONYMOUS, None, None, frozenset(), None)
        cookie_name = self.app.config["SESSION_COOKIE_NAME"]
        for email, *_rest in ACCOUNTS:
            client = self.app.test_client()
            response = client.post("/auth/login", data={"email": email, "password": DEMO_PASSWORD})
            assert response.status_code == 302, f"{email} cannot sign in: {response.status_code}"
            with self.app.app_context():
                person = db.session.scalar(select(Person).where(Person.email == email)
                                           .execution_options(all_tenants=True))
                visible = visible_foundation_ids(person)
                self.roles[email] = Role(email, person.id, person.foundation_id, visible,
                                         client.get_cookie(cookie_name).value)

    def client(self, role: Role):
        client = self.app.test_client()
        if role.cookie:
            client.set_cookie(self.app.config["SESSION_COOKIE_NAME"], role.cookie)
        return client

    # -- what a request wrote -----------------------------------------------------------------
    def start_tracking(self) -> None:
        """Note every table a statement writes (and, for deletes, the tables whose rows the database
        removes or changes along with it)."""
        with self.app.app_context():
            event.listen(db.engine, "before_cursor_execute", self._note_write)
            with db.engine.connect() as connection:
                self.index = RowIndex()
                self.index.refresh(connection, [t.name for t in self.index.tables])
                self.dump = {t.name: [dict(r._mapping) for r in connection.execute(t.select())]
                             for t in db.metadata.sorted_tables}
        self.baseline = dict(self.index.rows)
        self.tracking = True

    def stop_tracking(self) -> None:
        self.tracking = False
        with self.app.app_context():
            event.remove(db.engine, "before_cursor_execute", self._note_write)
            empty_tables()

    def _note_write(self, _conn, _cursor, statement, _params, _context, _many) -> None:
        if not self.tracking:
            return
        match = _WRITE.match(statement)
        if match:
            touched = {match.group(1)}
            if not statement.lstrip().upper().startswith(("INSERT", "UPDATE")):  # ON DELETE CASCADE / SET NULL
                touched |= self.referrers.get(match.group(1), set())
            self.written |= touched
            self.dirty |= touched

    @staticmethod
    def _referrers() -> dict[str, set[str]]:
        """Per table, the tables that refer to it, directly or through others."""
        direct: dict[str, set[str]] = {}
        for table in db.metadata.sorted_tables:
            for fk in table.foreign_keys:
                direct.setdefault(fk.column.table.name, set()).add(table.name)
        closure = {}
        for name in direct:
            seen, todo = set(), [name]
            while todo:
                for child in direct.get(todo.pop(), ()):
                    if child not in seen:
                        seen.add(child)
                        todo.append(child)
            closure[name] = seen
        return closure

    def other_foundation_changes(self, role: Role) -> list[str]:
        """Rows changed since the last check that belong to a foundation ``role`` cannot see."""
        written, self.written = self.written, set()
        if not written:
            return []
        self.tracking = False
        try:
            with self.app.app_context(), db.engine.connect() as connection:
                changes = self.index.refresh(connection, written)
        finally:
            self.tracking = True
        if role.visible is None:
            return []
        return [f"{table} {key} of {', '.join(self.foundations.get(f, str(f)) for f in sorted(owners - role.visible))}"
                for table, key, owners in changes if owners - role.visible]

    # -- back to the seeded state -------------------------------------------------------------
    def restore(self) -> None:
        """Put back every table written since the last restore (and the tables referring to
        them), as seeded, in one transaction."""
        if not self.dirty:
            return
        names = set(self.dirty)
        for name in self.dirty:
            names |= self.referrers.get(name, set())
        tables = [t for t in db.metadata.sorted_tables if t.name in names]
        position = {t.name: i for i, t in enumerate(db.metadata.sorted_tables)}
        self.tracking = False
        try:
            with self.app.app_context(), db.engine.begin() as connection:
                self._reload(connection, tables, position)
        finally:
            self.tracking = True
        for table in tables:
            if table.name in self.baseline:
                self.index.rows[table.name] = self.baseline[table.name]
        self.dirty.clear()
        self.written.clear()

    def _reload(self, connection, tables: list[Table], position: dict[str, int]) -> None:
        # Columns that refer to the same or a later table (team.manager_id, team.parent_id) are
        # emptied before the deletes and filled in after the inserts, so no order breaks a key.
        late = {t.name: sorted({fk.parent.name for fk in t.foreign_keys
                                if position[fk.column.table.name] >= position[t.name]}) for t in tables}
        for table in tables:
            if late[table.name]:
                connection.execute(table.update().values({name: None for name in late[table.name]}))
        for table in reversed(tables):
            connection.execute(table.delete())
        for table in tables:
            rows = self.dump[table.name]
            if rows:
                connection.execute(table.insert(), [{k: (None if k in late[table.name] else v) for k, v in row.items()}
                                                    for row in rows])
        for table in tables:
            rows, columns = self.dump[table.name], late[table.name]
            if not rows or not columns:
                continue
            pk = [c.name for c in table.primary_key.columns]
            statement = (table.update().where(and_(*(table.c[n] == bindparam("pk_" + n) for n in pk)))
                         .values({n: bindparam("v_" + n) for n in columns}))
            connection.execute(statement, [{**{"pk_" + n: row[n] for n in pk}, **{"v_" + n: row[n] for n in columns}}
                                           for row in rows])

    # -- ids by what they name ----------------------------------------------------------------
    def ids(self, word: str) -> dict[int | None, list[int]]:
        """Ids of the rows of the table ``word`` names (``course`` → learning_course, ``manager`` →
        person), by owning foundation; every table's when no table matches."""
        word = ALIASES.get(word, word)
        tables = [t for t in self.index.tables if t.name == word or t.name.endswith("_" + word)]
        if not tables:
            tables = self.index.tables
        found: dict[int | None, list[int]] = {}
        for table in tables:
            for key, (owner, _values) in self.baseline.get(table.name, {}).items():
                if len(key) == 1 and isinstance(key[0], int):
                    found.setdefault(owner, []).append(key[0])
        return {owner: sorted(set(ids)) for owner, ids in found.items()}

    def values(self, word: str) -> list[str]:
        """Values the seeded database holds in the column ``word`` names: ``status`` (person.status
        and others), ``course_code`` (learning_course.code), ``team`` (team.name)."""
        found = set()
        for table in db.metadata.sorted_tables:
            short = table.name.rsplit("_", 1)[-1]
            for column in table.columns:
                if column.name == word or f"{short}_{column.name}" == word or (short == word and column.name == "name"):
                    found |= {str(row[column.name]) for row in self.dump[table.name] if row[column.name] not in (None, "")}
        return sorted(found)[:40]


# Names of fields and path parts that name a person or team by role rather than by table.
ALIASES = {"manager": "person", "trainer": "person", "buddy": "person", "partner": "person", "assignee": "person",
           "approver": "person", "requester": "person", "people": "person", "member": "person", "parent": "team",
           "actor": "person", "owner": "person", "employee": "person"}

"""Migration wellbeing_0002 (answers wait and are folded in batches): an upgrade of a database with
check-ins loses nothing and gives the comments new keys; a downgrade counts what still waits."""
from __future__ import annotations

import os
import uuid
from datetime import date

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from core import create_app
from core.extensions import db
from core.testing.factories import Factory
from core.testing.fixtures import make_config
from plugins.wellbeing.models import (
    AnswerCount,
    Campaign,
    CheckinCount,
    Comment,
    Participation,
    PendingAnswer,
    PendingComment,
    Period,
)


@pytest.fixture
def database_url(tmp_path):
    """A fresh, empty database of the kind the suite runs on."""
    server_url = os.environ.get("JOURNEY_TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{tmp_path}/wellbeing-migration.db"
        return
    name = f"journey_wb_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def before_0002(database_url, tmp_path, journey_plugins):
    """A database whose wellbeing tables are those of wellbeing_0001, with check-ins as that version
    wrote them: counters, comments of a frozen and of an open period, the ledger."""
    app = create_app(make_config(database_url, str(tmp_path), PLUGINS=journey_plugins))
    with app.app_context():
        upgrade(revision="heads")
        downgrade(revision="wellbeing_0001")
        make = Factory(db)
        foundation = make.foundation()
        team = make.team(foundation, region="Twente")
        people = [make.person(foundation, team) for _ in range(3)]
        campaign = Campaign(foundation_id=foundation.id, name="Check-in", cadence="weekly", starts_on=date(2026, 3, 2),
                            questions=["go_home"], confirmed_at=date(2026, 3, 1))
        campaign.teams = [team]
        db.session.add(campaign)
        db.session.flush()
        closed = Period(foundation_id=foundation.id, campaign_id=campaign.id, starts_on=date(2026, 3, 2),
                        ends_on=date(2026, 3, 8), frozen=True)
        running = Period(foundation_id=foundation.id, campaign_id=campaign.id, starts_on=date(2026, 3, 9),
                         ends_on=date(2026, 3, 15), frozen=False)
        db.session.add_all([closed, running])
        db.session.flush()
        for period, texts in ((closed, ["old a", "old b"]), (running, ["new a"])):
            db.session.add_all(Comment(foundation_id=foundation.id, period_id=period.id, text=t) for t in texts)
            db.session.add_all(AnswerCount(foundation_id=foundation.id, period_id=period.id, team_id=team.id,
                                           question="go_home", value=value, count=value) for value in (1, 2, 3, 4, 5))
            db.session.add(CheckinCount(foundation_id=foundation.id, period_id=period.id, team_id=team.id, checkins=15))
            db.session.add_all(Participation(foundation_id=foundation.id, period_id=period.id, person_id=person.id)
                               for person in people)
        db.session.commit()
        yield {"closed": closed.id, "running": running.id, "team": team.id, "foundation": foundation.id}
        db.session.remove()
        db.engine.dispose()


def counters() -> dict:
    return {(p, v): n for p, v, n in db.session.execute(select(AnswerCount.period_id, AnswerCount.value,
                                                               AnswerCount.count))}


def tied_to_the_ledger() -> int:
    """Comment and counter rows written by the transaction of a ledger row (PostgreSQL's xmin)."""
    return sum(db.session.scalar(text(
        f"SELECT count(*) FROM {table} AS t JOIN wellbeing_participation AS p ON t.xmin = p.xmin"))
        for table in ("wellbeing_comment", "wellbeing_answer_count", "wellbeing_checkin_count"))


def test_an_upgrade_keeps_everything_and_gives_comments_new_keys(before_0002):
    ids = before_0002
    old_keys = set(db.session.scalars(select(Comment.id)))
    counted = counters()
    postgresql = db.engine.dialect.name == "postgresql"
    if postgresql:  # the old version wrote them with the ledger row; SQLite has no xmin
        assert tied_to_the_ledger() > 0
    db.session.commit()
    upgrade(revision="heads")
    if postgresql:
        assert tied_to_the_ledger() == 0
    assert counters() == counted
    assert db.session.scalar(select(func.sum(CheckinCount.checkins))) == 30
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 6
    published = db.session.execute(select(Comment.id, Comment.period_id, Comment.text)).all()
    assert sorted((period, text_) for _key, period, text_ in published) == [(ids["closed"], "old a"),
                                                                              (ids["closed"], "old b")]
    waiting = db.session.execute(select(PendingComment.id, PendingComment.period_id, PendingComment.text)).all()
    assert [(period, text_) for _key, period, text_ in waiting] == [(ids["running"], "new a")]  # published at close
    assert not {key for key, *_ in published + waiting} & old_keys


def test_a_downgrade_counts_what_still_waits(before_0002):
    ids = before_0002
    upgrade(revision="heads")
    checkin = uuid.uuid4()
    db.session.add(PendingAnswer(foundation_id=ids["foundation"], period_id=ids["running"], team_id=ids["team"],
                                 checkin=checkin, question="go_home", value=5))
    db.session.commit()
    expected = {**counters(), (ids["running"], 5): counters()[(ids["running"], 5)] + 1}
    downgrade(revision="wellbeing_0001")
    assert counters() == expected
    assert db.session.scalar(select(CheckinCount.checkins).where(CheckinCount.period_id == ids["running"])) == 16
    assert sorted(db.session.scalars(select(Comment.text))) == ["new a", "old a", "old b"]

"""Answers wait without identity and are folded into the counters in batches of at least the minimum
group; comments are published when the period closes. On PostgreSQL, once folded, no row version
(``xmin``), key or position ties an answer or a comment to a participation (issue 12)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from core.jobs import registered_jobs
from plugins.wellbeing import fold, results
from plugins.wellbeing.freeze import freeze_closed_periods
from plugins.wellbeing.models import AnswerCount, CheckinCount, Comment, PendingAnswer, PendingComment
from plugins.wellbeing.questions import DEFAULT_QUESTIONS
from plugins.wellbeing.settings import Settings
from tests.plugins.wellbeing.conftest import answers


@pytest.fixture
def org(org_factory):
    return org_factory({"Alpha": ("Twente", 7), "Beta": ("Twente", 6)})  # 15 with the managers: comments


@pytest.fixture
def campaign(org, campaign_factory):
    return campaign_factory(org)


def counted(db, team) -> int | None:
    return db.session.scalar(select(CheckinCount.checkins).where(CheckinCount.team_id == team.id))


def waiting(db) -> int:
    """Check-ins whose answers wait to be counted."""
    return db.session.scalar(select(func.count(func.distinct(PendingAnswer.checkin))))


def close(campaign, clock) -> None:
    """The period closes and the daily job freezes it."""
    clock.forward(days=7)
    freeze_closed_periods(campaign.id)


# -- batches ----------------------------------------------------------------------------------------

def test_answers_wait_until_a_batch_of_the_minimum_group_then_are_counted_and_removed(db, org, campaign, check_ins):
    alpha = org.members["Alpha"]
    check_ins(campaign, alpha[:4], answers(4))
    assert waiting(db) == 4
    assert counted(db, org.teams["Alpha"]) is None and db.session.scalar(select(func.sum(AnswerCount.count))) is None
    check_ins(campaign, alpha[4:5], answers(2))
    assert waiting(db) == 0  # the waiting rows are gone ...
    assert counted(db, org.teams["Alpha"]) == 5  # ... and counted, as one batch
    given = dict(((q, v), n) for q, v, n in db.session.execute(
        select(AnswerCount.question, AnswerCount.value, AnswerCount.count).where(AnswerCount.count > 0)))
    assert given == {**{(key, 4): 4 for key in DEFAULT_QUESTIONS}, **{(key, 2): 1 for key in DEFAULT_QUESTIONS}}


def test_the_batch_follows_a_raised_minimum_group(db, org, campaign, check_ins):
    check_ins(campaign, org.members["Alpha"][:5], settings=Settings(min_group=6))
    assert waiting(db) == 5 and counted(db, org.teams["Alpha"]) is None
    check_ins(campaign, org.members["Alpha"][5:6], settings=Settings(min_group=6))
    assert waiting(db) == 0 and counted(db, org.teams["Alpha"]) == 6


def test_a_batch_is_of_one_team(db, org, campaign, check_ins):
    """Three and three of two teams make six, but no team's counters may move by fewer than five."""
    check_ins(campaign, org.members["Alpha"][:3] + org.members["Beta"][:3])
    assert waiting(db) == 6 and db.session.scalar(select(func.count()).select_from(CheckinCount)) == 0


def test_a_fold_with_too_few_waiting_takes_nothing(db, org, campaign, check_ins):
    period = check_ins(campaign, org.members["Alpha"][:3])
    assert fold.fold_team(period, org.teams["Alpha"].id, list(DEFAULT_QUESTIONS), 5) == 0
    assert waiting(db) == 3 and counted(db, org.teams["Alpha"]) is None


def test_what_still_waits_is_counted_when_the_period_closes(db, org, campaign, check_ins, clock):
    check_ins(campaign, org.members["Alpha"][:5], answers(4))
    check_ins(campaign, org.members["Alpha"][5:7], answers(1))  # two wait
    check_ins(campaign, org.members["Beta"][:2], answers(3))  # a team below the minimum group
    assert waiting(db) == 4
    close(campaign, clock)
    assert waiting(db) == 0
    assert counted(db, org.teams["Alpha"]) == 7 and counted(db, org.teams["Beta"]) == 2
    total = results.division_results(campaign, "Twente", Settings()).selected.result
    assert total.checkins == 9 and total.stats["go_home"].distribution == (2, 0, 2, 5, 0)


# -- comments ---------------------------------------------------------------------------------------

def test_comments_wait_for_the_close_and_are_published_under_new_random_keys(db, org, campaign, check_ins, clock):
    for index, person in enumerate(org.members["Alpha"][:6]):
        check_ins(campaign, [person], comment=f"note {index}")
    waiting_keys = set(db.session.scalars(select(PendingComment.id)))
    assert len(waiting_keys) == 6 and db.session.scalar(select(func.count()).select_from(Comment)) == 0
    close(campaign, clock)
    published = db.session.execute(select(Comment.id, Comment.text)).all()
    assert sorted(text_ for _id, text_ in published) == [f"note {i}" for i in range(6)]
    assert not {key for key, _text in published} & waiting_keys
    assert {key.version for key, _text in published} == {4}  # random, not time-ordered (as UUIDv1/v7 would be)
    assert db.session.scalar(select(func.count()).select_from(PendingComment)) == 0


def comment_orders(db) -> dict[str, list[str]]:
    """The comments' texts in every order the database keeps them in: by key, and by place in the
    table (PostgreSQL's ctid; SQLite's WITHOUT ROWID table is stored in key order)."""
    orders = {"key": list(db.session.scalars(select(Comment.text).order_by(Comment.id)))}
    place = {"postgresql": "SELECT text FROM wellbeing_comment ORDER BY ctid",
             "sqlite": "SELECT text FROM wellbeing_comment"}[db.engine.dialect.name]
    orders["place"] = list(db.session.scalars(text(place)))
    return orders


def test_a_participants_comment_cannot_be_found_by_the_order_of_comments(db, org, campaign, check_ins, clock):
    people = org.members["Alpha"][:7] + org.members["Beta"][:5]
    in_order = [f"comment {index:02d}" for index in range(len(people))]
    for person, comment in zip(people, in_order, strict=True):
        check_ins(campaign, [person], comment=comment)
    close(campaign, clock)
    for how, order in comment_orders(db).items():
        assert sorted(order) == in_order, how
        # 12 comments: a shuffle lands on either order by chance once in 239 million runs.
        assert order not in (in_order, in_order[::-1]), f"the comments' {how} order follows the check-ins"


# -- PostgreSQL: transaction ids and old row versions -----------------------------------------------

def sharing_xmin_with_the_ledger(db, table: str) -> int:
    return db.session.scalar(text(
        f"SELECT count(*) FROM {table} AS t JOIN wellbeing_participation AS p ON t.xmin = p.xmin"))


WRITTEN_FOR_ANSWERS = ("wellbeing_answer_count", "wellbeing_checkin_count", "wellbeing_comment",
                       "wellbeing_period_team", "wellbeing_division_count", "wellbeing_pending_answer",
                       "wellbeing_pending_comment")


@pytest.fixture
def postgresql(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite stamps no transaction id on rows (no xmin) and keeps no old row versions to inspect; "
                    "this runs on PostgreSQL (JOURNEY_TEST_DATABASE_URL)")


def test_no_row_version_ties_an_answer_or_a_comment_to_a_participation(postgresql, db, org, campaign, check_ins,
                                                                        clock):
    people = org.members["Alpha"][:7] + org.members["Beta"][:5]
    for index, person in enumerate(people):
        check_ins(campaign, [person], answers(1 + index % 5), comment=f"comment {index}")
    # The join can find matches: each ledger row was written by a transaction of its own.
    assert db.session.scalar(text(
        "SELECT count(*) FROM wellbeing_participation AS p JOIN wellbeing_participation AS q ON p.xmin = q.xmin"
    )) == len(people)
    assert db.session.scalar(select(func.sum(CheckinCount.checkins))) == 10  # two batches of five, two waiting
    for table in WRITTEN_FOR_ANSWERS:  # while the period runs: folded counters and what waits
        assert sharing_xmin_with_the_ledger(db, table) == 0, table

    close(campaign, clock)
    for table in WRITTEN_FOR_ANSWERS:
        assert sharing_xmin_with_the_ledger(db, table) == 0, table
    # All comments of the period were written by one transaction, so none stands out by its own.
    assert db.session.scalar(text("SELECT count(DISTINCT xmin::text) FROM wellbeing_comment")) == 1
    assert db.session.scalar(select(func.count()).select_from(Comment)) == len(people)


@pytest.fixture
def pageinspect(postgresql, db):
    try:
        db.session.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
        db.session.commit()
    except DBAPIError:
        db.session.rollback()
        pytest.skip("the pageinspect extension is not available to this database user")


def row_versions_on_disk(db, table: str) -> int:
    """Row versions, live or dead, that the table's pages still hold (what pageinspect can read)."""
    return db.session.scalar(text(
        "SELECT count(*) FROM generate_series(0, pg_relation_size(CAST(:t AS regclass)) "
        "/ current_setting('block_size')::int - 1) AS block, "
        "heap_page_items(get_raw_page(CAST(:t AS text), CAST(block AS int))) WHERE t_data IS NOT NULL"
    ), {"t": table})


def test_the_vacuum_job_leaves_no_old_row_version_of_a_folded_answer(app, db, org, campaign, check_ins, pageinspect):
    check_ins(campaign, org.members["Alpha"][:5])  # folded: the waiting rows are deleted, counters rewritten
    db.session.commit()  # no open transaction of ours may keep the old versions alive
    registered_jobs(app)["wellbeing.vacuum"].spec.func()
    assert row_versions_on_disk(db, "wellbeing_pending_answer") == 0
    live = db.session.scalar(select(func.count()).select_from(AnswerCount))
    assert live == len(DEFAULT_QUESTIONS) * 5 and row_versions_on_disk(db, "wellbeing_answer_count") == live

"""``flask journey generate``: the synthetic organisation the benchmark serves."""
from sqlalchemy import func, select

from core.auth.passwords import verify_password
from core.demo import DEMO_PASSWORD
from core.models import Person, Team
from core.testing.fixtures import empty_tables


def _invoke(runner, *args: str) -> None:
    result = runner.invoke(args=["journey", *args])
    assert result.exit_code == 0, result.output


def _generate(runner, people: int, seed: int) -> None:
    _invoke(runner, "generate", "--people", str(people), "--seed", str(seed))


def _people_count(db) -> int:
    return db.session.scalar(select(func.count(Person.id)))


def _names(db) -> list[tuple[str, str]]:
    return [tuple(row) for row in db.session.execute(select(Person.first_name, Person.last_name).order_by(Person.id))]


def test_generate_on_an_empty_database_starts_from_the_demo_accounts(runner, db):
    _generate(runner, 300, 3)
    hr = db.session.scalar(select(Person).where(Person.email == "hr.ggz@example.org"))
    assert hr is not None and verify_password(hr, DEMO_PASSWORD)


def test_generate_adds_the_people_asked_for(runner, db):
    _invoke(runner, "demo")
    before = _people_count(db)
    _generate(runner, 300, 3)
    assert _people_count(db) == before + 300


def test_every_team_has_a_manager_who_is_a_member(runner, db):
    _generate(runner, 300, 3)
    teams = db.session.scalars(select(Team)).all()
    assert len(teams) > 10
    for team in teams:
        assert team.manager is not None, team.name
        assert team.manager.team_id == team.id, team.name


def test_the_same_seed_gives_the_same_names(runner, db):
    _generate(runner, 300, 3)
    first = _names(db)
    empty_tables()
    _generate(runner, 300, 3)
    second = _names(db)
    empty_tables()
    _generate(runner, 300, 4)

    assert len(set(first)) > 50  # names really vary
    assert first == second
    assert _names(db) != first


def test_progress_is_reported_for_every_person_twice_inserted_then_filled_in(app, db):
    from core.generate import generate_organisation
    from core.plugins import plugin_manager

    steps = []
    with app.app_context():
        generate_organisation(plugin_manager(app), 250, 5, progress=steps.append)
    assert sum(steps) == 2 * 250
    assert len(steps) > 3  # in parts, so that a bar moves


def test_the_command_shows_its_progress_bar_label(runner, db):
    result = runner.invoke(args=["journey", "generate", "--people", "50", "--seed", "2"])
    assert result.exit_code == 0 and "generating" in result.output

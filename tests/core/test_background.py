"""Background work: a large people import leaves its events to a task, whose progress a page
follows; the scheduler's job runs tasks, takes over a dead runner's, and gives up on broken ones."""
from __future__ import annotations

import io
import os
import sys
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from core import PROJECT_ROOT, background, events
from core.background import run_background_work
from core.clock import machine_utcnow
from core.models import BackgroundTask, LifecycleEvent, Person
from tests.core.people_support import build_org, listening
from tests.core.test_scheduler_lease import _free_port, processes, wait_for

HEADER = "email,first_name,last_name,team"


@pytest.fixture
def org(make):
    return build_org(make)


def _file(count: int) -> bytes:
    rows = [f"new{n}@example.org,New,Person {n},Care" for n in range(count)]
    return "\n".join([HEADER, *rows]).encode()


def _import(client, content: bytes):
    client.post("/people/import", data={"file": (io.BytesIO(content), "people.csv")}, content_type="multipart/form-data")
    return client.post("/people/import/confirm")


def _task(db) -> BackgroundTask:
    db.session.expire_all()
    return db.session.scalars(select(BackgroundTask)).one()


def _left_to_a_task(db, foundation, people) -> int:
    task = background.start_event_dispatch(foundation.id, len(people))
    for person in people:
        events.fire("person_hired", foundation.id, person=person)
    events.commit()
    return task.id


def test_a_large_import_leaves_its_events_to_background_work_and_reports_progress(app, client, login, org, db,
                                                                                  monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_BACKGROUND_ROWS", 2)
    login(org.hr)
    with listening(app) as listener:
        response = _import(client, _file(3))
        task = _task(db)
        page_url = f"/people/import/progress/{task.id}"
        assert response.status_code == 302 and response.headers["Location"] == page_url
        new_ids = set(db.session.scalars(select(Person.id).where(Person.email.like("new%"))))
        assert len(new_ids) == 3 and listener.calls == []  # imported, but nothing dispatched in the request
        assert (task.kind, task.foundation_id, task.started_by_id) == (background.EVENTS, org.a.id, org.hr.id)

        page = client.get(page_url).get_data(as_text=True)
        assert '<progress id="task-progress-bar" value="0" max="3"' in page
        assert f'data-progress-url="{page_url}/status"' in page and "js/progress.js" in page
        assert '<meta http-equiv="refresh"' in page  # inside <noscript>: without script the page reloads
        status = client.get(page_url + "/status").get_json()
        assert status == {"state": "queued", "done": 0, "total": 3, "failed": 0, "finished": False,
                          "text": "Waiting for the background work to start."}

        run_background_work(budget_seconds=0)  # one step: one event, the others given back
        status = client.get(page_url + "/status").get_json()
        assert (status["state"], status["done"], status["total"], status["finished"]) == ("running", 1, 3, False)
        assert status["text"] == "The modules are preparing the new people: 1 of 3."
        assert len(listener.calls) == 1

        run_background_work(budget_seconds=0)
        run_background_work(budget_seconds=0)
        status = client.get(page_url + "/status").get_json()
        assert (status["state"], status["done"], status["total"], status["finished"]) == ("done", 3, 3, True)
    assert sorted(listener.calls) == sorted(("person_hired", person_id) for person_id in new_ids)
    page = client.get(page_url).get_data(as_text=True)
    assert "The modules have prepared all 3 new people." in page
    assert "data-progress-url" not in page and "progress.js" not in page and 'http-equiv="refresh"' not in page


def test_an_import_up_to_the_threshold_dispatches_in_the_request(app, client, login, org, db, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_BACKGROUND_ROWS", 3)
    login(org.hr)
    with listening(app) as listener:
        response = _import(client, _file(3))
    assert response.headers["Location"] == "/people/"
    assert listener.names() == ["person_hired"] * 3
    assert db.session.scalar(select(func.count(BackgroundTask.id))) == 0


def test_the_progress_of_an_import_is_for_importers_of_its_foundation(client, login, org, make, db):
    task_id = _left_to_a_task(db, org.a, [org.nurse])
    urls = [f"/people/import/progress/{task_id}", f"/people/import/progress/{task_id}/status"]
    login(org.manager)
    assert [client.get(url).status_code for url in urls] == [403, 403]
    login(make.person(org.b, role="hr_admin"))
    assert [client.get(url).status_code for url in urls] == [404, 404]
    login(org.hr)
    assert [client.get(url).status_code for url in urls] == [200, 200]
    assert client.get(f"/people/import/progress/{task_id + 1}/status").status_code == 404


def test_a_task_whose_runner_died_is_taken_over_once_its_claim_runs_out(org, db):
    task_id = _left_to_a_task(db, org.a, [org.nurse, org.clerk])
    db.session.execute(update(BackgroundTask).values(state="running", claimed_by="dead",
                                                     claimed_until=machine_utcnow() + timedelta(minutes=1)))
    db.session.commit()
    run_background_work(budget_seconds=0)
    assert (_task(db).state, _task(db).done) == ("running", 0)  # still claimed: not ours to run
    db.session.execute(update(BackgroundTask).values(claimed_until=machine_utcnow() - timedelta(seconds=1)))
    db.session.commit()
    run_background_work(budget_seconds=None)
    task = _task(db)
    assert (task.id, task.state, task.done, task.total, task.claimed_by) == (task_id, "done", 2, 2, None)


def test_a_task_that_keeps_breaking_off_is_failed_with_its_error(client, login, org, db, monkeypatch):
    task_id = _left_to_a_task(db, org.a, [org.nurse])

    def broken(run):
        raise RuntimeError("the database went away")

    monkeypatch.setitem(background.HANDLERS, background.EVENTS, broken)
    for _run in range(background.MAX_RUN_ERRORS - 1):
        run_background_work(budget_seconds=0)
    assert (_task(db).state, _task(db).run_errors) == ("running", background.MAX_RUN_ERRORS - 1)
    run_background_work(budget_seconds=0)
    task = _task(db)
    assert (task.state, task.run_errors, task.message) == ("failed", 3, "RuntimeError: the database went away")
    login(org.hr)
    status = client.get(f"/people/import/progress/{task_id}/status").get_json()
    assert status["finished"] and "stopped with an error" in status["text"]


def test_finished_events_and_tasks_are_purged_after_the_days_kept(org, db):
    _left_to_a_task(db, org.a, [org.nurse])
    run_background_work(budget_seconds=None)
    _left_to_a_task(db, org.a, [org.clerk])  # still pending
    old = machine_utcnow() - timedelta(days=background.KEEP_DAYS + 1)
    db.session.execute(update(LifecycleEvent).where(LifecycleEvent.state == "done").values(finished_at=old))
    db.session.execute(update(BackgroundTask).where(BackgroundTask.state == "done").values(finished_at=old))
    db.session.commit()
    background.purge_old()
    db.session.commit()
    assert db.session.scalars(select(LifecycleEvent.state)).all() == ["pending"]
    assert db.session.scalars(select(BackgroundTask.state)).all() == ["queued"]


def test_make_run_advances_background_work_in_the_development_server(app, org, db, tmp_path):
    """``make run`` serves with ``flask run`` and the scheduler in-process: it runs the tasks too."""
    task_id = _left_to_a_task(db, org.a, [org.nurse, org.clerk, org.manager])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JOURNEY_", "FLASK_", "WERKZEUG_"))}
    env.update({"PYTHONPATH": str(PROJECT_ROOT), "JOURNEY_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                "JOURNEY_SECRET_KEY": "test-secret-key", "JOURNEY_PLUGINS_AUTOLOAD": "false",
                "JOURNEY_SCHEDULER_IN_PROCESS": "true"})
    command = [sys.executable, "-m", "flask", "--app", "core:create_app", "run", "--port", str(_free_port()), "--no-reload"]

    def finished():
        db.session.expire_all()
        task = db.session.get(BackgroundTask, task_id)
        return task.state == "done" and task.done == 3

    with processes() as spawn:
        server = spawn(command, env, tmp_path / "run.log")
        wait_for(finished, 60, "the in-process scheduler to finish the task", [server])

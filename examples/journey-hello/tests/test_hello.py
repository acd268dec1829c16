"""The example plugin, tested the way a plugin's own suite tests it: ``pytest tests`` in its folder."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from journey_hello.models import HelloGreeting


def _greetings(db) -> list[str]:
    return list(db.session.scalars(select(HelloGreeting.text).order_by(HelloGreeting.id)))


def test_served_only_where_switched_on(client, make, login, enable_plugin):
    ggz, welzijn = make.foundation("ggz"), make.foundation("welzijn")
    enable_plugin("hello", ggz)
    login(make.person(ggz))
    page = client.get("/hello/")
    assert page.status_code == 200
    assert 'href="/hello/"' in client.get("/").get_data(as_text=True)  # the menu item
    login(make.person(welzijn))
    assert client.get("/hello/").status_code == 404
    assert 'href="/hello/"' not in client.get("/").get_data(as_text=True)


def test_a_greeting_is_kept_for_the_foundation(client, make, login, enable_plugin, db):
    ggz, welzijn = make.foundation("ggz"), make.foundation("welzijn")
    enable_plugin("hello", ggz)
    enable_plugin("hello", welzijn)
    login(make.person(ggz))
    response = client.post("/hello/", data={"text": "Goedemorgen"})
    assert response.status_code == 302 and _greetings(db) == ["Goedemorgen"]
    assert "Goedemorgen" in client.get("/hello/").get_data(as_text=True)
    login(make.person(welzijn))
    assert "Goedemorgen" not in client.get("/hello/").get_data(as_text=True)  # another foundation's


def test_bad_input_is_shown_again_and_nothing_is_saved(client, make, login, enable_plugin, db):
    ggz = make.foundation("ggz")
    enable_plugin("hello", ggz)
    login(make.person(ggz))
    too_long = "x" * 201
    page = client.post("/hello/", data={"text": too_long}).get_data(as_text=True)
    assert too_long in page  # what was typed stays in the form
    assert client.post("/hello/", data={"text": ""}).status_code == 200
    assert _greetings(db) == []


def test_widget_counts_the_foundations_greetings(client, make, login, enable_plugin, db):
    ggz = make.foundation("ggz")
    enable_plugin("hello", ggz)
    person = make.person(ggz)
    db.session.add_all([HelloGreeting(foundation_id=ggz.id, person_id=person.id, text=t) for t in ("a", "b")])
    db.session.commit()
    login(person)
    assert 'data-hello-count="2"' in client.get("/").get_data(as_text=True)


def test_privacy_export_and_erase_reach_the_greetings(client, make, login, enable_plugin, db):
    ggz = make.foundation("ggz")
    enable_plugin("hello", ggz)
    hr, person = make.person(ggz, role="hr_admin"), make.person(ggz)
    db.session.add(HelloGreeting(foundation_id=ggz.id, person_id=person.id, text="Tot morgen"))
    db.session.commit()
    login(hr)
    export = client.post(f"/people/{person.id}/privacy-export")
    assert json.loads(export.get_data(as_text=True))["plugins"]["hello"]["greetings"][0]["text"] == "Tot morgen"
    assert client.post(f"/people/{person.id}/erase", data={"confirm_email": person.email}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(HelloGreeting)) == 0

"""Journey plugin ``hello``: the smallest complete plugin, to copy when writing your own.

It adds a page at /hello/ where people leave a greeting for their foundation, a menu item, a
dashboard widget and a permission, with its own table and migration lineage.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import delete, select
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from core.contributions import NavItem, Permission, Widget
from core.extensions import db
from core.hookspecs import hookimpl
from core.permissions import acting_foundation_id, has_permission

from journey_hello.models import HelloGreeting

KEY = "hello"
TITLE = {"nl": "Hallo", "en": "Hello"}
DESCRIPTION = {
    "nl": "Voorbeeldplug-in: laat een groet achter voor je collega's.",
    "en": "Example plugin: leave a greeting for your colleagues.",
}
REQUIRES: tuple[str, ...] = ()

bp = Blueprint(KEY, __name__, template_folder="templates")


class GreetingForm(FlaskForm):
    text = StringField(_l("Your greeting"), validators=[DataRequired(), Length(max=200)])


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    foundation_id = acting_foundation_id()
    form = GreetingForm()
    if form.validate_on_submit():
        if not has_permission(current_user, "hello.greet"):
            flash(_l("You may not leave greetings."), "error")
        else:
            db.session.add(HelloGreeting(foundation_id=foundation_id, person_id=current_user.id, text=form.text.data))
            db.session.commit()
            return redirect(url_for("hello.index"))
    greetings = db.session.scalars(
        select(HelloGreeting).where(HelloGreeting.foundation_id == foundation_id).order_by(HelloGreeting.id.desc()).limit(20)
    ).all()
    return render_template("hello/index.html", form=form, greetings=greetings)


@hookimpl
def register_blueprints():
    return [bp]


@hookimpl
def register_permissions():
    return [Permission("hello.greet", _l("Leave a greeting"), ("employee",))]


@hookimpl
def nav_items(user, foundation):
    return [NavItem(label=str(_l("Hello")), url=url_for("hello.index"), order=90)]


@hookimpl
def dashboard_widgets(user, foundation):
    count = db.session.scalar(
        select(db.func.count(HelloGreeting.id)).where(HelloGreeting.foundation_id == foundation.id)
    )
    return [Widget(title=str(_l("Greetings")), template="hello/widget.html", context={"count": count}, order=90)]


@hookimpl
def privacy_export(person):
    rows = db.session.scalars(select(HelloGreeting).where(HelloGreeting.person_id == person.id)).all()
    return {"greetings": [{"text": g.text, "at": g.created_at.isoformat()} for g in rows]}


@hookimpl
def privacy_erase(person):
    db.session.execute(delete(HelloGreeting).where(HelloGreeting.person_id == person.id))


@hookimpl
def seed_demo(foundation, people, rng, scale):
    if scale == "demo" and people:
        db.session.add(HelloGreeting(foundation_id=foundation.id, person_id=rng.choice(people), text="Welkom!"))

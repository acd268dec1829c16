"""What everyone of the foundation sees: the greetings page."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from core.api import acting_foundation_id, has_permission
from journey_hello import greetings
from journey_hello.forms import GreetingForm
from journey_hello.views import bp


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    foundation_id = acting_foundation_id()
    form = GreetingForm()
    if form.validate_on_submit():
        if not has_permission(current_user, "hello.greet"):
            flash(_l("You may not leave greetings."), "error")
        else:
            greetings.leave(foundation_id, current_user, form.text.data)
            return redirect(url_for("hello.index"))
    return render_template("hello/index.html", form=form, greetings=greetings.latest(foundation_id))

"""HR records a person's work agreement from a date (the earlier one ends the day before)."""
from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core import audit, tenancy
from core.extensions import db
from core.models import Person
from core.permissions import acting_foundation_id, permission_required
from core.reminders import local_today
from plugins.flexwork.agreements import Terms, agreement_on, change_from, history, terms_of
from plugins.flexwork.blueprint import bp
from plugins.flexwork.forms import AgreementForm


@bp.route("/people/<int:person_id>/agreement", methods=["GET", "POST"])
@permission_required("flexwork.manage_agreements")
def record_agreement(person_id: int):
    person = tenancy.get_or_404(Person, person_id)
    if person.foundation_id != acting_foundation_id():
        abort(404)
    form = AgreementForm()
    if request.method == "GET":
        current = terms_of(agreement_on(person.id, local_today()))
        form.fill_pattern(current.contract_hours or Decimal(person.contract_hours or 0), current.flex_hours, current.blocks)
        form.valid_from.data = local_today()
    if form.validate_on_submit():
        terms = Terms(form.contract_hours.data, form.flex_hours.data or Decimal(0), form.pattern_blocks())
        agreement = change_from(person, terms, form.valid_from.data, form.valid_to.data, created_by_id=current_user.id)
        db.session.flush()
        audit.record("flexwork.agreement_recorded", person, person.foundation_id,
                     {"agreement_id": agreement.id, "valid_from": agreement.valid_from.isoformat()})
        db.session.commit()
        flash(_("The work agreement of %(name)s is recorded.", name=person.full_name), "success")
        return redirect(url_for("flexwork.record_agreement", person_id=person.id))
    status = 400 if request.method == "POST" else 200
    return render_template("flexwork/agreement_form.html", form=form, person=person, agreements=history(person.id)), status

"""HR's pages: every open request of the foundation, and recording a person's work agreement from
a date (the earlier one ends the day before)."""
from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.api import Person, acting_foundation_id, clock, db, get_or_404, permission_required, record_audit
from plugins.flexwork import queues
from plugins.flexwork.agreements import Terms, agreement_on, change_from, history, terms_of
from plugins.flexwork.forms import ADD_ROW, AgreementForm
from plugins.flexwork.views import bp

HR_LIST_LIMIT = 100


@bp.route("/overview")
@permission_required("flexwork.oversee")
def overview():
    """HR: every undecided request of the foundation, nearest deadline first."""
    return render_template("flexwork/overview.html", requests=queues.foundation_open(acting_foundation_id(), HR_LIST_LIMIT),
                           today=clock.today())


@bp.route("/people/<int:person_id>/agreement", methods=["GET", "POST"])
@permission_required("flexwork.manage_agreements")
def record_agreement(person_id: int):
    person = get_or_404(Person, person_id)
    if person.foundation_id != acting_foundation_id():
        abort(404)
    form = AgreementForm()
    if request.method == "GET":
        current = terms_of(agreement_on(person.id, clock.today()))
        form.fill_pattern(current.contract_hours or Decimal(person.contract_hours or 0), current.flex_hours, current.blocks)
        form.valid_from.data = clock.today()
    adding_row = request.method == "POST" and request.form.get("action") == ADD_ROW
    if adding_row:
        form.add_rows()
    elif form.validate_on_submit():
        terms = Terms(form.contract_hours.data, form.flex_hours.data or Decimal(0), form.pattern_blocks())
        agreement = change_from(person, terms, form.valid_from.data, form.valid_to.data, created_by_id=current_user.id)
        db.session.flush()
        record_audit("flexwork.agreement_recorded", person, person.foundation_id,
                     {"agreement_id": agreement.id, "valid_from": agreement.valid_from.isoformat()})
        db.session.commit()
        flash(_("The work agreement of %(name)s is recorded.", name=person.full_name), "success")
        return redirect(url_for("flexwork.record_agreement", person_id=person.id))
    status = 400 if request.method == "POST" and not adding_row else 200
    return render_template("flexwork/agreement_form.html", form=form, person=person, agreements=history(person.id)), status

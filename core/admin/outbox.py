"""The e-mail outbox for group administrators: ``/admin/outbox`` (by state), one message, resend."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from core import tenancy
from core.admin.views import bp
from core.extensions import db
from core.models import OutboxMessage
from core.notifications import resend
from core.permissions import permission_required

STATE_TITLES = {"queued": _l("Queued"), "sending": _l("Being sent"), "sent": _l("Sent"), "failed": _l("Failed")}


class OutboxFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    state = SelectField(
        _l("State"),
        choices=[SelectChoice("", _l("All states"))] + [SelectChoice(key, title) for key, title in STATE_TITLES.items()],
        validators=[Optional()],
    )
    to = StringField(_l("Recipient contains"), validators=[Optional(), Length(max=254)])


@bp.route("/outbox")
@permission_required("core.view_outbox")
def outbox():
    form = OutboxFilterForm(formdata=request.args)
    counts = dict(db.session.execute(select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)).all())
    if not form.validate():
        return render_template("admin/outbox.html", form=form, page=None, counts=counts, states=STATE_TITLES, args={}), 400
    query = select(OutboxMessage)
    if form.state.data:
        query = query.where(OutboxMessage.state == form.state.data)
    if form.to.data:
        query = query.where(func.lower(OutboxMessage.to_address).contains(form.to.data.strip().lower(), autoescape=True))
    page = db.paginate(
        query.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("admin/outbox.html", form=form, page=page, counts=counts, states=STATE_TITLES, args=args)


@bp.route("/outbox/<int:message_id>")
@permission_required("core.view_outbox")
def outbox_message(message_id: int):
    message = tenancy.get_or_404(OutboxMessage, message_id)
    return render_template("admin/outbox_message.html", message=message, states=STATE_TITLES)


@bp.route("/outbox/<int:message_id>/resend", methods=["POST"])
@permission_required("core.view_outbox")
def outbox_resend(message_id: int):
    message = tenancy.get_or_404(OutboxMessage, message_id)
    if message.state != "failed":
        abort(409)
    resend(message, actor=current_user)
    db.session.commit()
    flash(_("The message to %(address)s is queued again.", address=message.to_address), "success")
    return redirect(url_for("admin.outbox_message", message_id=message.id))

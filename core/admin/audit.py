"""The audit log pages: ``/admin/audit`` (filtered, paged, newest first) and its CSV export.

HR administrators see the events of the foundations where they hold ``core.view_audit``; group
administrators see everything, including events that belong to no foundation (such as failed
logins for unknown addresses).
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone, to_utc
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import Select, func, select
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from core import audit, clock
from core.admin.views import bp
from core.exports import csv_response
from core.extensions import db
from core.models import AuditEvent, Foundation
from core.permissions import admin_foundation_ids, has_permission, permission_required

CSV_COLUMNS = ("at", "actor", "action", "target_type", "target_id", "target", "foundation", "details")
CSV_BATCH = 1000


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    foundation = SelectField(_l("Foundation"), coerce=_optional_int, validators=[Optional()])
    actor = StringField(_l("Actor e-mail contains"), validators=[Optional(), Length(max=254)])
    action = StringField(_l("Action starts with"), validators=[Optional(), Length(max=80)],
                         description=_l("For example login. or plugin."))
    date_from = DateField(_l("From date"), validators=[Optional()])
    date_to = DateField(_l("To date"), validators=[Optional()])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date lies before the start date."))


def _scope() -> frozenset[int] | None:
    """Foundations whose events the signed-in person may read; None means all (group admins)."""
    administered = admin_foundation_ids(current_user)
    if administered is None:
        return None
    candidates = administered | {current_user.foundation_id}
    return frozenset(fid for fid in candidates if has_permission(current_user, "core.view_audit", fid))


def _filter_form(scope: frozenset[int] | None) -> AuditFilterForm:
    form = AuditFilterForm(formdata=request.args)
    query = select(Foundation).order_by(Foundation.name)
    if scope is not None:
        query = query.where(Foundation.id.in_(scope))
    form.foundation.choices = [SelectChoice("", _l("All foundations"))] + [
        SelectChoice(str(f.id), f.name) for f in db.session.scalars(query)
    ]
    return form


def _local_midnight_utc(day: date) -> datetime:
    """Dates in the form are local days; events are stored in UTC."""
    return to_utc(datetime.combine(day, time.min))


def _events(form: AuditFilterForm, scope: frozenset[int] | None) -> Select:
    query = select(AuditEvent)
    if scope is not None:
        query = query.where(AuditEvent.foundation_id.in_(scope))
    if form.foundation.data is not None:
        query = query.where(AuditEvent.foundation_id == form.foundation.data)
    if form.actor.data:
        query = query.where(func.lower(AuditEvent.actor_label).contains(form.actor.data.strip().lower(), autoescape=True))
    if form.action.data:
        query = query.where(AuditEvent.action.startswith(form.action.data.strip(), autoescape=True))
    if form.date_from.data:
        query = query.where(AuditEvent.at >= _local_midnight_utc(form.date_from.data))
    if form.date_to.data:
        query = query.where(AuditEvent.at < _local_midnight_utc(form.date_to.data + timedelta(days=1)))
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def _foundation_names() -> dict[int, str]:
    return dict(db.session.execute(select(Foundation.id, Foundation.name)).all())


@bp.route("/audit")
@permission_required("core.view_audit")
def audit_log():
    scope = _scope()
    form = _filter_form(scope)
    if not form.validate():
        return render_template("admin/audit.html", form=form, page=None, foundations={}, args={}), 400
    page = db.paginate(_events(form, scope), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("admin/audit.html", form=form, page=page, foundations=_foundation_names(), args=args)


@bp.route("/audit.csv")
@permission_required("core.view_audit")
def audit_csv():
    scope = _scope()
    form = _filter_form(scope)
    if not form.validate():
        return render_template("admin/audit.html", form=form, page=None, foundations={}, args={}), 400
    audit.record("audit.exported", details={"filters": {k: v for k, v in request.args.items() if v}})
    db.session.commit()
    stamp = clock.now().strftime("%Y%m%d-%H%M")
    return csv_response(f"audit-{stamp}.csv", CSV_COLUMNS, _rows(_events(form, scope), _foundation_names()))


def _rows(query: Select, foundations: dict[int, str]) -> Iterator[list]:
    for event in db.session.scalars(query.execution_options(yield_per=CSV_BATCH)):
        yield [
            to_user_timezone(event.at).isoformat(timespec="seconds"), event.actor_label, event.action,
            event.target_type, event.target_id, event.target_label, foundations.get(event.foundation_id),
            json.dumps(event.details or {}, ensure_ascii=False, sort_keys=True),
        ]

"""HR's tools: xAPI tokens, the CSV import of old records and the registers of professional
registrations."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from core.api import (
    accepts_files,
    clock,
    db,
    discard_pending_file,
    get_or_404,
    has_permission,
    load_pending_file,
    permission_required,
    record_audit,
    save_pending_file,
)
from plugins.learning import catalogue, csv_records, xapi
from plugins.learning.forms import ActionForm, ImportForm, RegisterForm, TokenForm
from plugins.learning.models import ApiToken, Register
from plugins.learning.views import bp
from plugins.learning.views.common import form_status, foundation_id
from plugins.learning.vocabulary import IMPORT_MAX_MB, UNITS

IMPORT_KEY = "learning_import"  # the session holds the pending file's name and foundation


# -- xAPI tokens ----------------------------------------------------------------------------------

@bp.route("/tokens", methods=["GET", "POST"])
@permission_required("learning.manage")
def tokens():
    """Tokens of the foundation's e-learning systems. A new token is shown once, on this answer."""
    fid = foundation_id()
    form = TokenForm()
    secret = None
    if form.validate_on_submit():
        token, secret = xapi.create_token(fid, form.name.data, current_user)
        db.session.flush()
        record_audit("learning.token_created", token, foundation_id=fid, details={"name": token.name, "hint": token.hint})
        db.session.commit()
        form = TokenForm(formdata=None)
    rows = db.session.scalars(select(ApiToken).where(ApiToken.foundation_id == fid).order_by(ApiToken.created_at.desc())).all()
    endpoint = url_for("learning.xapi_statements", _external=True)
    return render_template("learning/tokens.html", form=form, tokens=rows, secret=secret, endpoint=endpoint,
                           revoke_form=ActionForm()), form_status(form)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@permission_required("learning.manage")
def revoke_token(token_id: int):
    token = get_or_404(ApiToken, token_id)
    if token.foundation_id != foundation_id():
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    if token.revoked_at is None:
        token.revoked_at = clock.utcnow()
        record_audit("learning.token_revoked", token, details={"name": token.name, "hint": token.hint})
        db.session.commit()
    flash(_("The token is revoked."), "success")
    return redirect(url_for("learning.tokens"))


# -- CSV import -----------------------------------------------------------------------------------

def _pending() -> bytes | None:
    pending = session.get(IMPORT_KEY)
    if not pending or pending.get("foundation_id") != foundation_id():
        return None
    return load_pending_file(pending["token"])


def _forget() -> None:
    pending = session.pop(IMPORT_KEY, None)
    if pending:
        discard_pending_file(pending["token"])


@bp.route("/import", methods=["GET", "POST"])
@permission_required("learning.manage")
@accepts_files(IMPORT_MAX_MB)
def import_records():
    """Upload: every row is checked (a dry run) and shown; nothing is stored until confirmed."""
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        limit = IMPORT_MAX_MB * 1024 * 1024
        content = form.file.data.read(limit + 1)
        if len(content) > limit:
            form.file.errors.append(_("The file is larger than %(mb)d MB.", mb=IMPORT_MAX_MB))
        else:
            result = csv_records.check(foundation_id(), content, clock.today())
            _forget()
            if result.ok:
                session[IMPORT_KEY] = {"token": save_pending_file(content), "foundation_id": foundation_id()}
    refused = result is not None and not result.ok  # rows with problems: nothing can be imported
    return render_template("learning/import.html", form=form, result=result, confirm_form=ActionForm(),
                           columns=csv_records.COLUMNS), 400 if refused else form_status(form)


@bp.route("/import/confirm", methods=["POST"])
@permission_required("learning.manage")
def confirm_import():
    content = _pending()
    if not ActionForm().validate_on_submit() or content is None:
        flash(_("Upload the file again."), "error")
        return redirect(url_for("learning.import_records"))
    result = csv_records.import_records(foundation_id(), content, clock.today(), actor=current_user)
    if not result.ok:  # something changed since the check: show it, store nothing
        return render_template("learning/import.html", form=ImportForm(formdata=None), result=result,
                               confirm_form=ActionForm(), columns=csv_records.COLUMNS)
    _forget()
    flash(ngettext("%(num)d record imported.", "%(num)d records imported.", result.imported), "success")
    return redirect(url_for("learning.index"))


@bp.route("/import/cancel", methods=["POST"])
@permission_required("learning.manage")
def cancel_import():
    _forget()
    return redirect(url_for("learning.import_records"))


# -- registers ------------------------------------------------------------------------------------

@bp.route("/registers")
@permission_required("learning.manage")
def registers():
    rows = catalogue.registers(foundation_id())
    return render_template("learning/registers.html", registers=rows, units=UNITS,
                           may_group=has_permission(current_user, "learning.manage_group"))


def _save_register(row: Register | None):
    if row is not None and row.foundation_id is None and not has_permission(current_user, "learning.manage_group"):
        abort(403)
    form = RegisterForm(obj=row)
    if row is not None and request.method == "GET":
        form.group_wide.data = row.foundation_id is None
    if not has_permission(current_user, "learning.manage_group"):
        del form.group_wide
    if form.validate_on_submit():
        created = row is None
        row = row or Register()
        for name in ("code", "name", "cycle_months", "points_required", "unit"):
            setattr(row, name, getattr(form, name).data)
        group_wide = bool(form.group_wide.data) if "group_wide" in form else (not created and row.foundation_id is None)
        row.foundation_id = None if group_wide else foundation_id()
        if created:
            db.session.add(row)
        db.session.flush()
        record_audit("learning.register_saved", row, foundation_id=foundation_id(), details={"code": row.code})
        db.session.commit()
        flash(_("The register is saved."), "success")
        return redirect(url_for("learning.registers"))
    return render_template("learning/form.html", form=form, multipart=False, back=url_for("learning.registers"),
                           title=_("New register") if row is None else _("Edit %(name)s", name=row.name)), form_status(form)


@bp.route("/registers/new", methods=["GET", "POST"])
@permission_required("learning.manage")
def new_register():
    return _save_register(None)


@bp.route("/registers/<int:register_id>/edit", methods=["GET", "POST"])
@permission_required("learning.manage")
def edit_register(register_id: int):
    return _save_register(catalogue.get_visible_or_404(Register, register_id, foundation_id()))

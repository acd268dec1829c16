"""Sign in and out, invitation links, one's own password and language."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from core import audit
from core.auth import invitations, throttle
from core.auth.forms import ChangePasswordForm, LanguageForm, LoginForm, NewPasswordForm
from core.auth.passwords import hash_password, verify_password
from core.extensions import db
from core.models import Person, utcnow
from core.redirects import local_target

bp = Blueprint("auth", __name__)


def _client_ip() -> str:
    return request.remote_addr or "unknown"


def _safe_next(target: str | None) -> str:
    """Only local paths: never redirect off-site after login."""
    return local_target(target) or url_for("home.dashboard")


def _start_session(person: Person) -> None:
    session.clear()  # no fixation: a new session for the signed-in person
    login_user(person, remember=False)
    session.permanent = True
    person.last_login_at = utcnow()


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        ip = _client_ip()
        try:
            attempt = throttle.begin(email, ip)
        except throttle.Throttled as throttled:
            flash(_("Too many failed attempts. Wait %(wait)s and try again.",
                    wait=format_timedelta(throttled.wait, threshold=2)), "error")
            return render_template("auth/login.html", form=form), 429
        person = db.session.scalar(
            select(Person).where(func.lower(Person.email) == email).execution_options(all_tenants=True)
        )
        if verify_password(person, form.password.data) and person.is_active:
            throttle.succeeded(email, ip, attempt)
            audit.record("login.success", person, actor=person)
            next_url = _safe_next(request.args.get("next"))
            _start_session(person)
            db.session.commit()
            return redirect(next_url)
        audit.record("login.failure", details={"email": email, "ip": ip}, foundation_id=person.foundation_id if person else None)
        db.session.commit()
        flash(_("E-mail address or password is not correct."), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    person = current_user._get_current_object()
    person.end_sessions()  # sign out everywhere, not only in this browser
    audit.record("logout", person)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = invitations.find_open(token)
    if invitation is None:
        return render_template("auth/invitation_invalid.html"), 410
    person = db.session.get(Person, invitation.person_id, execution_options={"all_tenants": True})
    form = NewPasswordForm(email=person.email)
    if form.validate_on_submit():
        if not invitations.consume(invitation):
            db.session.rollback()
            return render_template("auth/invitation_invalid.html"), 410
        person.password_hash = hash_password(form.password.data)
        person.end_sessions()
        audit.record(f"invitation.{invitation.purpose}.used", person, actor=person)
        _start_session(person)
        db.session.commit()
        flash(_("Your password is set. Welcome!"), "success")
        return redirect(url_for("home.dashboard"))
    return render_template("auth/set_password.html", form=form, person=person, purpose=invitation.purpose)


@bp.route("/account")
@login_required
def account():
    person = current_user._get_current_object()
    password_form = ChangePasswordForm(email=person.email, prefix="pw")
    language_form = LanguageForm(prefix="lang", locale=person.locale)
    return render_template("auth/account.html", password_form=password_form, language_form=language_form)


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    person = current_user._get_current_object()
    form = ChangePasswordForm(email=person.email, prefix="pw")
    if form.validate_on_submit():
        if not verify_password(person, form.current.data):
            form.current.errors.append(_("Your current password is not correct."))
        else:
            person.password_hash = hash_password(form.password.data)
            person.end_sessions()  # other browsers are signed out
            audit.record("password.changed", person)
            db.session.commit()
            login_user(person)  # keep this browser signed in with the new session version
            flash(_("Your password is changed. Other sessions are signed out."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", password_form=form, language_form=LanguageForm(prefix="lang", locale=person.locale)), 400


@bp.route("/account/language", methods=["POST"])
@login_required
def change_language():
    person = current_user._get_current_object()
    form = LanguageForm(prefix="lang")
    if form.validate_on_submit():
        person.locale = form.locale.data
        db.session.commit()
        flash(_("Language saved."), "success")
    return redirect(url_for("auth.account"))

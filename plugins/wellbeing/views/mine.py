"""The employee's side: the landing page, checking in, support and talk requests."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import exists, select

from core.api import acting_foundation_id, clock, db, has_permission, managed_teams, permission_required
from plugins.wellbeing import support
from plugins.wellbeing.checkin import (
    CheckinRefused,
    check_in,
    comment_group,
    ensure_period,
    has_checked_in,
    in_campaign,
    open_campaigns_for,
)
from plugins.wellbeing.forms import TalkRequestForm, checkin_form
from plugins.wellbeing.models import Campaign, Period, SupportContact, TalkRequest
from plugins.wellbeing.questions import QUESTIONS, SCALE, known
from plugins.wellbeing.views import bp
from plugins.wellbeing.views.common import (
    CHECK_IN,
    MANAGE,
    VIEW_ALL,
    VIEW_TEAM,
    any_permission,
    current_settings,
    owned_or_404,
)

SUPPORT_FLAG = "wellbeing_offer_support"  # in the person's own session cookie only, popped once shown


@bp.route("/")
@any_permission(CHECK_IN, VIEW_TEAM, VIEW_ALL, MANAGE)
def index():
    foundation_id = acting_foundation_id()
    today = clock.today()
    checkins = []
    if current_user.foundation_id == foundation_id and has_permission(current_user, CHECK_IN):
        for campaign in open_campaigns_for(current_user):
            period = ensure_period(campaign, today)
            if period is not None:
                checkins.append((campaign, period, has_checked_in(current_user, period)))
        db.session.commit()
    own_team = current_user.team if current_user.team_id and current_user.foundation_id == foundation_id else None
    managed = managed_teams(current_user, foundation_id)
    is_contact = db.session.scalar(select(exists().where(SupportContact.person_id == current_user.id)))
    return render_template(
        "wellbeing/index.html", checkins=checkins, own_team=own_team, managed=managed, is_contact=is_contact,
        today=today,
    )


def _refused(reason: str, campaign: Campaign):
    return render_template("wellbeing/refused.html", reason=reason, campaign=campaign), 409


@bp.route("/checkin/<int:campaign_id>", methods=["GET", "POST"])
@permission_required(CHECK_IN)
def checkin(campaign_id: int):
    campaign = owned_or_404(Campaign, campaign_id)
    if not in_campaign(current_user, campaign):
        return _refused("not_eligible", campaign)
    settings = current_settings()
    questions = known(campaign.questions)
    takes_comment, _group = comment_group(campaign, current_user.team, settings)
    form = checkin_form(questions, takes_comment)
    today = clock.today()
    if request.method == "POST":
        period = db.session.get(Period, request.form.get("period_id", type=int) or 0)
        if period is None or period.campaign_id != campaign.id:
            abort(400)
        if not period.is_open(today):
            return _refused("closed", campaign)
        if has_checked_in(current_user, period):
            return _refused("already", campaign)
        if form.validate_on_submit():
            answers = form.answers(questions)
            try:
                check_in(current_user, period, answers, form.comment.data if takes_comment else None, settings)
            except CheckinRefused as refused:
                return _refused(refused.reason, campaign)
            if any(value <= settings.low_score for value in answers.values()):
                session[SUPPORT_FLAG] = True
            return redirect(url_for("wellbeing.thanks"))
        return render_template("wellbeing/checkin.html", campaign=campaign, period=period, form=form,
                               questions=questions, all_questions=QUESTIONS, scale=SCALE), 400
    period = ensure_period(campaign, today)
    db.session.commit()
    if period is None:
        return _refused("no_period", campaign)
    if has_checked_in(current_user, period):
        return _refused("already", campaign)
    form.period_id.data = period.id
    return render_template("wellbeing/checkin.html", campaign=campaign, period=period, form=form,
                           questions=questions, all_questions=QUESTIONS, scale=SCALE)


@bp.route("/thanks")
@permission_required(CHECK_IN)
def thanks():
    offer_support = session.pop(SUPPORT_FLAG, False)
    contacts = support.contacts(acting_foundation_id()) if offer_support else []
    return render_template("wellbeing/thanks.html", offer_support=offer_support, contacts=contacts,
                           kind_titles=support.SUPPORT_KIND_TITLES, min_group=current_settings().min_group)


# -- support ----------------------------------------------------------------------------------------

def _talk_form(contacts) -> TalkRequestForm:
    form = TalkRequestForm()
    form.set_contacts([c for c in contacts if c.person_id is not None])
    return form


@bp.route("/support")
@permission_required(CHECK_IN)
def support_page():
    contacts = support.contacts(acting_foundation_id())
    return render_template("wellbeing/support.html", contacts=contacts, form=_talk_form(contacts),
                           kind_titles=support.SUPPORT_KIND_TITLES)


@bp.route("/support/talk", methods=["POST"])
@permission_required(CHECK_IN)
def request_talk():
    contacts = support.contacts(acting_foundation_id())
    form = _talk_form(contacts)
    if current_user.foundation_id != acting_foundation_id():
        abort(403)  # a request names its sender to their own foundation's contacts only
    if form.validate_on_submit():
        contact = next(c for c in contacts if c.id == form.contact_id.data)
        support.request_talk(current_user, contact, form.message.data)
        flash(_("Your request has been sent to %(name)s. They will contact you.", name=contact.name), "success")
        return redirect(url_for("wellbeing.support_page"))
    return render_template("wellbeing/support.html", contacts=contacts, form=form,
                           kind_titles=support.SUPPORT_KIND_TITLES), 400


@bp.route("/talk-requests")
@permission_required(CHECK_IN)
def talk_requests():
    """Requests addressed to the support contacts the signed-in person answers for."""
    return render_template("wellbeing/talk_requests.html", requests=support.requests_for_contact_person(current_user))


@bp.route("/talk-requests/<uuid:request_id>/handled", methods=["POST"])
@permission_required(CHECK_IN)
def talk_request_handled(request_id):
    talk = db.session.get(TalkRequest, request_id)
    if talk is None or talk.contact.person_id != current_user.id:
        abort(404)
    support.mark_handled(talk)
    flash(_("Marked as handled."), "success")
    return redirect(url_for("wellbeing.talk_requests"))

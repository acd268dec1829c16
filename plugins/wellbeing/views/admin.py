"""HR's side: campaigns (draft, start with confirmations, end) and the support contacts."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from core.api import Person, acting_foundation_id, clock, db, permission_required
from plugins.wellbeing import campaigns as service
from plugins.wellbeing import support
from plugins.wellbeing.forms import CampaignForm, ContactForm, StartForm
from plugins.wellbeing.models import Campaign, Period, SupportContact
from plugins.wellbeing.periods import CADENCES
from plugins.wellbeing.questions import QUESTIONS, known
from plugins.wellbeing.views import bp
from plugins.wellbeing.views.common import MANAGE, owned_or_404


def _actor():
    return current_user._get_current_object()


# -- campaigns --------------------------------------------------------------------------------------

@bp.route("/campaigns")
@permission_required(MANAGE)
def campaigns():
    rows = db.session.scalars(
        select(Campaign).where(Campaign.foundation_id == acting_foundation_id())
        .order_by(Campaign.starts_on.desc(), Campaign.id.desc())
    ).all()
    return render_template("wellbeing/campaigns.html", campaigns=rows, today=clock.today(), cadences=CADENCES)


def _campaign_form(campaign: Campaign | None) -> CampaignForm:
    if campaign is None:
        form = CampaignForm()
    else:
        form = CampaignForm(obj=campaign, team_ids=[team.id for team in campaign.teams])
    form.set_teams(service.foundation_teams(acting_foundation_id()))
    return form


def _save(campaign: Campaign, form: CampaignForm):
    data = {name: form[name].data for name in ("name", "cadence", "starts_on", "ends_on", "questions",
                                               "comments_enabled", "comment_scope", "all_teams", "team_ids")}
    saved = service.save_draft(campaign, acting_foundation_id(), data, _actor())
    flash(_("The campaign is saved as a draft. It starts once you confirm the works council and the DPIA."), "success")
    return redirect(url_for("wellbeing.campaign", campaign_id=saved.id))


@bp.route("/campaigns/new", methods=["GET", "POST"])
@permission_required(MANAGE)
def new_campaign():
    form = _campaign_form(None)
    if form.validate_on_submit():
        return _save(Campaign(), form)
    return render_template("wellbeing/campaign_form.html", form=form, campaign=None), 400 if form.errors else 200


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@permission_required(MANAGE)
def edit_campaign(campaign_id: int):
    campaign = owned_or_404(Campaign, campaign_id)
    if campaign.started:
        flash(_("A started campaign cannot be changed; you can end it."), "error")
        return redirect(url_for("wellbeing.campaign", campaign_id=campaign.id))
    form = _campaign_form(campaign)
    if form.validate_on_submit():
        return _save(campaign, form)
    return render_template("wellbeing/campaign_form.html", form=form, campaign=campaign), 400 if form.errors else 200


@bp.route("/campaigns/<int:campaign_id>", methods=["GET", "POST"])
@permission_required(MANAGE)
def campaign(campaign_id: int):
    """The campaign, and the start form: both confirmations are required."""
    campaign = owned_or_404(Campaign, campaign_id)
    form = StartForm()
    if form.validate_on_submit():
        try:
            service.start(campaign, _actor(), form.works_council_agreed.data, form.dpia_on_file.data,
                          form.dpia_reference.data)
        except service.CampaignRefused as refused:
            flash(_("This campaign has no teams or no questions.") if str(refused) == "empty"
                  else _("This campaign was started already."), "error")
            return redirect(url_for("wellbeing.campaign", campaign_id=campaign.id))
        flash(_("The campaign is started. Its members are told when each period opens."), "success")
        return redirect(url_for("wellbeing.campaign", campaign_id=campaign.id))
    periods = db.session.scalar(select(func.count(Period.id)).where(Period.campaign_id == campaign.id))
    return render_template(
        "wellbeing/campaign.html", campaign=campaign, form=form, today=clock.today(), cadences=CADENCES,
        questions=[QUESTIONS[key] for key in known(campaign.questions)], periods=periods,
    ), 400 if form.errors else 200


@bp.route("/campaigns/<int:campaign_id>/end", methods=["POST"])
@permission_required(MANAGE)
def end_campaign(campaign_id: int):
    campaign = owned_or_404(Campaign, campaign_id)
    try:
        service.end(campaign, _actor())
        flash(_("The campaign ends today."), "success")
    except service.CampaignRefused:
        flash(_("Only a running campaign can be ended."), "error")
    return redirect(url_for("wellbeing.campaign", campaign_id=campaign.id))


@bp.route("/campaigns/<int:campaign_id>/delete", methods=["POST"])
@permission_required(MANAGE)
def delete_campaign(campaign_id: int):
    campaign = owned_or_404(Campaign, campaign_id)
    try:
        service.delete_draft(campaign, _actor())
    except service.CampaignRefused:
        flash(_("A started campaign cannot be deleted; its results are kept."), "error")
        return redirect(url_for("wellbeing.campaign", campaign_id=campaign.id))
    flash(_("The draft is deleted."), "success")
    return redirect(url_for("wellbeing.campaigns"))


# -- support contacts -------------------------------------------------------------------------------

@bp.route("/contacts")
@permission_required(MANAGE)
def contacts():
    return render_template("wellbeing/contacts.html", contacts=support.contacts(acting_foundation_id()),
                           kind_titles=support.SUPPORT_KIND_TITLES)


def _contact_data(form: ContactForm):
    """The form's data with the e-mail resolved to a person of the foundation, or None with an error."""
    person_id = None
    email = (form.person_email.data or "").strip().lower()
    if email:
        person_id = db.session.scalar(select(Person.id).where(
            func.lower(Person.email) == email, Person.foundation_id == acting_foundation_id()))
        if person_id is None:
            form.person_email.errors.append(_("Nobody of this foundation has this e-mail address."))
            return None
    return {"kind": form.kind.data, "name": form.name.data.strip(), "description": (form.description.data or "").strip(),
            "how_to_reach": (form.how_to_reach.data or "").strip(), "person_id": person_id,
            "position": form.position.data or 0}


def _contact_form_page(form: ContactForm, contact: SupportContact | None):
    if form.validate_on_submit():
        data = _contact_data(form)
        if data is not None:
            support.save_contact(contact or SupportContact(), acting_foundation_id(), data, _actor())
            flash(_("Saved."), "success")
            return redirect(url_for("wellbeing.contacts"))
    return render_template("wellbeing/contact_form.html", form=form, contact=contact), 400 if form.errors else 200


@bp.route("/contacts/new", methods=["GET", "POST"])
@permission_required(MANAGE)
def new_contact():
    return _contact_form_page(ContactForm(), None)


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@permission_required(MANAGE)
def edit_contact(contact_id: int):
    contact = owned_or_404(SupportContact, contact_id)
    form = ContactForm(obj=contact, person_email=contact.person.email if contact.person else "")
    return _contact_form_page(form, contact)


@bp.route("/contacts/<int:contact_id>/delete", methods=["POST"])
@permission_required(MANAGE)
def delete_contact(contact_id: int):
    contact = owned_or_404(SupportContact, contact_id)
    support.delete_contact(contact, _actor())
    flash(_("The contact is removed."), "success")
    return redirect(url_for("wellbeing.contacts"))

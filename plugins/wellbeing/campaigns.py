"""Campaigns: drafted by HR, started only with the works council's agreement and a DPIA on file."""
from __future__ import annotations

from sqlalchemy import select

from core.api import Team, clock, db, record_audit
from plugins.wellbeing.models import Campaign, Period
from plugins.wellbeing.questions import known


class CampaignRefused(ValueError):
    """The change is not allowed in the campaign's state; the message says why."""


def foundation_teams(foundation_id: int, ids=None) -> list[Team]:
    query = select(Team).where(Team.foundation_id == foundation_id).order_by(Team.name, Team.id)
    if ids is not None:
        query = query.where(Team.id.in_(list(ids)))
    return list(db.session.scalars(query))


def save_draft(campaign: Campaign, foundation_id: int, data: dict, actor) -> Campaign:
    """Create or change a draft from the form's ``data``. Commits."""
    if campaign.id is not None and campaign.started:
        raise CampaignRefused("started")
    campaign.foundation_id = foundation_id
    campaign.name = data["name"]
    campaign.cadence = data["cadence"]
    campaign.starts_on = data["starts_on"]
    campaign.ends_on = data["ends_on"]
    campaign.questions = known(data["questions"])
    campaign.comments_enabled = data["comments_enabled"]
    campaign.comment_scope = data["comment_scope"]
    wanted = None if data["all_teams"] else data["team_ids"]
    campaign.teams = foundation_teams(foundation_id, wanted)
    new = campaign.id is None
    db.session.add(campaign)
    db.session.flush()
    record_audit("wellbeing.campaign_created" if new else "wellbeing.campaign_changed", campaign, foundation_id,
                 {"teams": len(campaign.teams), "cadence": campaign.cadence}, actor=actor)
    db.session.commit()
    return campaign


def start(campaign: Campaign, actor, works_council_agreed: bool, dpia_on_file: bool, dpia_reference: str) -> None:
    """Start a draft: both confirmations are required and stored with who and when. Commits."""
    if campaign.started:
        raise CampaignRefused("started")
    if not (works_council_agreed and dpia_on_file):
        raise CampaignRefused("confirmations")
    if not campaign.teams or not known(campaign.questions):
        raise CampaignRefused("empty")
    campaign.works_council_agreed = True
    campaign.dpia_on_file = True
    campaign.dpia_reference = dpia_reference or None
    campaign.confirmed_by_id = actor.id
    campaign.confirmed_at = clock.utcnow()
    record_audit("wellbeing.campaign_started", campaign, campaign.foundation_id,
                 {"works_council_agreed": True, "dpia_on_file": True, "dpia_reference": campaign.dpia_reference},
                 actor=actor)
    db.session.commit()


def end(campaign: Campaign, actor) -> None:
    """End a started campaign today (the current period closes today). Commits."""
    today = clock.today()
    if campaign.status(today) != "running":
        raise CampaignRefused("not_running")
    campaign.ends_on = today
    db.session.execute(
        Period.__table__.update()
        .where(Period.campaign_id == campaign.id, Period.ends_on > campaign.ends_on)
        .values(ends_on=campaign.ends_on)
    )
    record_audit("wellbeing.campaign_ended", campaign, campaign.foundation_id, {"ends_on": campaign.ends_on.isoformat()},
                 actor=actor)
    db.session.commit()


def delete_draft(campaign: Campaign, actor) -> None:
    if campaign.started:
        raise CampaignRefused("started")
    record_audit("wellbeing.campaign_deleted", campaign, campaign.foundation_id, {}, actor=actor)
    db.session.delete(campaign)
    db.session.commit()

"""What the plugin holds about a person: the periods they checked in (never their answers), their
talk requests, and whether they receive talk requests for a support contact."""
from __future__ import annotations

from sqlalchemy import delete, select, update

from core.api import db
from plugins.wellbeing.models import Campaign, Participation, Period, SupportContact, TalkRequest

EVERYWHERE = {"all_tenants": True}  # the person's own rows, whoever asks


def export(person) -> dict:
    periods = db.session.execute(
        select(Campaign.name, Period.starts_on, Period.ends_on)
        .join(Period, Period.campaign_id == Campaign.id)
        .join(Participation, Participation.period_id == Period.id)
        .where(Participation.person_id == person.id)
        .order_by(Period.starts_on)
        .execution_options(**EVERYWHERE)
    ).all()
    requests = db.session.execute(
        select(SupportContact.name, TalkRequest.requested_on, TalkRequest.handled_on, TalkRequest.message)
        .join(SupportContact, SupportContact.id == TalkRequest.contact_id)
        .where(TalkRequest.person_id == person.id)
        .order_by(TalkRequest.requested_on)
        .execution_options(**EVERYWHERE)
    ).all()
    contact_for = db.session.scalars(
        select(SupportContact.name).where(SupportContact.person_id == person.id).execution_options(**EVERYWHERE)
    ).all()
    return {
        "checked_in_periods": [
            {"campaign": name, "starts_on": starts.isoformat(), "ends_on": ends.isoformat()}
            for name, starts, ends in periods
        ],
        "talk_requests": [
            {"contact": contact, "requested_on": requested.isoformat(),
             "handled_on": handled.isoformat() if handled else None, "message": message}
            for contact, requested, handled, message in requests
        ],
        "receives_talk_requests_for": list(contact_for),
    }


def erase(person) -> None:
    sync = {"synchronize_session": False}
    db.session.execute(delete(Participation).where(Participation.person_id == person.id), execution_options=sync)
    db.session.execute(delete(TalkRequest).where(TalkRequest.person_id == person.id), execution_options=sync)
    db.session.execute(update(SupportContact).where(SupportContact.person_id == person.id).values(person_id=None),
                       execution_options=sync)

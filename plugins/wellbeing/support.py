"""Signposting: the support a foundation offers, and "I would like to talk to someone" requests.

A talk request is a separate, deliberate act: it names the person to the contact they chose and
refers to nothing of a check-in (no period, no answer, no link), so it cannot tell anyone how the
person answered.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.api import Person, clock, db, notify, record_audit
from plugins.wellbeing.models import SupportContact, TalkRequest
from plugins.wellbeing.notices import TALK_REQUEST_KIND

SUPPORT_KIND_TITLES = {
    "confidential_advisor": _l("Confidential adviser (vertrouwenspersoon)"),
    "company_doctor": _l("Company doctor (bedrijfsarts)"),
    "employee_assistance": _l("Employee assistance"),
    "peer_support": _l("Peer support"),
    "other": _l("Other support"),
}


def contacts(foundation_id: int) -> list[SupportContact]:
    return list(db.session.scalars(
        select(SupportContact).where(SupportContact.foundation_id == foundation_id)
        .order_by(SupportContact.position, SupportContact.name, SupportContact.id)
    ))


def save_contact(contact: SupportContact, foundation_id: int, data: dict, actor) -> SupportContact:
    """Create or change a contact. Commits."""
    new = contact.id is None
    contact.foundation_id = foundation_id
    for name in ("kind", "name", "description", "how_to_reach", "person_id", "position"):
        setattr(contact, name, data[name])
    db.session.add(contact)
    db.session.flush()
    record_audit("wellbeing.contact_added" if new else "wellbeing.contact_changed", contact, foundation_id,
                 {"kind": contact.kind, "takes_requests": contact.person_id is not None}, actor=actor)
    db.session.commit()
    return contact


def delete_contact(contact: SupportContact, actor) -> None:
    record_audit("wellbeing.contact_deleted", contact, contact.foundation_id, {}, actor=actor)
    db.session.delete(contact)
    db.session.commit()


def request_talk(person, contact: SupportContact, message: str) -> TalkRequest:
    """Ask ``contact`` for a conversation; tells the contact who asks. Commits."""
    if contact.person_id is None or contact.foundation_id != person.foundation_id:
        raise ValueError("this contact does not take requests")
    request = TalkRequest(foundation_id=person.foundation_id, person_id=person.id, contact_id=contact.id,
                          message=(message or "").strip()[:500], requested_on=clock.today())
    db.session.add(request)
    db.session.flush()
    recipient = db.session.get(Person, contact.person_id)
    notify(
        recipient, TALK_REQUEST_KIND,
        _l("%(name)s would like to talk to you", name=person.full_name),
        _l("%(name)s (%(email)s) asked for a conversation with %(contact)s. Their note: %(message)s",
           name=person.full_name, email=person.email, contact=contact.name, message=request.message or "–"),
        url="/wellbeing/talk-requests",
        dedupe_key=f"{TALK_REQUEST_KIND}:{request.id}",
    )
    db.session.commit()
    return request


def requests_for_contact_person(person) -> list[TalkRequest]:
    """Requests addressed to the contacts ``person`` answers for, open ones first."""
    return list(db.session.scalars(
        select(TalkRequest).join(SupportContact, SupportContact.id == TalkRequest.contact_id)
        .where(SupportContact.person_id == person.id)
        .order_by(TalkRequest.handled_on.is_not(None), TalkRequest.requested_on.desc())
    ))


def mark_handled(request: TalkRequest) -> None:
    request.handled_on = request.handled_on or clock.today()
    db.session.commit()

"""Dashboard cards: my agreement, what waits for my decision, deadlines for HR."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.api import Widget, clock, db, has_permission
from plugins.flexwork import access, queues
from plugins.flexwork.agreements import history, in_force_of, upcoming_of
from plugins.flexwork.models import OPEN_STATES, FlexRequest, Swap
from plugins.flexwork.settings import hr_alert_days


def for_dashboard(user, foundation) -> list[Widget]:
    today = clock.today()
    found = []
    if has_permission(user, "flexwork.request", foundation.id):
        open_requests, asked = db.session.execute(select(  # both counts in one round trip
            select(func.count()).where(FlexRequest.person_id == user.id, FlexRequest.state.in_(OPEN_STATES))
            .select_from(FlexRequest).scalar_subquery(),
            select(func.count()).where(Swap.partner_id == user.id, Swap.state == "proposed")
            .select_from(Swap).scalar_subquery(),
        )).one()
        agreements = history(user.id)
        upcoming = upcoming_of(agreements, today)
        found.append(Widget(str(_l("My work agreement")), "flexwork/widget_mine.html",
                            {"agreement": in_force_of(agreements, today), "upcoming": upcoming[0] if upcoming else None,
                             "open_requests": open_requests, "swaps_asked": asked},
                            order=40))
    if has_permission(user, "flexwork.approve", foundation.id):
        teams = access.managed_team_ids(user)
        if teams:
            waiting = queues.queue(teams, user.id)
            found.append(Widget(str(_l("Flexible-work requests to decide")), "flexwork/widget_decide.html",
                                {"count": len(waiting), "next": waiting[0] if waiting else None, "today": today,
                                 "swaps": len(queues.swaps_awaiting(teams, user.id))}, order=41))
    if has_permission(user, "flexwork.oversee", foundation.id):
        days = hr_alert_days(foundation.id)
        found.append(Widget(str(_l("Flexible-work deadlines")), "flexwork/widget_hr.html",
                            {"due": queues.due_soon_count(foundation.id, today, days), "days": days}, order=42))
    return found

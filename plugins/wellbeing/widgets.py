"""The dashboard widget: the check-ins open to the person today, and the teams they manage."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.api import Widget, clock, db, has_permission, managed_teams
from plugins.wellbeing.checkin import has_checked_in, open_campaigns_for
from plugins.wellbeing.models import Period


def for_dashboard(user, foundation) -> list[Widget]:
    if user.foundation_id != foundation.id or not has_permission(user, "wellbeing.check_in", foundation.id):
        return []
    today = clock.today()
    open_now = []
    for campaign in open_campaigns_for(user):
        period = db.session.scalar(select(Period).where(
            Period.campaign_id == campaign.id, Period.starts_on <= today, Period.ends_on >= today))
        open_now.append({"campaign": campaign, "period": period,
                         "done": period is not None and has_checked_in(user, period)})
    managed = managed_teams(user, foundation.id)
    if not open_now and not managed:
        return []
    return [Widget(title=str(_l("Team check-in")), template="wellbeing/widget.html",
                   context={"open": open_now, "managed": managed}, order=40)]

"""The working-time rule set refuses numbers that are no numbers: "nan" and "inf" pass every range
check of a float field, so they are refused before it."""
from __future__ import annotations

import pytest

from plugins.flexwork.settings import labour_rules

VALID = {"max_shift_hours": "9", "max_week_hours": "60", "max_average_4_weeks": "55", "max_average_16_weeks": "48",
         "min_daily_rest_hours": "11", "min_weekly_rest_hours": "36", "hr_alert_days": "10"}


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf"])
def test_not_a_number_is_refused_and_nothing_saved(client, login, org, value):
    login(org.hr)
    response = client.post("/admin/plugins/flexwork/ggz/settings", data={**VALID, "max_shift_hours": value})
    assert response.status_code == 400
    assert labour_rules(org.foundation.id).max_shift_hours == 12  # the law's default stays

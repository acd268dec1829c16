"""HR's pages: campaigns (the start needs the works council and a DPIA), support contacts, the
settings form; and the permission matrix and cross-foundation ids for every page."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from core.models import AuditEvent, FoundationPlugin
from plugins.wellbeing.models import Campaign, SupportContact
from plugins.wellbeing.settings import SettingsForm, settings_for


@pytest.fixture
def org(org_factory):
    return org_factory({"Alpha": ("Twente", 5), "Beta": ("IJssel-Vecht", 5)})


def campaign_form(org, **overrides) -> dict:
    data = {"name": "Spring check-in", "cadence": "weekly", "starts_on": "2026-03-02", "ends_on": "",
            "questions": ["go_home", "workload"], "comments_enabled": "y", "comment_scope": "foundation",
            "team_ids": [str(org.teams["Alpha"].id)]}
    data.update(overrides)
    return data


def test_hr_drafts_a_campaign(client, login, db, org):
    login(org.hr)
    response = client.post("/wellbeing/campaigns/new", data=campaign_form(org))
    assert response.status_code == 302
    campaign = db.session.scalar(select(Campaign))
    assert campaign.name == "Spring check-in" and campaign.questions == ["go_home", "workload"]
    assert [t.id for t in campaign.teams] == [org.teams["Alpha"].id]
    assert not campaign.started and campaign.status(date(2026, 3, 5)) == "draft"
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "wellbeing.campaign_created"))


def test_all_teams_can_be_chosen_at_once(client, login, db, org):
    login(org.hr)
    client.post("/wellbeing/campaigns/new", data=campaign_form(org, team_ids=[], all_teams="y"))
    assert len(db.session.scalar(select(Campaign)).teams) == 2


@pytest.mark.parametrize("change, field", [
    ({"name": ""}, "name"),
    ({"starts_on": "not a date"}, "starts_on"),
    ({"ends_on": "2026-03-01"}, "ends_on"),
    ({"questions": []}, "questions"),
    ({"team_ids": []}, "team_ids"),
    ({"cadence": "hourly"}, "cadence"),
])
def test_a_bad_campaign_form_keeps_what_was_typed_and_saves_nothing(client, login, db, org, change, field):
    login(org.hr)
    response = client.post("/wellbeing/campaigns/new", data=campaign_form(org, **{"name": "Kept name", **change}))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in html
    if "name" not in change:
        assert 'value="Kept name"' in html
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0


def test_a_campaign_starts_only_with_both_confirmations_stored_with_who_and_when(client, login, db, org):
    login(org.hr)
    client.post("/wellbeing/campaigns/new", data=campaign_form(org))
    campaign_id = db.session.scalar(select(Campaign.id))
    for missing in ({"dpia_on_file": "y"}, {"works_council_agreed": "y"}, {}):
        response = client.post(f"/wellbeing/campaigns/{campaign_id}", data=missing)
        assert response.status_code == 400
        db.session.expire_all()
        assert not db.session.get(Campaign, campaign_id).started
    client.post(f"/wellbeing/campaigns/{campaign_id}",
                data={"works_council_agreed": "y", "dpia_on_file": "y", "dpia_reference": "DPIA 2026-04"})
    db.session.expire_all()
    campaign = db.session.get(Campaign, campaign_id)
    assert campaign.started and campaign.works_council_agreed and campaign.dpia_on_file
    assert campaign.confirmed_by_id == org.hr.id and campaign.confirmed_at is not None
    assert campaign.dpia_reference == "DPIA 2026-04"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "wellbeing.campaign_started"))
    assert event.actor_id == org.hr.id and event.details["works_council_agreed"] is True
    html = client.get(f"/wellbeing/campaigns/{campaign_id}").get_data(as_text=True)
    assert 'data-testid="confirmation"' in html and org.hr.full_name in html


def test_a_started_campaign_cannot_be_changed_or_deleted_but_can_end(client, login, db, org, campaign_factory, clock):
    campaign = campaign_factory(org)
    login(org.hr)
    client.post(f"/wellbeing/campaigns/{campaign.id}/edit", data=campaign_form(org, name="Renamed"))
    client.post(f"/wellbeing/campaigns/{campaign.id}/delete")
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).name == "Check-in"
    clock.forward(days=3)
    client.post(f"/wellbeing/campaigns/{campaign.id}/end")
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).ends_on == clock.today()


def test_a_draft_can_be_changed_and_deleted(client, login, db, org, campaign_factory):
    campaign = campaign_factory(org, started=False)
    login(org.hr)
    client.post(f"/wellbeing/campaigns/{campaign.id}/edit", data=campaign_form(org, name="Renamed"))
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).name == "Renamed"
    client.post(f"/wellbeing/campaigns/{campaign.id}/delete")
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0


def test_a_campaign_without_teams_cannot_start(client, login, db, org, campaign_factory):
    campaign = campaign_factory(org, teams=[], started=False)
    login(org.hr)
    client.post(f"/wellbeing/campaigns/{campaign.id}", data={"works_council_agreed": "y", "dpia_on_file": "y"})
    db.session.expire_all()
    assert not db.session.get(Campaign, campaign.id).started


# -- support contacts -------------------------------------------------------------------------------

def test_hr_adds_a_contact_who_receives_requests(client, login, db, org):
    login(org.hr)
    listener = org.members["Beta"][0]
    response = client.post("/wellbeing/contacts/new", data={
        "kind": "confidential_advisor", "name": "Vera", "description": "Listens", "how_to_reach": "06-1",
        "person_email": listener.email.upper(), "position": "1"})
    assert response.status_code == 302
    contact = db.session.scalar(select(SupportContact))
    assert contact.person_id == listener.id and contact.kind == "confidential_advisor"
    client.post(f"/wellbeing/contacts/{contact.id}/edit", data={
        "kind": "peer_support", "name": "Vera V.", "person_email": "", "position": "2"})
    db.session.expire_all()
    contact = db.session.get(SupportContact, contact.id)
    assert (contact.name, contact.person_id) == ("Vera V.", None)
    client.post(f"/wellbeing/contacts/{contact.id}/delete")
    assert db.session.scalar(select(func.count()).select_from(SupportContact)) == 0


def test_a_contact_person_must_belong_to_the_foundation(client, login, db, org, org_factory):
    stranger = org_factory({"Gamma": ("Twente", 5)}).members["Gamma"][0]
    login(org.hr)
    response = client.post("/wellbeing/contacts/new", data={
        "kind": "other", "name": "Stranger", "person_email": stranger.email, "position": "0"})
    assert response.status_code == 400 and 'id="person_email-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SupportContact)) == 0


# -- settings ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, errors", [
    ({"min_group": 5, "min_comment_group": 10}, set()),
    ({"min_group": 8, "min_comment_group": 12}, set()),
    ({"min_group": 4, "min_comment_group": 10}, {"min_group"}),
    ({"min_group": 5, "min_comment_group": 9}, {"min_comment_group"}),
    ({"min_group": 12, "min_comment_group": 10}, {"min_comment_group"}),
])
def test_the_settings_form_never_lets_thresholds_go_below_the_floor(app, data, errors):
    values = {"comment_retention_months": 6, "low_score": 2, "reminder_days_before_close": 2, **data}
    with app.test_request_context(method="POST", data={k: str(v) for k, v in values.items()}):
        form = SettingsForm()
        form.validate()
        assert set(form.errors) == errors


def test_the_settings_are_saved_through_the_plugin_admin_and_read_back(client, login, db, org):
    login(org.hr)
    url = f"/admin/plugins/wellbeing/{org.foundation.slug}/settings"
    assert client.get(url).status_code == 200
    response = client.post(url, data={"min_group": "7", "min_comment_group": "12", "comment_retention_months": "3",
                                      "low_score": "1", "reminder_days_before_close": "1"})
    assert response.status_code == 302
    assert settings_for(org.foundation.id).min_group == 7
    refused = client.post(url, data={"min_group": "3", "min_comment_group": "10", "comment_retention_months": "3",
                                     "low_score": "1", "reminder_days_before_close": "1"})
    assert refused.status_code == 400 and 'id="min_group-error"' in refused.get_data(as_text=True)
    assert settings_for(org.foundation.id).min_group == 7


def test_a_hand_edited_setting_still_cannot_lower_the_thresholds(db, org):
    row = db.session.scalar(select(FoundationPlugin).where(FoundationPlugin.plugin_key == "wellbeing"))
    row.settings = {"min_group": 2, "min_comment_group": 3, "low_score": "x"}
    db.session.commit()
    settings = settings_for(org.foundation.id)
    assert (settings.min_group, settings.min_comment_group, settings.low_score) == (5, 10, 2)


# -- permission matrix and ids of other foundations ---------------------------------------------------

@pytest.fixture
def world(org, campaign_factory, db):
    campaign = campaign_factory(org)
    contact = SupportContact(foundation_id=org.foundation.id, kind="other", name="C", person_id=org.hr.id)
    db.session.add(contact)
    db.session.commit()
    return org, campaign, contact


PAGES = [
    # (url template, member, manager of Alpha, HR)
    ("/wellbeing/", 200, 200, 200),
    ("/wellbeing/checkin/{campaign}", 200, 200, 409),
    ("/wellbeing/thanks", 200, 200, 200),
    ("/wellbeing/support", 200, 200, 200),
    ("/wellbeing/talk-requests", 200, 200, 200),
    ("/wellbeing/results/team/{alpha}", 200, 200, 200),
    ("/wellbeing/results/team/{beta}", 403, 403, 200),
    ("/wellbeing/api/teams/{alpha}/results", 200, 200, 200),
    ("/wellbeing/api/teams/{beta}/results", 403, 403, 200),
    ("/wellbeing/results", 403, 403, 200),
    ("/wellbeing/results/division?campaign={campaign}&division=Twente", 403, 403, 200),
    ("/wellbeing/api/divisions/results?campaign={campaign}&division=Twente", 403, 403, 200),
    ("/wellbeing/results/export.csv?campaign={campaign}", 403, 403, 200),
    ("/wellbeing/campaigns", 403, 403, 200),
    ("/wellbeing/campaigns/new", 403, 403, 200),
    ("/wellbeing/campaigns/{campaign}", 403, 403, 200),
    ("/wellbeing/contacts", 403, 403, 200),
    ("/wellbeing/contacts/new", 403, 403, 200),
    ("/wellbeing/contacts/{contact}/edit", 403, 403, 200),
]


@pytest.mark.parametrize("template, member, manager, hr", PAGES)
def test_permission_matrix(client, login, world, template, member, manager, hr):
    org, campaign, contact = world
    url = template.format(campaign=campaign.id, contact=contact.id, alpha=org.teams["Alpha"].id, beta=org.teams["Beta"].id)
    for person, expected in ((org.members["Alpha"][0], member), (org.managers["Alpha"], manager), (org.hr, hr)):
        login(person)
        assert client.get(url).status_code == expected, (person.email, url)


def test_every_get_route_is_in_the_permission_matrix(app):
    routes = {rule.rule for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("wellbeing.") and "GET" in rule.methods and rule.endpoint != "wellbeing.static"}
    covered = {template.split("?")[0] for template, *_ in PAGES}
    normalised = {r.replace("<int:campaign_id>", "{campaign}").replace("<int:contact_id>", "{contact}")
                  .replace("<int:team_id>", "{alpha}") for r in routes}
    assert normalised <= covered | {"/wellbeing/campaigns/{campaign}/edit"}


@pytest.mark.parametrize("method, template", [
    ("GET", "/wellbeing/checkin/{campaign}"),
    ("GET", "/wellbeing/campaigns/{campaign}"),
    ("GET", "/wellbeing/campaigns/{campaign}/edit"),
    ("POST", "/wellbeing/campaigns/{campaign}/end"),
    ("POST", "/wellbeing/campaigns/{campaign}/delete"),
    ("GET", "/wellbeing/contacts/{contact}/edit"),
    ("POST", "/wellbeing/contacts/{contact}/delete"),
    ("GET", "/wellbeing/results/team/{team}"),
    ("POST", "/wellbeing/results/team/{team}/actions"),
    ("GET", "/wellbeing/api/teams/{team}/results"),
    ("GET", "/wellbeing/results?campaign={campaign}"),
    ("GET", "/wellbeing/results/export.csv?campaign={campaign}"),
])
def test_another_foundations_ids_are_not_found(client, login, db, world, org_factory, method, template):
    org, campaign, contact = world
    other = org_factory({"Gamma": ("Twente", 5)})
    url = template.format(campaign=campaign.id, contact=contact.id, team=org.teams["Alpha"].id)
    login(other.hr)
    response = client.open(url, method=method, data={"text": "x"})
    assert response.status_code == 404, url
    assert db.session.get(Campaign, campaign.id) is not None

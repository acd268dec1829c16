"""Core models (the ``core`` migration lineage)."""
from core.models.access import ROLES, Invitation, LoginFailure, RoleAssignment
from core.models.audit import AuditEvent
from core.models.base import TenantScoped, db, utcnow
from core.models.foundation import Foundation
from core.models.people import PERSON_STATUSES, PERSON_TYPES, REGIONS, Person, Team
from core.models.plugin_state import FoundationPlugin

__all__ = [
    "AuditEvent", "Foundation", "FoundationPlugin", "Invitation", "LoginFailure", "PERSON_STATUSES",
    "PERSON_TYPES", "Person", "REGIONS", "ROLES", "RoleAssignment", "Team", "TenantScoped", "db", "utcnow",
]

"""Core models (the ``core`` migration lineage)."""
from core.models.access import ROLES, Invitation, LoginFailure, RoleAssignment
from core.models.audit import AuditEvent
from core.models.background import BackgroundTask, EventDelivery, LifecycleEvent
from core.models.base import TenantScoped, db, utcnow
from core.models.foundation import Foundation
from core.models.jobs import JobRun, JobState, SchedulerLease
from core.models.notifications import Notification, NotificationPreference, OutboxMessage
from core.models.people import PERSON_STATUSES, PERSON_TYPES, REGIONS, Person, Team
from core.models.plugin_state import FoundationPlugin
from core.models.reminders import ReminderSweep

__all__ = [
    "AuditEvent", "BackgroundTask", "EventDelivery", "Foundation", "FoundationPlugin", "Invitation", "JobRun", "JobState",
    "LifecycleEvent", "LoginFailure", "Notification", "NotificationPreference", "OutboxMessage", "PERSON_STATUSES",
    "PERSON_TYPES", "Person", "REGIONS", "ROLES", "ReminderSweep", "RoleAssignment", "SchedulerLease", "Team", "TenantScoped", "db", "utcnow",
]

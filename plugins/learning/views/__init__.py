"""The pages of learning; importing this package registers their routes on ``bp``."""
from plugins.learning.blueprint import bp
from plugins.learning.views import admin, catalogue, compliance, home, records, sessions, xapi  # noqa: F401

__all__ = ["bp"]

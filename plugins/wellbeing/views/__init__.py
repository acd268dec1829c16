"""The ``wellbeing`` blueprint; its routes live in the modules imported below."""
from plugins.wellbeing.views import admin, checkin, results  # noqa: F401  (their routes join the blueprint)
from plugins.wellbeing.views.common import bp

__all__ = ["bp"]

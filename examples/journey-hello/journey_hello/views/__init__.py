"""The plugin's blueprint, mounted at /hello/; the view modules add their routes to it."""
from flask import Blueprint

bp = Blueprint("hello", __name__, template_folder="../templates")

from journey_hello.views import mine  # noqa: E402,F401  (registers the routes)

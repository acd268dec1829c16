"""The plugin's blueprint; the view modules add their routes to it."""
from flask import Blueprint

bp = Blueprint("flexwork", __name__, template_folder="templates")

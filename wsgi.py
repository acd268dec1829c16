"""WSGI entry point: ``gunicorn wsgi:app``. The scheduler runs as its own process, never here."""
from core import create_app

app = create_app()

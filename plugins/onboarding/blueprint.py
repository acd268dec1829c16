"""The ``onboarding`` blueprint (mounted at /onboarding/) and what its views share."""

from __future__ import annotations

from flask import Blueprint, request, send_file, url_for
from flask_login import current_user

from plugins.onboarding import uploads
from plugins.onboarding.markup import render_markdown
from plugins.onboarding.models import OnboardingFile

bp = Blueprint("onboarding", __name__, template_folder="templates", static_folder="static", static_url_path="/static")
bp.add_app_template_filter(render_markdown, "onboarding_markdown")


def actor():
    return current_user._get_current_object()


def safe_next(default: str | None = None) -> str:
    """Where to go after a form: a local path from ``next``, else ``default`` (the landing page)."""
    target = request.form.get("next") or request.args.get("next")
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default or url_for("onboarding.index")


def page_number() -> int:
    return max(request.args.get("page", 1, type=int), 1)


def send_stored(file: OnboardingFile):
    """A stored file, always as a download under its original name (never shown inline)."""
    response = send_file(
        uploads.path_of(file),
        mimetype=file.content_type,
        as_attachment=True,
        download_name=file.original_name,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response

"""Locale choice and translation catalogues (core's, then each plugin's)."""
from __future__ import annotations

import functools
from pathlib import Path

from flask import current_app, has_request_context, request
from flask_babel import force_locale
from flask_login import current_user

CORE_TRANSLATIONS = Path(__file__).parent / "translations"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and jobs: the default; mail uses the recipient's locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def translation_directories(manager) -> list[str]:
    """Plugins' catalogues first, core's last: catalogues share one domain and the last one wins,
    so core's own wording stays core's even when a plugin translates the same English text."""
    dirs = []
    for info in manager.plugins.values():
        path = Path(info.module.__file__).parent / "translations"
        if path.is_dir():
            dirs.append(str(path))
    return [*dirs, str(CORE_TRANSLATIONS)]


def in_english(command):
    """For a command line command: what services say (translatable, so Dutch by default outside a
    request) comes out in English, the language of the command line's own output and help."""

    @functools.wraps(command)
    def english(*args, **kwargs):
        with force_locale("en"):
            return command(*args, **kwargs)

    return english

"""One input layer for every request, before any view or form sees it.

PostgreSQL refuses NUL characters in text, 64-bit columns overflow, and date arithmetic breaks at
the ends of the calendar; a view that passes such a value on ends in a server error. So every
request is checked once, here, and refused with a clear 400 that names the field:

- no NUL character in the path, a query or form value, a field name or a JSON string;
- a value that is a plain number (``12``, ``-3,5``, ``1e308``) lies within ``MAX_NUMBER``;
- a value that is an ISO date or date-time (what ``<input type="date">`` sends) lies within
  ``YEAR_MIN``–``YEAR_MAX``;
- a JSON body has no ``NaN`` or ``Infinity``, no number beyond ``MAX_NUMBER`` and is nested at most
  ``MAX_JSON_DEPTH`` deep;
- ids fit an id column (32 bits): in URLs (``<int:...>``) a larger one is a 404 like any unknown
  id; in a field named ``id`` or ``..._id`` it is refused;
- a JSON body sent to a view that reads forms is an object (Flask-WTF reads it as the form's
  fields); views of a JSON API that take other bodies say so with ``accepts_json``;
- a request body is at most ``MAX_CONTENT_LENGTH``; views that take files declare a larger limit
  with ``accepts_files``.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation

from flask import Flask, abort, current_app, g, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # the largest value of an id column (INTEGER)
MAX_NUMBER = Decimal(10) ** 15  # beyond any count, amount or hour total a person types
YEAR_MIN, YEAR_MAX = 1900, 2199
MAX_JSON_DEPTH = 32
MB = 1024 * 1024

_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")
_ID_FIELD = re.compile(r"(^|[_-])id$")
_ISO_DATE = re.compile(r"(\d{4,})-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` that matches only ids a 64-bit column can hold."""

    def __init__(self, url_map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class GuardedJSONProvider(DefaultJSONProvider):
    """Reads JSON bodies with the bounds above; a refusal is a ValueError, which Flask answers
    with 400 (``get_json(silent=True)`` gives None)."""

    def loads(self, s, **kwargs):
        kwargs.setdefault("parse_constant", _refuse_constant)
        try:
            data = json.loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
        _check_json(data)
        return data


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _check_json(data) -> None:
    """Walk the parsed document without recursion: depth, strings and numbers."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise ValueError("JSON nested too deeply")
        if isinstance(value, dict):
            stack.extend((key, depth) for key in value)
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            if "\x00" in value:
                raise ValueError("JSON text contains a NUL character")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            if not math.isfinite(value) or abs(value) > MAX_NUMBER:
                raise ValueError("JSON number out of range")


def accepts_files(max_mb: int) -> Callable:
    """Mark a view that takes uploads: its request body may be up to ``max_mb`` MB (plus the form
    around the file) instead of the site-wide ``MAX_CONTENT_LENGTH``."""

    def mark(view):
        view.journey_max_content_length = max_mb * MB + MB
        return view

    return mark


def accepts_json(view):
    """Mark a view of a JSON API: its body may be any JSON (an array of statements, say)."""
    view.journey_accepts_json = True
    return view


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedIntConverter
    app.json = GuardedJSONProvider(app)
    app.before_request(check_request)


def check_request() -> None:
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    limit = getattr(view, "journey_max_content_length", None)
    if limit:
        request.max_content_length = limit
    if "\x00" in request.path:
        g.input_problem = _("The address contains a character that is not allowed.")
        abort(400, g.input_problem)
    _check_pairs(request.args.items(multi=True))
    if request.is_json and request.content_length and not getattr(view, "journey_accepts_json", False):
        if not isinstance(request.get_json(silent=True), dict):
            g.input_problem = _("This address takes a form, or a JSON object.")
            abort(400, g.input_problem)
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and not request.is_json:
        _check_pairs(request.form.items(multi=True))
        _check_pairs((name, upload.filename or "") for name, upload in request.files.items(multi=True))


def _check_pairs(pairs: Iterable[tuple[str, str]]) -> None:
    for name, value in pairs:
        field = name.replace("\x00", "")
        problem = _problem(field, name) or _problem(field, value)
        if problem:
            g.input_problem = problem  # the error page shows it
            abort(400, problem)


def _problem(field: str, value: str) -> str | None:
    """Why ``value`` (of form or query field ``field``) is refused, or None."""
    if "\x00" in value:
        return _("The field %(field)s contains a character that is not allowed (NUL).", field=field)
    text = value.strip()
    if not text or not (text[0].isdigit() or text[0] in "+-.,"):
        return None
    if _NUMBER.fullmatch(text) and not _number_in_range(text, MAX_ID if _ID_FIELD.search(field) else MAX_NUMBER):
        return _("The number in field %(field)s is too large.", field=field)
    date = _ISO_DATE.fullmatch(text)
    if date and not YEAR_MIN <= int(date.group(1)) <= YEAR_MAX:
        return _("The date in field %(field)s must lie between %(first)d and %(last)d.",
                 field=field, first=YEAR_MIN, last=YEAR_MAX)
    return None


def _number_in_range(text: str, limit) -> bool:
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:  # "1,234,5": not one number, so not ours to judge
        return True
    return number.is_finite() and abs(number) <= limit

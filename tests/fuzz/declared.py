"""Forms no page showed the crawl (a campaign's start form once it runs, a swap's answer when the
demo has no swaps): read from the WTForms classes the view function names."""
from __future__ import annotations

import inspect

from wtforms import Form as WTForm
from wtforms import fields as wt
from wtforms.fields.core import UnboundField

from tests.fuzz.crawl import Field, Form

# The input a field class renders, most specific first.
KINDS = [(wt.BooleanField, "checkbox"), (wt.FileField, "file"), (wt.DateTimeLocalField, "datetime-local"),
         (wt.DateField, "date"), (wt.TimeField, "time"), (wt.IntegerField, "number"), (wt.DecimalField, "number"),
         (wt.FloatField, "number"), (wt.SelectFieldBase, "select"), (wt.TextAreaField, "textarea"),
         (wt.EmailField, "email"), (wt.PasswordField, "password"), (wt.SubmitField, "submit")]


def _kind(field_class) -> str:
    return next((kind for base, kind in KINDS if issubclass(field_class, base)), "text")


def _fields(form_class, prefix: str = "") -> list[Field]:
    found = []
    for name in dir(form_class):
        unbound = getattr(form_class, name, None)
        if not isinstance(unbound, UnboundField):
            continue
        found += _field(unbound, prefix + name)
    return found


def _field(unbound: UnboundField, name: str) -> list[Field]:
    if issubclass(unbound.field_class, wt.FieldList) and unbound.args:
        return [f for index in (0, 1) for f in _field(unbound.args[0], f"{name}-{index}")]
    if issubclass(unbound.field_class, wt.FormField) and unbound.args:
        return _fields(unbound.args[0], f"{name}-")
    kind = _kind(unbound.field_class)
    if kind == "checkbox":
        return [Field(name, kind, options=["y"], chosen=["y"])]
    return [Field(name, kind, value="y" if kind == "submit" else "", required=True)]


def declared_form(app, endpoint: str, action: str) -> Form | None:
    """The form of the first WTForms class ``endpoint``'s view names, posted to ``action``."""
    view = inspect.unwrap(app.view_functions[endpoint])
    code = getattr(view, "__code__", None)
    if code is None:
        return None
    for name in code.co_names:
        candidate = view.__globals__.get(name)
        if inspect.isclass(candidate) and issubclass(candidate, WTForm):
            fields = _fields(candidate)
            enctype = "multipart/form-data" if any(f.kind == "file" for f in fields) else ""
            return Form("declared", action, action, "POST", enctype or "application/x-www-form-urlencoded", fields)
    return None

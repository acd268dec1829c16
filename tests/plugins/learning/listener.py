"""A plugin that listens to learning's ``training_completed``, as another plugin would."""
from __future__ import annotations

from core.api import hookimpl

KEY = "learnlistener"
TITLE = {"en": "Listens to learning"}
HEARD: list[dict] = []


@hookimpl(optionalhook=True)
def training_completed(person, course, record):
    HEARD.append({"person_id": person.id, "course_code": course.code, "record_id": record.id,
                  "expires_on": record.expires_on})


@hookimpl
def privacy_export(person):
    return {}


@hookimpl
def privacy_erase(person):
    pass

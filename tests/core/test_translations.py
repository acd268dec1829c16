"""Dutch is the default language: every user-facing string of core has a compiled Dutch translation."""
from __future__ import annotations

import gettext

from babel.messages.extract import extract_from_dir

from core import PROJECT_ROOT

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
METHOD_MAP = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


def _core_messages() -> set:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT / "core"), method_map=METHOD_MAP, keywords=KEYWORDS,
        options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        found.add(message)
    return found


def test_core_has_user_facing_strings():
    assert len(_core_messages()) > 100


def test_every_core_string_has_a_compiled_dutch_translation():
    path = PROJECT_ROOT / "core" / "translations" / "nl" / "LC_MESSAGES" / "messages.mo"
    with path.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    missing = []
    for message in _core_messages():
        if isinstance(message, tuple):
            singular, plural = message[:2]
            if catalogue.ngettext(singular, plural, 1) == singular and catalogue.ngettext(singular, plural, 2) == plural:
                missing.append(singular)
        elif catalogue.gettext(message) == message:
            missing.append(message)
    assert not missing, f"{len(missing)} strings lack a Dutch translation (run `make translations`): {sorted(missing)[:20]}"


def test_pages_speak_dutch_by_default_and_english_on_request(client, make, login, db):
    person = make.person(make.foundation())
    assert 'lang="nl"' in client.get("/auth/login").get_data(as_text=True)
    assert 'lang="en"' in client.get("/auth/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    login(person)
    client.post("/auth/account/language", data={"lang-locale": "en"})
    assert 'lang="en"' in client.get("/").get_data(as_text=True)

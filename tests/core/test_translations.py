"""Dutch is the default language: every user-facing string of core and of each built-in plugin has
a compiled Dutch translation (run `make translations`, then translate what is new)."""
from __future__ import annotations

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo

from core import PROJECT_ROOT

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
METHOD_MAP = [("**.py", "python"), ("**/templates/**.html", "jinja2"), ("**/templates/**.txt", "jinja2")]
PACKAGES = ["core"] + sorted(
    f"plugins/{path.name}" for path in (PROJECT_ROOT / "plugins").glob("*") if (path / "__init__.py").exists()
)


def _messages(package: str) -> set:
    return {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(PROJECT_ROOT / package), method_map=METHOD_MAP, keywords=KEYWORDS,
            options_map={"**/templates/**": {"extensions": "jinja2.ext.i18n"}},
        )
    }


def _message_id(message) -> str:
    return message[0] if isinstance(message, tuple) else message


def _translated(catalogue, message_id: str) -> bool:
    """Present with every form filled in; the Dutch may equal the English ("Team", "Status")."""
    entry = catalogue.get(message_id)
    if entry is None:
        return False
    forms = entry.string if isinstance(entry.string, (list, tuple)) else [entry.string]
    return all(forms)


def test_core_has_user_facing_strings():
    assert len(_messages("core")) > 100


@pytest.mark.parametrize("package", PACKAGES)
def test_every_string_has_a_compiled_dutch_translation(package):
    path = PROJECT_ROOT / package / "translations" / "nl" / "LC_MESSAGES" / "messages.mo"
    assert path.exists(), f"no compiled Dutch catalogue for {package}: run `make translations`"
    with path.open("rb") as handle:
        catalogue = read_mo(handle)
    missing = [message for message in map(_message_id, _messages(package)) if not _translated(catalogue, message)]
    assert not missing, f"{len(missing)} strings of {package} lack Dutch: {sorted(missing)[:20]}"


def test_pages_speak_dutch_by_default_and_english_on_request(client, make, login, db):
    person = make.person(make.foundation())
    assert 'lang="nl"' in client.get("/auth/login").get_data(as_text=True)
    assert 'lang="en"' in client.get("/auth/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    login(person)
    client.post("/auth/account/language", data={"lang-locale": "en"})
    assert 'lang="en"' in client.get("/").get_data(as_text=True)


def test_catalogues_agree_on_shared_strings():
    """All catalogues share one domain, so one English text gets one Dutch text everywhere
    (otherwise whichever catalogue loads last would decide it on every page)."""
    from babel.messages.pofile import read_po

    translations: dict[str, dict[str, str]] = {}
    for package in PACKAGES:
        path = PROJECT_ROOT / package / "translations" / "nl" / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            for message in read_po(handle):
                if message.id:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    text = message.string if isinstance(message.string, str) else message.string[0]
                    translations.setdefault(key, {})[package] = text
    clashes = {key: by for key, by in translations.items() if len(set(by.values())) > 1}
    assert not clashes, clashes

"""What a browser finds: every page each role reaches, read for its links and its forms.

Forms are read from the HTML the app renders (not from the WTForms classes), so a field a template
adds by hand, a select's options and the form's real action are all as a person would submit them.
"""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl

from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from tests.fuzz.check import Finding, local, send

_LIST = re.compile(r"\b[a-z][a-z0-9_]*(?:, [a-z][a-z0-9_]*){2,}\b")  # "email, first_name, last_name"
FORMS_PER_ROLE = 3  # per endpoint: different actions (another item's edit form) of the same form
PAGES_PER_ENDPOINT = 2  # per role: a list and an item, enough to see each kind of page
# A form's own page (edit, attendance) is read for more items: its fields differ with the item's state.
FORM_PAGES_PER_ENDPOINT = 6
DOWNLOADS = (".csv", ".xlsx", ".pdf", ".ics")  # answers with no links or forms: the GET tests fetch them
# Plain values a person could type in a required empty field of each input type.
TYPED = {"date": "2026-03-11", "datetime-local": "2026-03-11T10:00", "time": "10:00", "month": "2026-03",
         "week": "2026-W11", "number": "1", "range": "1", "email": "fuzz@example.org", "url": "https://example.org",
         "tel": "0612345678", "password": "a long fuzz passphrase", "color": "#000000"}


@dataclass
class Field:
    name: str
    kind: str  # the input type, or "select", "textarea", "submit"
    value: str = ""
    options: list[str] = field(default_factory=list)  # a select's or a radio group's values
    chosen: list[str] = field(default_factory=list)  # selected options, checked boxes
    multiple: bool = False
    required: bool = False


@dataclass
class Form:
    role: str
    page: str
    action: str
    method: str
    enctype: str
    fields: list[Field]
    words: tuple[str, ...] = ()  # the longest list of names on the page: a CSV file's columns

    def pairs(self) -> list[tuple[str, str]]:
        """What a browser sends for the form as rendered, with required blanks filled in plainly
        and the first named submit button pressed."""
        pairs: list[tuple[str, str]] = []
        pressed = False
        for f in self.fields:
            if f.kind == "submit":
                if not pressed and f.name:
                    pairs.append((f.name, f.value))
                    pressed = True
            elif f.kind in ("checkbox", "radio"):
                pairs += [(f.name, v) for v in f.chosen]
                if f.kind == "radio" and not f.chosen and f.required and f.options:
                    pairs.append((f.name, f.options[0]))
            elif f.kind == "select":
                chosen = f.chosen or ([] if f.multiple else [o for o in f.options[:1]])
                if f.required and not any(chosen):
                    chosen = [o for o in f.options if o][:1]
                pairs += [(f.name, v) for v in chosen]
            elif f.kind == "file":
                pairs.append((f.name, ""))
            else:
                value = f.value
                if not value and f.required:
                    value = TYPED.get(f.kind, "Fuzz")
                pairs.append((f.name, value))
        return pairs


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self.by_id: dict[str, dict] = {}
        self.form: dict | None = None
        self.select: Field | None = None
        self.option: dict | None = None
        self.textarea: Field | None = None
        self.words: tuple[str, ...] = ()

    def _owner(self, attrs: dict) -> dict | None:
        return self.by_id.get(attrs["form"]) if attrs.get("form") else self.form

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self.form = {"action": attrs.get("action", ""), "method": (attrs.get("method") or "get").upper(),
                         "enctype": attrs.get("enctype") or "application/x-www-form-urlencoded", "fields": []}
            self.forms.append(self.form)
            if attrs.get("id"):
                self.by_id[attrs["id"]] = self.form
        elif tag in ("input", "button"):
            self._input(tag, attrs)
        elif tag == "select":
            owner = self._owner(attrs)
            if owner is not None and attrs.get("name"):
                self.select = Field(attrs["name"], "select", multiple="multiple" in attrs, required="required" in attrs)
                owner["fields"].append(self.select)
        elif tag == "option" and self.select is not None:
            self.option = {"value": attrs.get("value"), "text": "", "selected": "selected" in attrs}
        elif tag == "textarea":
            owner = self._owner(attrs)
            if owner is not None and attrs.get("name"):
                self.textarea = Field(attrs["name"], "textarea", required="required" in attrs)
                owner["fields"].append(self.textarea)

    def _input(self, tag: str, attrs: dict) -> None:
        owner = self._owner(attrs)
        kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
        if owner is None or kind in ("reset", "image") or (tag == "button" and kind == "button"):
            return
        if kind == "submit" and attrs.get("formaction"):  # a second action in the same form
            copy = {**owner, "action": attrs["formaction"], "fields": owner["fields"]}
            self.forms.append(copy)
        name = attrs.get("name", "")
        if not name and kind != "submit":
            return
        if kind in ("checkbox", "radio"):
            value = attrs.get("value", "on")
            same = [f for f in owner["fields"] if f.name == name and f.kind == kind]
            target = same[0] if same else Field(name, kind, required="required" in attrs)
            if not same:
                owner["fields"].append(target)
            target.options.append(value)
            if "checked" in attrs:
                target.chosen.append(value)
            return
        owner["fields"].append(Field(name, kind, attrs.get("value", ""), required="required" in attrs))

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "option" and self.option is not None:
            self._end_option()
        elif tag == "textarea" and self.textarea is not None:
            if self.textarea.value.startswith(("\r\n", "\n")):  # a browser drops the newline after <textarea>
                self.textarea.value = self.textarea.value.split("\n", 1)[1]
            self.textarea = None

    def _end_option(self) -> None:
        value = self.option["value"] if self.option["value"] is not None else self.option["text"].strip()
        self.select.options.append(value)
        if self.option["selected"]:
            self.select.chosen.append(value)
        self.option = None

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"] += data
        elif self.textarea is not None:
            self.textarea.value += data
        else:
            for names in _LIST.findall(data):
                if len(names.split(", ")) > len(self.words):
                    self.words = tuple(names.split(", "))


def read_page(html: str, url: str, role: str) -> tuple[list[str], list[Form]]:
    parser = _Page()
    parser.feed(html)
    links = [u for u in (local(href, url) for href in parser.links) if u]
    forms = []
    for raw in parser.forms:
        action = local(raw["action"] or url, url)
        if action:
            forms.append(Form(role, url, action, raw["method"], raw["enctype"], raw["fields"], parser.words))
    return links, forms


class Site:
    """The pages, links and forms every role found, by endpoint."""

    def __init__(self, app) -> None:
        self.app = app
        self.adapter = app.url_map.bind("localhost")
        self.form_pages = {rule.endpoint for rule in app.url_map.iter_rules() if rule.methods & {"POST", "PUT"}}
        self.urls: dict[str, set[str]] = {}  # endpoint -> concrete paths (with query) seen in links
        self.forms: dict[str, list[Form]] = {}
        self.query_names: dict[str, set[str]] = {}
        self.arg_values: dict[str, set[str]] = {}
        self.findings: list[Finding] = []
        self.visitors: dict[str, list[str]] = {}  # endpoint -> roles that saw one of its pages

    def endpoint(self, url: str, method: str = "GET") -> tuple[str, dict] | None:
        path, _sep, query = url.partition("?")
        try:
            return self.adapter.match(path, method=method)
        except RequestRedirect as redirect:
            return self.endpoint(local(redirect.new_url, path) or path, method) if redirect.new_url else None
        except HTTPException:
            return None

    def note_link(self, url: str) -> str | None:
        found = self.endpoint(url)
        if found is None:
            return None
        name, args = found
        self.urls.setdefault(name, set()).add(url)
        for key, value in args.items():
            self.arg_values.setdefault(key, set()).add(str(value))
        query = url.partition("?")[2]
        self.query_names.setdefault(name, set()).update(k for k, _v in parse_qsl(query, keep_blank_values=True))
        return name

    def note_form(self, form: Form) -> None:
        found = self.endpoint(form.action, form.method if form.method in ("GET", "POST") else "POST")
        if found is None:
            return
        name, args = found
        for key, value in args.items():
            self.arg_values.setdefault(key, set()).add(str(value))
        if form.method == "GET":
            self.query_names.setdefault(name, set()).update(f.name for f in form.fields if f.name)
            self.urls.setdefault(name, set()).add(form.action)
        else:
            known = [f for f in self.forms.setdefault(name, []) if f.role == form.role]
            shape = [f.name for f in form.fields]
            if len(known) < FORMS_PER_ROLE and not any(f.action == form.action and [g.name for g in f.fields] == shape
                                                       for f in known):
                self.forms[name].append(form)

    def crawl(self, world, role, start: list[str]) -> None:
        """Visit what ``role`` reaches from ``start``, a few pages per endpoint: first the first
        links found, then of each list also its last item (the oldest, or a past session, whose
        pages and forms differ from a new one's)."""
        client = world.client(role)
        seen: set[str] = set()
        visits: dict[str, int] = {}
        found: dict[str, list[str]] = {}  # endpoint -> links to it, in the order found
        self._visit(world, client, role, deque(start), seen, visits, found, extra=0)
        last = [urls[-1] for urls in found.values() if urls[-1] not in seen]
        self._visit(world, client, role, deque(last), seen, visits, found, extra=1)

    def _visit(self, world, client, role, queue, seen, visits, found, extra: int) -> None:
        while queue:
            url = queue.popleft()
            name = self.note_link(url)
            if url in seen or name is None or name.endswith("static") or url.split("?")[0].endswith(DOWNLOADS):
                continue
            found.setdefault(name, []).append(url)
            limit = (FORM_PAGES_PER_ENDPOINT if name in self.form_pages else PAGES_PER_ENDPOINT) + extra
            if visits.get(name, 0) >= limit:
                continue
            seen.add(url)
            visits[name] = visits.get(name, 0) + 1
            if role.name not in self.visitors.setdefault(name, []):
                self.visitors[name].append(role.name)
            response, finding = send(world, client, role, "GET", url)
            if finding:
                self.findings.append(finding)
            if response is None or response.mimetype != "text/html" or response.status_code != 200:
                continue
            links, forms = read_page(response.get_data(as_text=True), url, role.name)
            for form in forms:
                self.note_form(form)
            queue.extend(links)

    def forms_for(self, endpoint: str, role: str | None = None) -> list[Form]:
        forms = self.forms.get(endpoint, [])
        return [f for f in forms if f.role == role] if role else forms

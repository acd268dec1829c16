"""Drawing one hostile request: who sends it, to which address, with which fields and body."""
from __future__ import annotations

import inspect
import io
import re
from pathlib import Path
from urllib.parse import quote, urlencode

from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.routing import Rule

from tests.fuzz import hostile
from tests.fuzz.crawl import Form, read_page
from tests.fuzz.seeds import Seed

ARGUMENT = re.compile(r"<(?:[^<>]*:)?(\w+)>")
# The values a field of each kind is set to in the sweep: beyond 64 bits, beyond a 32-bit id column
# (PostgreSQL's INTEGER), not a number where an id goes, the ends of the calendar, a NUL.
WORST = {"number": [str(2**70), str(2**31)], "range": ["1e308"], "date": ["0001-01-01"],
         "datetime-local": ["9999-12-31T23:59"], "time": ["24:00"], "month": ["0000-00"], "week": ["2026-W99"],
         "select": ["x", str(2**31)], "hidden": ["x", str(2**31)], "radio": ["x"], "checkbox": [str(2**70)],
         "submit": ["x"], "text": ["a\x00b"]}
SWEPT = 20
COMMON_QUERY = ["page", "next", "q", "sort", "team_id", "foundation_id", "format", "status", "year", "date"]
HOSTILE_NAMES = ["\x00", "a\x00b", "x" * 2000, "rows-99999999999999999999-x", "rows--1-x", "__proto__", "", "[]",
                 "csrf_token", "foundation_id", "id", "person_id"]


def word_of(name: str) -> str:
    """The thing a field or path part names: ``rows-3-enrolment_id`` → ``enrolment``."""
    last = name.rsplit("-", 1)[-1]
    return re.sub(r"_ids?$", "", last)


def converters(rule: Rule) -> dict[str, tuple[str, list[str]]]:
    """Per part of the rule's path, its converter (``int``, ``uuid``, ``any``, ``path`` or
    ``string``) and, for ``any``, its words."""
    found = {}
    for converter, words, name in _PART.findall(rule.rule):
        found[name] = (converter or "string", [w.strip(" '\"") for w in words.strip("()").split(",") if w.strip()])
    return found


_PART = re.compile(r"<(?:(\w+)(\([^)]*\))?:)?(\w+)>")


class Requests:
    """Strategies of requests against the world's app, from what the crawl found."""

    def __init__(self, world, site) -> None:
        self.world = world
        self.site = site
        self.rules = {rule.endpoint: rule for rule in world.app.url_map.iter_rules()}

    def write_method(self, endpoint: str) -> str:
        return next(m for m in ("POST", "PUT", "PATCH", "DELETE") if m in self.rules[endpoint].methods)

    # -- who --------------------------------------------------------------------------------------
    def role(self, data, preferred: list[str]):
        """Mostly a role that has the endpoint's form; sometimes anyone (anonymous included)."""
        roles = self.world.roles
        if preferred and data.draw(st.integers(0, 3), label="prefer own form") > 0:
            return roles[data.draw(st.sampled_from(sorted(preferred)), label="role")]
        return roles[data.draw(st.sampled_from(sorted(roles)), label="role")]

    # -- where ------------------------------------------------------------------------------------
    def arg_values(self, rule: Rule, name: str, role) -> st.SearchStrategy[str]:
        kind, words = converters(rule)[name]
        seen = sorted(self.site.arg_values.get(name, ()))
        options = [st.sampled_from(seen)] if seen else []
        if kind == "int":
            others, own = self.other_ids(name, role), self.own_ids(name, role)
            options += [st.sampled_from(others)] if others else []
            options += [st.sampled_from(own)] if own else []
            options.append(st.sampled_from(hostile.HUGE_IDS))
        elif kind == "uuid":
            options.append(st.uuids().map(str))
            options.append(st.sampled_from(["00000000-0000-0000-0000-000000000000", "not-a-uuid"]))
        elif kind == "any":
            options.append(st.sampled_from(words))
            options.append(hostile.texts)
        else:
            options.append(hostile.texts)
        return st.one_of(options)

    def address(self, data, endpoint: str, role, base: str | None = None) -> str:
        """A path of ``endpoint``: one a page linked to, or one built with the world's ids, with
        sometimes a part replaced by another foundation's id or an extreme."""
        rule = self.rules[endpoint]
        if base is None:
            seen = sorted(self.site.urls.get(endpoint, ()))
            if seen and data.draw(st.integers(0, 3), label="linked address") > 0:
                base = data.draw(st.sampled_from(seen), label="address")
        if base is None or (rule.arguments and data.draw(st.integers(0, 2), label="change the path") == 0):
            method = sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
            current = self.site.endpoint(base, method) if base else None
            values = {k: str(v) for k, v in (current[1] if current else {}).items()}
            names = sorted(rule.arguments)
            replace = set(names) if base is None or not values else {data.draw(st.sampled_from(names), label="part")}
            for name in names:
                if name in replace or name not in values:
                    values[name] = data.draw(self.arg_values(rule, name, role), label=name)
            query = base.partition("?")[2] if base else ""
            base = ARGUMENT.sub(lambda m: quote(values[m.group(1)], safe=""), rule.rule) + (f"?{query}" if query else "")
        return base

    def query(self, data, endpoint: str, url: str) -> str:
        """``url`` with up to three query parameters the page knows (or anyone might try) set to
        hostile values."""
        names = sorted(self.site.query_names.get(endpoint, set()) | set(COMMON_QUERY))
        extra = data.draw(st.lists(st.tuples(st.one_of(st.sampled_from(names), st.sampled_from(HOSTILE_NAMES)),
                                             hostile.hostile()), max_size=3), label="query")
        if not extra:
            return url
        return url + ("&" if "?" in url else "?") + urlencode(extra, encoding="utf-8", errors="surrogatepass")

    # -- what -------------------------------------------------------------------------------------
    def fields(self, data, form: Form | None, endpoint: str, role) -> list[tuple[str, object]]:
        """The form's fields as a browser sends them, with a few changed to hostile values,
        dropped, repeated, or added."""
        pairs: list[tuple[str, object]] = list(form.pairs()) if form else []
        kinds = {f.name: f for f in form.fields} if form else {}
        words = self.vocabulary(endpoint)
        for index, (name, _value) in enumerate(pairs):
            if name in kinds and kinds[name].kind == "file" and data.draw(st.integers(0, 3), label="a file") > 0:
                pairs[index] = (name, data.draw(self.value(kinds[name], name, role, endpoint, form), label=name))
        for _ in range(data.draw(st.integers(0, 4), label="changes")):
            change = data.draw(st.sampled_from(["set", "set", "set", "drop", "repeat", "add"]), label="change")
            if change in ("set", "drop", "repeat") and pairs:
                index = data.draw(st.integers(0, len(pairs) - 1), label="field")
                name = pairs[index][0]
                if change == "drop":
                    del pairs[index]
                    continue
                value = data.draw(self.value(kinds.get(name), name, role, endpoint, form), label=name)
                if change == "set":
                    pairs[index] = (name, value)
                else:
                    pairs.append((name, value))
            else:
                name = data.draw(st.one_of(st.sampled_from(words), st.sampled_from(HOSTILE_NAMES)), label="new field")
                pairs.append((name, data.draw(self.value(None, name, role, endpoint), label=name)))
        return pairs

    def value(self, field, name: str, role, endpoint: str, form: Form | None = None) -> st.SearchStrategy:
        kind = field.kind if field else "text"
        if kind == "file":
            return hostile.files(list(form.words) if form else [], self.vocabulary(endpoint), self.plausible)
        options = [hostile.hostile(kind)]
        others = self.other_ids(name, role) if name.endswith(("_id", "_ids")) or (field and field.options) else []
        if others:
            options.append(st.sampled_from(others))
        if field and field.options:
            options.append(st.sampled_from(field.options))
        return st.one_of(options)

    def plausible(self, column: str) -> st.SearchStrategy[str]:
        """A cell a person could mean for ``column``: a value the database holds there, or one of
        the column's apparent type."""
        known = self.world.values(column)
        if column.endswith(("date", "_on", "_at")):
            typed = st.sampled_from(["2026-03-01", "01-03-2026", "2025-12-31"])
        elif "email" in column:
            typed = st.integers(1, 10**6).map("fuzz.{}@example.org".format)
        elif column.endswith(("hours", "score", "points", "number")):
            typed = st.sampled_from(["32", "28,5", "1"])
        else:
            typed = st.sampled_from(["Fuzz", "Fuzz Test"])
        return st.one_of(st.sampled_from(known), typed) if known else typed

    def other_ids(self, name: str, role) -> list[str]:
        """Ids of rows of the table ``name`` names that belong to a foundation ``role`` does not
        act in."""
        ids = self.world.ids(word_of(name))
        return sorted({str(i) for owner, group in ids.items() if not _acts_in(role, owner) for i in group}, key=int)

    def own_ids(self, name: str, role) -> list[str]:
        ids = self.world.ids(word_of(name))
        return sorted({str(i) for owner, group in ids.items() if _acts_in(role, owner) for i in group}, key=int)

    def vocabulary(self, endpoint: str) -> list[str]:
        """Words of the code of the endpoint's package (its plugin, or its part of core)."""
        view = inspect.unwrap(self.world.app.view_functions[endpoint])
        directory = Path(inspect.getfile(view)).parent
        if directory.name == "views":
            directory = directory.parent
        return list(hostile.vocabulary(str(directory)))

    def body(self, data, form: Form | None, pairs: list[tuple[str, object]]) -> dict:
        """Keyword arguments of ``client.open``: the fields encoded as the form says, or as JSON,
        or a broken body."""
        encodings = ["form"] * 8 + ["json", "raw"] if form else ["form", "json", "json", "raw"]
        encoding = data.draw(st.sampled_from(encodings), label="encoding")
        if encoding == "raw":
            content_type, raw = data.draw(st.sampled_from(hostile.RAW_BODIES + [("application/json", j.encode(
                "utf-8", "surrogatepass")) for j in hostile.RAW_JSON]), label="raw body")
            return {"data": raw, "content_type": content_type}
        if encoding == "json":
            document = {name: value for name, value in pairs if not isinstance(value, tuple)}
            if data.draw(st.booleans(), label="hostile json"):
                document = data.draw(hostile.json_values, label="json")
            return {"data": hostile.dumps(document), "content_type": "application/json"}
        return self.encode(form, pairs)

    def body_as_rendered(self, form: Form) -> dict:
        return self.encode(form, form.pairs())

    @staticmethod
    def encode(form: Form | None, pairs: list[tuple[str, object]]) -> dict:
        """The fields as a browser posts them: URL-encoded, or multipart with files."""
        multipart = bool(form and "multipart" in form.enctype) or any(isinstance(v, tuple) for _n, v in pairs)
        fields = MultiDict()
        for name, value in pairs:
            if isinstance(value, tuple):
                content, filename = value
                value = (io.BytesIO(content), filename)
            elif multipart and form and any(f.name == name and f.kind == "file" for f in form.fields):
                value = (io.BytesIO(b""), "")
            fields.add(name, value)
        kwargs = {"data": fields}
        if multipart:
            kwargs["content_type"] = "multipart/form-data"
        return kwargs

    def seed_sweep(self, seed: Seed):
        """The seed's request with each part of its JSON in turn set to each extreme."""
        n = 0
        for path in _paths(seed.body, ()):
            for extreme in hostile.JSON_EXTREMES:
                n += 1
                document = _edit(seed.body, path, "replace", extreme)
                document = seed.renew(document, n) if seed.renew else document
                yield seed.method, seed.url, {"data": hostile.dumps(document), "content_type": "application/json",
                                              "headers": seed.headers}

    def from_seed(self, data, seed: Seed) -> tuple[str, str, dict]:
        """A seed's request with parts of its JSON replaced, dropped or nested deep."""
        document = data.draw(_mutated(seed.body), label="json")
        if seed.renew and data.draw(st.booleans(), label="new"):
            document = seed.renew(document, data.draw(st.integers(10**6, 2**32), label="n"))
        text = hostile.dumps(document)
        if data.draw(st.integers(0, 5), label="nest deep") == 0:
            text = "[" * hostile.DEEP + text + "]" * hostile.DEEP
        headers = dict(seed.headers)
        if data.draw(st.integers(0, 5), label="change a header") == 0:
            name = data.draw(st.sampled_from(sorted(headers) or ["Authorization"]), label="header")
            headers[name] = data.draw(st.sampled_from(["", "Bearer ", "Bearer \x7f", "Basic !!!", "Basic " + "A" * 5000,
                                                       "1.0.999", "0.9"]), label=name)
        return seed.method, seed.url, {"data": text, "content_type": "application/json", "headers": headers}

    # -- the same requests every run: each field on its own -------------------------------------
    def field_sweep(self, form: Form, role):
        """Bodies for ``client.open``: the form with nothing in it, posted as JSON (an object, then
        not one), then with each field in turn left out, then with each set to the worst plain values
        of its kind and, where it holds an id, to another foundation's (of a long form, an evenly
        spread ``SWEPT`` of its fields)."""
        pairs = form.pairs()
        kinds = {f.name: f.kind for f in form.fields}
        options = {f.name: f.options for f in form.fields}
        yield self.encode(form, [])
        yield {"data": hostile.dumps(dict(pairs)), "content_type": "application/json"}
        yield {"data": "[1]", "content_type": "application/json"}
        swept = sorted({round(i * len(pairs) / SWEPT) for i in range(SWEPT)} & set(range(len(pairs))))
        for index in swept:
            yield self.encode(form, pairs[:index] + pairs[index + 1:])
        for index in swept:
            name = pairs[index][0]
            values = list(WORST.get(kinds.get(name), WORST["text"])) if kinds.get(name) != "file" else []
            if name.endswith(("_id", "_ids")) or any(o.isdigit() for o in options.get(name, ())):
                values += self.other_ids(name, role)[:1]
            for value in values:
                yield self.encode(form, pairs[:index] + [(name, value)] + pairs[index + 1:])

    def query_sweep(self, endpoint: str, url: str):
        """``url`` with every query parameter its pages use (and ``page``) set to one extreme at a
        time, then with its path ids out of range."""
        names = sorted(self.site.query_names.get(endpoint, set()) | {"page"})
        path = url.partition("?")[0]
        for value in (str(2**70), "0001-01-01", "9999-12-31", "-1", "a\x00b"):
            yield path + "?" + urlencode([(name, value) for name in names])
        yield from self.path_sweep(endpoint, path)

    def some_address(self, endpoint: str) -> str:
        """A path of ``endpoint`` with the first id a page linked to, or the world holds, per part."""
        rule = self.rules[endpoint]
        values = {}
        for name in rule.arguments:
            seen = sorted(self.site.arg_values.get(name, ()))
            ids = sorted(i for group in self.world.ids(word_of(name)).values() for i in group)
            kind, words = converters(rule)[name]
            if kind == "any":
                seen = seen or words
            values[name] = seen[0] if seen else str(ids[0]) if ids else "1"
        return ARGUMENT.sub(lambda m: quote(values[m.group(1)], safe=""), rule.rule)

    def path_sweep(self, endpoint: str, url: str):
        """``url`` with each id in its path just beyond 32 bits, then beyond 64 bits."""
        rule = self.rules[endpoint]
        path, _sep, query = url.partition("?")
        found = self.site.endpoint(path, sorted(rule.methods - {"HEAD", "OPTIONS"})[0])
        for name in sorted(rule.arguments):
            if found is None or converters(rule)[name][0] != "int":
                continue
            for value in (2**31, 2**63):
                values = {k: str(v) for k, v in found[1].items()} | {name: str(value)}
                built = ARGUMENT.sub(lambda m, values=values: quote(values[m.group(1)], safe=""), rule.rule)
                yield built + (f"?{query}" if query else "")

    def then(self, data):
        """Whether, and how, to submit a form of the page the request answers with (an upload's
        confirmation, a new item's edit form). Drawn before the request: what that page holds
        depends on the database, and Hypothesis needs the same draws for the same choices."""
        changes = st.lists(st.tuples(st.integers(0, 2**16), st.sampled_from(["set", "drop", "repeat"]),
                                     hostile.hostile()), max_size=3)
        return data.draw(st.one_of(st.none(), st.tuples(st.integers(0, 2**16), changes)), label="then")

    def follow_up(self, plan, response, url: str, role) -> tuple[str, dict] | None:
        if plan is None or response is None or response.mimetype != "text/html" or response.status_code != 200:
            return None
        _links, forms = read_page(response.get_data(as_text=True), url, role.name)
        forms = [f for f in forms if f.method == "POST"]
        if not forms:
            return None
        choice, changes = plan
        form = forms[choice % len(forms)]
        pairs = list(form.pairs())
        for index, change, value in changes:
            if not pairs:
                break
            name = pairs[index % len(pairs)][0]
            if change == "drop":
                del pairs[index % len(pairs)]
            elif change == "set":
                pairs[index % len(pairs)] = (name, value)
            else:
                pairs.append((name, value))
        return form.action, self.encode(form, pairs)


@st.composite
def _mutated(draw, document):
    """``document`` with one to three of its values replaced by hostile ones or removed."""
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(_paths(document, ()))))
        action = draw(st.sampled_from(["replace", "replace", "replace", "remove"]))
        document = _edit(document, path, action, draw(hostile.json_values) if action == "replace" else None)
    return document


def _paths(document, prefix):
    yield prefix
    if isinstance(document, dict):
        for key, value in document.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from _paths(value, (*prefix, index))


def _edit(document, path, action, value):
    if not path:
        return value if action == "replace" else {}
    head, rest = path[0], path[1:]
    if isinstance(document, dict):
        copy = dict(document)
        if not rest and action == "remove":
            copy.pop(head, None)
        else:
            copy[head] = _edit(copy[head], rest, action, value)
        return copy
    copy = list(document)
    if not rest and action == "remove":
        del copy[head]
    else:
        copy[head] = _edit(copy[head], rest, action, value)
    return copy


def _acts_in(role, owner) -> bool:
    """Whether ``role`` acts in the foundation ``owner`` (a group administrator in its own)."""
    if owner is None:
        return True
    if role.visible is None:
        return owner == role.foundation_id
    return owner in role.visible

"""Hostile values, as Hypothesis strategies: what a careless user types, what an attacker sends."""
from __future__ import annotations

import ast
import json
import re
from functools import cache
from pathlib import Path

from hypothesis import strategies as st


def raw(token: str) -> str:
    """A JSON token Python cannot write (``1e1000``), marked to be put in as it is by ``dumps``."""
    return f"\ue000{token}\ue000"


NUL = ["\x00", "a\x00b", "Jan\x00", "\x00" * 3]
ODD_TEXT = [
    "", " ", "\t", "\r\n", "\u202eevil", "\u200b", "e\u0301\u0301\u0301", "İ", "ß", "ǅ", "😀" * 3, "\ufeffbom",
    "\U0010ffff", "\ufffd", "١٢٣", "１２３", "²", "Ⅻ", "½", "<script>alert(1)</script>", "{{7*7}}", "%s%n", "' OR 1=1--",
    "=HYPERLINK(\"http://evil.example\")", "+1", "-1+1", "@SUM(1)", "../../../etc/passwd", "javascript:alert(1)",
    "//evil.example", "/\t/evil.example", "/%0A/evil.example", "\\\\evil.example", "null", "None", "true", "[]", "{}",
]
LONG_TEXT = ["x" * 100_000, "é" * 20_000, "𝔘" * 10_000, "a " * 30_000, "\u0301" * 5_000]
NUMBERS = [
    str(2**70), str(-(2**70)), str(2**63), str(2**63 - 1), str(-(2**63) - 1), str(2**64), str(2**31), "4294967296",
    "1e308", "-1e308", "1e1000", "-1e1000", "1e-400", "5e-324", "NaN", "nan", "Infinity", "-Infinity", "inf",
    "0", "-0", "-1", "0.0000001", "1,5", "1.5", "-32,5", "1_000", "0x1F", "1e3", "9" * 400, "1" + "0" * 30, ".", ",", "-",
]
DATES = [
    "0001-01-01", "9999-12-31", "0000-00-00", "10000-01-01", "+12345-01-01", "-2026-01-01", "2026-02-30",
    "2026-13-01", "1899-12-31", "1900-01-01", "2199-12-31", "2200-01-01", "31-12-9999", "01-01-0001", "29-02-2025",
    "9999-12-31T23:59", "0001-01-01T00:00", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-12:00",
    "24:00", "23:60", "99:99", "-01:00", "2026-W99", "2026-00",
]
HUGE_IDS = ["0", "00", "1" * 19, str(2**31), str(2**63 - 1), str(2**63), str(2**64), str(2**70), "9" * 40]
JSON_SCALARS = [None, True, False, 0, -1, 2**70, -(2**70), 2**63, 1e308, -1e308, 5e-324, 0.1,
                float("nan"), float("inf"), float("-inf"), "", "0", "\x00", "9999-12-31T23:59:59Z", "0001-01-01",
                raw("1e1000")]
DEEP = 100_000
RAW_JSON = ["[" * DEEP + "]" * DEEP, '{"a":' * DEEP + "1" + "}" * DEEP, "NaN", "1e1000", "-Infinity", "",
            '{"a": "\\u0000"}', '{"a": 1e1000}', '{"a": NaN}', '"\\ud800"', "[1,]", "{", "\ufeff{}", "null"]
RAW_BODIES = [
    ("application/x-www-form-urlencoded", b"a=%ff%fe&b=\xff\xfe&%00=%00&=x&&&"),
    ("application/x-www-form-urlencoded", b"x=" + b"%" * 1000),
    ("multipart/form-data; boundary=xyz", b"--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb"),
    ("multipart/form-data", b"no boundary"),
    ("text/csv", b"email\n\x00"),
    ("application/json", b"\xff\xfe\x00{"),
]
FILENAMES = ["people.csv", "records.csv", "a\x00.csv", "../../etc/passwd", "é.pdf", "x" * 300 + ".csv", "", "no-ext",
             "diploma.pdf", "photo.jpg"]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16"]

texts = st.one_of(
    st.sampled_from(NUL + ODD_TEXT), st.sampled_from(LONG_TEXT),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=30),
)


def hostile(kind: str = "text") -> st.SearchStrategy[str]:
    """A value for a field of ``kind`` (an input type, "select", "textarea"): mostly the kind's own
    extremes, else anything."""
    own = {"number": NUMBERS, "range": NUMBERS, "date": DATES, "datetime-local": DATES, "time": DATES,
           "month": DATES, "week": DATES}.get(kind)
    general = st.one_of(texts, st.sampled_from(NUMBERS), st.sampled_from(DATES), st.sampled_from(HUGE_IDS))
    return st.one_of(st.sampled_from(own), general) if own else general


json_values = st.recursive(
    st.one_of(st.sampled_from(JSON_SCALARS), texts, st.integers(), st.floats()),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.one_of(texts, st.sampled_from(["id", "type", "value"])), children,
                                               max_size=4)),
    max_leaves=12,
)


def dumps(value) -> str:
    """JSON as a careless client writes it: NaN, Infinity and tokens like 1e1000 included."""
    return _RAW.sub(r"\1", json.dumps(value, allow_nan=True, ensure_ascii=False))


_RAW = re.compile('"\ue000(.*?)\ue000"')
# What each part of a JSON document is set to, in turn, in the seed sweep.
JSON_EXTREMES = [raw("1e1000"), raw("-1e1000"), raw("NaN"), 2**70, -(2**70), 1e308, "9999-12-31T23:59:59Z",
                 "0001-01-01T00:00:00+14:00", "a\x00b", "x" * 10_000, {}, [], None]


@st.composite
def csv_files(draw, columns: list[str], vocabulary: list[str], plausible) -> bytes:
    """A CSV file: the columns the page names (or words the code knows), rows of plausible cells
    (``plausible(column)`` is a strategy) with a few hostile ones, in an encoding Excel might use."""
    if columns and draw(st.integers(0, 3)) > 0:
        header = list(columns)
    else:
        header = draw(st.lists(st.sampled_from(vocabulary or ["name"]), min_size=1, max_size=12, unique=True))
    rows = []
    for _ in range(draw(st.integers(0, 3))):
        row = [draw(plausible(column)) for column in header]
        for _ in range(draw(st.sampled_from([0, 1, 1, 1, 2]))):
            row[draw(st.integers(0, len(row) - 1))] = draw(hostile())
        rows.append(row)
    separator = draw(st.sampled_from([",", ";"]))
    text = "\n".join(separator.join(cell.replace("\n", " ") for cell in row) for row in [header, *rows])
    return text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")


def files(columns: list[str], vocabulary: list[str], plausible) -> st.SearchStrategy[tuple[bytes, str]]:
    contents = st.one_of(csv_files(columns, vocabulary, plausible), csv_files(columns, vocabulary, plausible),
                         st.binary(max_size=200), st.just(b""), st.just(b"%PDF-1.4\n" + b"\x00" * 100),
                         st.just(b"a," * 5_000))
    return st.tuples(contents, st.sampled_from(FILENAMES))


@cache
def vocabulary(directory: str) -> tuple[str, ...]:
    """Words the code under ``directory`` uses as string literals: field names, JSON keys, CSV
    columns, query parameters. Extra fields and CSV headers come from these."""
    words = set()
    for path in sorted(Path(directory).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and _WORD.fullmatch(node.value):
                words.add(node.value)
    return tuple(sorted(words))


_WORD = re.compile(r"[a-z][a-z0-9_]{1,30}")

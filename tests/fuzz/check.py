"""One request, and what would make it a finding: a server error (an exception, or any 5xx) or a
changed row of a foundation the signed-in account cannot see."""
from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from core import PROJECT_ROOT

SITE = "http://localhost"  # the test client's
SHOWN = 300  # characters of a value shown in a report
REDIRECTS = 3  # followed after a request, as a browser would
OWN_CODE = ("core/", "plugins/", "examples/")


@dataclass(frozen=True)
class Finding:
    kind: str  # "server error" or "other foundation changed"
    method: str
    url: str
    role: str
    sent: str
    detail: str
    where: str  # the innermost frame in Journey's own code, file:line (function)
    trace: str

    @property
    def key(self) -> tuple:
        """Findings with the same key are one problem: same kind, same place, same exception."""
        return self.kind, self.where, self.detail.split(":")[0]

    def __str__(self) -> str:
        text = f"{self.kind}: {self.method} {self.url} as {self.role}\n  sent: {self.sent}\n  {self.detail}"
        if self.where:
            text += f"\n  at {self.where}"
        if self.trace:
            text += "\n" + self.trace
        return text


def local(url: str, base: str) -> str | None:
    """``url`` as a path with query on this site, or None when it leads elsewhere."""
    absolute, _fragment = urldefrag(urljoin(SITE + base, url))
    parts = urlsplit(absolute)
    if f"{parts.scheme}://{parts.netloc}" != SITE:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def shorten(value, limit: int = SHOWN) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


def _own_frames(error: BaseException) -> list[tuple[str, int, str, str]]:
    """(file, line, function, code) of the traceback's frames in Journey's own code."""
    own = []
    for frame in traceback.extract_tb(error.__traceback__):
        try:
            relative = Path(frame.filename).resolve().relative_to(PROJECT_ROOT).as_posix()
        except ValueError:
            continue
        if relative.startswith(OWN_CODE) and "/testing/" not in relative:
            own.append((relative, frame.lineno, frame.name, (frame.line or "").strip()))
    return own


def _library_path(filename: str) -> str:
    parts = Path(filename).parts
    return "/".join(parts[parts.index("site-packages") + 1:]) if "site-packages" in parts else filename


def send(world, client, role, method: str, url: str, **kwargs):
    """``client.open`` as ``role``; returns (response or None, Finding or None)."""
    sent = shorten(kwargs.get("data") if "data" in kwargs else kwargs.get("json", ""))
    try:
        response = client.open(url, method=method, **kwargs)
        response.get_data()  # a streamed answer (CSV, XLSX) fails only while it is read
        response.close()
    except Exception as error:  # the test app propagates exceptions: this is the 500 a person would see
        world.other_foundation_changes(role)  # a failed request must not count against the next one
        own = _own_frames(error)
        where = f"{own[-1][0]}:{own[-1][1]} ({own[-1][2]})" if own else ""
        trace = "\n".join(f"    {file}:{line} {name}: {code}" for file, line, name, code in own[-6:])
        last = traceback.extract_tb(error.__traceback__)[-1]
        if not own or last.lineno != own[-1][1] or not last.filename.endswith(own[-1][0]):
            trace += f"\n    raised in {_library_path(last.filename)}:{last.lineno} {last.name}: {(last.line or '').strip()}"
        detail = f"{type(error).__name__}: {str(error).splitlines()[0][:SHOWN] if str(error) else ''}"
        return None, Finding("server error", method, url, role.name, sent, detail, where, trace)
    changed = world.other_foundation_changes(role)
    if response.status_code >= 500:
        return response, Finding("server error", method, url, role.name, sent, f"HTTP {response.status_code}", "", "")
    if changed:
        return response, Finding("other foundation changed", method, url, role.name, sent,
                                 f"HTTP {response.status_code}; rows: {', '.join(changed[:10])}", url.split("?")[0], "")
    return response, None


class Findings:
    """Problems one test met, one entry per distinct problem (kind, place, exception)."""

    def __init__(self) -> None:
        self.first: dict[tuple, Finding] = {}
        self.count: dict[tuple, int] = {}

    def add(self, finding: Finding | None) -> None:
        if finding is not None:
            self.first.setdefault(finding.key, finding)
            self.count[finding.key] = self.count.get(finding.key, 0) + 1

    def __bool__(self) -> bool:
        return bool(self.first)

    def __str__(self) -> str:
        return "\n\n".join(f"[{self.count[key]}×] {finding}" for key, finding in self.first.items())


def submit(world, findings: Findings, client, role, method: str, url: str, **kwargs):
    """Send, then follow redirects on this site as a browser would; returns the last answer and its
    address."""
    response, finding = send(world, client, role, method, url, **kwargs)
    findings.add(finding)
    for _ in range(REDIRECTS):
        if response is None or response.status_code not in (301, 302, 303, 307, 308):
            break
        location = local(response.headers.get("Location", ""), url)
        if location is None:
            break
        url = location
        response, finding = send(world, client, role, "GET", url)
        findings.add(finding)
    return response, url

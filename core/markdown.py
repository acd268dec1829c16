"""Markdown written by HR (task descriptions, course texts), rendered safely: markdown-it-py with
raw HTML off, then nh3 with one allow-list, so a pasted script or a ``javascript:`` link cannot run.
One policy for the whole application: a sanitiser is a security boundary, kept in one place."""
from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")
ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
_HEADING = re.compile(r"<(/?)h([1-6])>")


def render_markdown(text: str | None) -> Markup:
    """Safe HTML for ``text``. Headings start at h3: a page's title and sections hold h1 and h2."""
    html = _MARKDOWN.render(text or "")
    html = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 2, 6)}>", html)
    return Markup(nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES))

"""Documentation text: botocore's HTML to the model's plain text, and back.

The model keeps documentation as plain text, paragraphs separated by a blank line, list items
as paragraphs starting with ``• `` — the way AWS's rendered API documentation (and so the seed
documents) shows it. botocore's HTML is rendered the same way: an inline element such as
``<code>s3</code>`` is followed by a space, so ``<code>s3</code>.`` becomes ``s3 .`` exactly as
in AWS's rendered pages, and a transcription from those pages compares equal to an import.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from html.parser import HTMLParser

BULLET = "• "
_BLOCK = frozenset(
    {
        "p",
        "li",
        "ul",
        "ol",
        "br",
        "div",
        "dl",
        "dt",
        "dd",
        "note",
        "important",
        "fullname",
        "h1",
        "h2",
        "h3",
    }
)
_WS = re.compile(r"\s+")


def fold(text: str) -> str:
    """Collapse every run of whitespace to one space and strip the ends."""
    return _WS.sub(" ", text).strip()


def paragraphs(text: str) -> list[str]:
    return [p for p in (fold(chunk) for chunk in text.split("\n\n")) if p]


def join_paragraphs(items: Iterable[str]) -> str:
    return "\n\n".join(p for p in (fold(i) for i in items) if p)


class _TextRenderer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.bullet = False

    def _flush(self) -> None:
        text = fold("".join(self.current))
        if text:
            self.blocks.append((BULLET if self.bullet else "") + text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self._flush()
            if tag == "li":
                self.bullet = True

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK:
            self._flush()
            if tag == "li":
                self.bullet = False
        else:
            self.current.append(" ")

    def handle_data(self, data: str) -> None:
        self.current.append(data)


def html_to_text(markup: str) -> str:
    """Render botocore documentation HTML as the model's plain text."""
    if "<" not in markup:
        return join_paragraphs([html.unescape(markup)])
    renderer = _TextRenderer()
    renderer.feed(markup)
    renderer.close()
    renderer._flush()
    return "\n\n".join(renderer.blocks)


def text_to_html(text: str) -> str:
    """Render the model's plain text as botocore-style documentation HTML."""
    out: list[str] = []
    in_list = False
    for para in paragraphs(text):
        if para.startswith(BULLET):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li> <p>{html.escape(para[len(BULLET):], quote=False)}</p> </li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        out.append(f"<p>{html.escape(para, quote=False)}</p>")
    if in_list:
        out.append("</ul>")
    return " ".join(out)

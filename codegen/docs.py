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
import textwrap
from collections.abc import Iterable

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


def fold(text: str) -> str:
    """Collapse every run of whitespace to one space and strip the ends."""
    return " ".join(text.split())


def paragraphs(text: str) -> list[str]:
    return [p for p in (fold(chunk) for chunk in text.split("\n\n")) if p]


def join_paragraphs(items: Iterable[str]) -> str:
    return "\n\n".join(p for p in (fold(i) for i in items) if p)


# A tag (group 1: "/" when closing, group 2: the name) or a comment. One regular expression
# instead of html.parser: botocore's markup is simple, and this is ~10x faster, which matters
# when a whole release is imported.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*>|<!--.*?-->", re.DOTALL)


def html_to_text(markup: str) -> str:
    """Render botocore documentation HTML as the model's plain text."""
    if "<" not in markup:  # plain text (or nothing): one paragraph
        return fold(html.unescape(markup) if "&" in markup else markup)
    blocks: list[str] = []
    current: list[str] = []
    bullet = False

    def flush() -> None:
        raw = "".join(current)
        text = fold(html.unescape(raw) if "&" in raw else raw)
        if text:
            blocks.append((BULLET if bullet else "") + text)
        current.clear()

    pos = 0
    for match in _TAG.finditer(markup):
        current.append(markup[pos : match.start()])
        pos = match.end()
        name = match.group(2)
        if name is None:  # a comment
            continue
        tag = name.lower()
        closing = bool(match.group(1))
        if tag in _BLOCK:
            flush()
            if tag == "li":
                bullet = not closing
        elif closing or match.group(0).endswith("/>"):
            current.append(" ")
    current.append(markup[pos:])
    flush()
    return "\n\n".join(blocks)


def text_to_html(text: str) -> str:
    """Render the model's plain text as botocore-style documentation HTML."""
    out: list[str] = []
    in_list = False
    for para in paragraphs(text):
        if para.startswith(BULLET):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li> <p>{html.escape(para[len(BULLET) :], quote=False)}</p> </li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        out.append(f"<p>{html.escape(para, quote=False)}</p>")
    if in_list:
        out.append("</ul>")
    return " ".join(out)


class _LinearWrapper(textwrap.TextWrapper):
    """``textwrap.TextWrapper`` that breaks a long word in time linear in its length.

    The standard wrapper cuts a word longer than a line one line at a time, copying the rest
    of the word each time: quadratic in the word's length (a 5 MB word took 16 s). This one
    cuts the whole word at once, into the same pieces: what fits on the current line, then
    lines of the full width, then the rest, which wraps as any other word."""

    def _handle_long_word(
        self, reversed_chunks: list[str], cur_line: list[str], cur_len: int, width: int
    ) -> None:
        chunk = reversed_chunks[-1]
        step = max(width, 1)
        space_left = 1 if width < 1 else width - cur_len
        if not self.break_long_words or self.break_on_hyphens or len(chunk) <= space_left + step:
            super()._handle_long_word(reversed_chunks, cur_line, cur_len, width)
            return
        cur_line.append(chunk[:space_left])
        pieces = [chunk[i : i + step] for i in range(space_left, len(chunk), step)]
        pieces.reverse()
        reversed_chunks[-1:] = pieces


def wrap(
    text: str,
    width: int,
    *,
    break_long_words: bool = True,
    initial_indent: str = "",
    subsequent_indent: str = "",
) -> list[str]:
    """``textwrap.wrap(text, width, break_on_hyphens=False, ...)``, linear in the text's length
    whatever its words (long words are broken, as ``textwrap`` breaks them, unless
    ``break_long_words`` is false)."""
    return _LinearWrapper(
        width=width,
        break_on_hyphens=False,
        break_long_words=break_long_words,
        initial_indent=initial_indent,
        subsequent_indent=subsequent_indent,
    ).wrap(text)

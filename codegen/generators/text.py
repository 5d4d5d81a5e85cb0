"""The text of generated Python that generators build in code: literals, docstrings, comments
and indentation.

Generators build expression-level code as strings and lines (the templates only lay files
out); these are the pieces they share. Docstrings come from the model's plain text
(:mod:`codegen.docs`: paragraphs separated by a blank line, list items starting with ``• ``)
through one helper, :func:`docstring_text`, whose arguments say how a generator lays them out:
the width (each generator's own, from where its docstrings stand), whether ``• `` items become
a ``- `` list, and whether a word longer than a line is cut (the validators cut URLs; the
dataclasses keep them whole, on a line of their own). ``ruff format`` lays out the rest
(:mod:`codegen.generators.base`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from codegen.docs import BULLET, paragraphs, wrap

INDENT = "    "

# invisible characters (zero-width space, ...) are written as escapes: ruff rejects them
# unescaped in a docstring (PLE2515)
_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]"
)


def py(value: Any) -> str:
    """A Python literal for a JSON-like value (deterministic)."""
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, tuple):
        inner = ", ".join(py(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    raise TypeError(f"no literal for {value!r}")


def string_literal(text: str) -> str:
    """A double-quoted literal (JSON's escapes are Python's; control characters escaped)."""
    return json.dumps(text, ensure_ascii=False)


def regex_literal(pattern: str) -> str:
    """A raw string literal for ``pattern`` when possible (readable), else an escaped one."""
    plain = all(ch.isprintable() for ch in pattern)
    if plain and '"' not in pattern and not pattern.endswith("\\"):
        return f'r"{pattern}"'
    return string_literal(pattern)


def docstring_text(
    *texts: str, width: int, lists: bool = False, cut_long_words: bool = True
) -> str:
    """The body of a docstring (without quotes or indentation): the paragraphs of ``texts``,
    each folded and wrapped to ``width``, separated by a blank line, and escaped so that it
    can stand between triple quotes (backslashes, triple quotes, invisible characters).

    ``lists``: consecutive ``• item`` paragraphs become one ``- item`` list. ``cut_long_words``:
    a word longer than ``width`` is cut into lines of ``width`` (else it stands alone on a
    longer line). A quote at the very end is left as it is: what it needs depends on where the
    closing quotes go (see :func:`quoted`).
    """
    blocks: list[str] = []
    for text in texts:
        for paragraph in paragraphs(text):
            bullet = lists and paragraph.startswith(BULLET)
            block = "\n".join(
                wrap(
                    paragraph[len(BULLET) :] if bullet else paragraph,
                    width,
                    break_long_words=cut_long_words,
                    initial_indent="- " if bullet else "",
                    subsequent_indent="  " if bullet else "",
                )
            )
            if bullet and blocks and blocks[-1].startswith("- "):
                blocks[-1] += "\n" + block
            else:
                blocks.append(block)
    text = "\n\n".join(blocks).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def quoted(body: str) -> list[str]:
    """The lines of a docstring with ``body`` (from :func:`docstring_text`), at one indent
    level: on one line if the body is one line (a space before the closing quotes if it ends
    with a quote), else with the closing quotes on a line of their own."""
    if body.endswith('"'):
        body += " "
    lines = body.split("\n")
    if len(lines) == 1:
        return [f'{INDENT}"""{body}"""']
    return [f'{INDENT}"""{lines[0]}', *indent(lines[1:]), f'{INDENT}"""']


def comment(text: str, width: int = 88) -> list[str]:
    """``text`` as ``#`` comment lines of ``width`` characters after the ``# ``."""
    return [f"# {line}" for line in wrap(" ".join(text.split()), width)]


def first_paragraph(text: str) -> str:
    return text.split("\n\n")[0].strip()


def indent(lines: Iterable[str], levels: int = 1) -> list[str]:
    """``lines`` indented by ``levels`` levels (an empty line stays empty)."""
    pad = INDENT * levels
    return [pad + line if line else line for line in lines]

"""Output formats of a :class:`~codegen.diff.report.DiffReport`: text, markdown, json, html."""

from __future__ import annotations

from collections.abc import Callable

from codegen.diff.report import DiffReport

FORMATS = ("text", "markdown", "json", "html")
EXTENSIONS = {"text": "txt", "markdown": "md", "json": "json", "html": "html"}


def render(report: DiffReport, fmt: str = "text", *, details: bool = False) -> str:
    from codegen.diff.formats.html import render_html
    from codegen.diff.formats.json_format import render_json
    from codegen.diff.formats.markdown import render_markdown
    from codegen.diff.formats.text import render_text

    renderers: dict[str, Callable[..., str]] = {
        "text": render_text,
        "markdown": render_markdown,
        "json": render_json,
        "html": render_html,
    }
    try:
        renderer = renderers[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}") from None
    return renderer(report, details=details)

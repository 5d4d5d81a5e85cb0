"""The Jinja environment of the diff formats: templates under ``codegen/templates/diff``.

HTML templates autoescape; markdown templates escape table cells with the ``cell`` filter.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import jinja2

from codegen.diff.formats.common import pyrepr


def md_cell(value: Any) -> str:
    text = " ".join(str(value).split())
    return text.replace("\\", "\\\\").replace("|", "\\|")


def md_code(value: Any) -> str:
    text = " ".join(str(value).split())
    if not text:
        return ""
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{text.replace('|', '&#124;')}{pad}{fence}"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("codegen", "templates/diff"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "html.j2"), default_for_string=False
        ),
    )
    env.filters["pyrepr"] = pyrepr
    env.filters["cell"] = md_cell
    env.filters["code"] = md_code
    return env


def render_template(name: str, **values: Any) -> str:
    return environment().get_template(name).render(**values)


def render_pieces(name: str, **values: Any) -> Iterator[str]:
    """The template's output a piece at a time (Jinja's ``generate``): never joined in memory."""
    return environment().get_template(name).generate(**values)

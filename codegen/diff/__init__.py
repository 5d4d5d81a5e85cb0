"""Comparing API models: what changed between two versions, and how much it matters.

* :mod:`codegen.diff.sources` -- OLD/NEW as given (spec version, botocore release, file) to models;
* :mod:`codegen.diff.engine` -- two models to a list of :class:`Change` objects;
* :mod:`codegen.diff.rules` -- the classification table (rule id, description, severity by direction);
* :mod:`codegen.diff.report` -- grouping by service and operation, changes shared by many places,
  suppression, summaries; :class:`DiffRun` computes it service by service (streamed reports);
* :mod:`codegen.diff.formats` -- text (the changelog entry), markdown, json, html;
* :mod:`codegen.diff.suppress`, :mod:`codegen.diff.changelog` -- ``--ignore`` and ``--changelog`` files.
"""

from __future__ import annotations

from codegen.diff.engine import Change, compare_models
from codegen.diff.report import DiffReport, DiffRun, diff
from codegen.diff.rules import RULES, rules_markdown
from codegen.diff.sources import Source, parse_source

__all__ = [
    "RULES",
    "Change",
    "DiffReport",
    "DiffRun",
    "Source",
    "compare_models",
    "diff",
    "parse_source",
    "rules_markdown",
]

"""``python -m codegen.diff``: print the classification table (markdown, for docs/api-diffs.md)."""

from codegen.diff.rules import rules_markdown

print(rules_markdown(), end="")

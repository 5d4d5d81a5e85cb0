"""codegen.generators.text: the docstring helper both generators use, in each one's layout."""

from __future__ import annotations

import ast

from codegen.generators.text import docstring_text, py, quoted, regex_literal

URL = "https://docs.aws.amazon.com/" + "x" * 60


def test_paragraphs_are_folded_wrapped_and_separated() -> None:
    text = docstring_text("One  two\nthree.\n\n\nFour.", "Five " * 5, width=12)
    assert text == "One two\nthree.\n\nFour.\n\nFive Five\nFive Five\nFive"


def test_lists_and_long_words_are_the_callers_choice() -> None:
    doc = f"Items:\n\n• first item here\n\n• second\n\nsee {URL}"
    kept = docstring_text(doc, width=20, lists=True, cut_long_words=False)
    assert kept.split("\n\n") == ["Items:", "- first item here\n- second", f"see\n{URL}"]
    cut = docstring_text(doc, width=20)
    assert "• first item here" in cut and "- " not in cut
    assert all(len(line) <= 20 for line in cut.split("\n"))


def test_escaped_to_stand_between_triple_quotes() -> None:
    tricky = 'a \\ b """ c \u200b d "end"'
    body = docstring_text(tricky, width=99)
    assert "\u200b" not in body
    source = "\n".join(["def f() -> None:", *quoted(body)])
    docstring = ast.get_docstring(ast.parse(source).body[0], clean=False)  # type: ignore[arg-type]
    assert docstring == tricky + " "  # the space keeps the closing quote from the last one


def test_literals() -> None:
    assert py(("a",)) == '("a",)' and py((1, None, True)) == "(1, None, True)"
    assert regex_literal(r"^\d+$") == r'r"^\d+$"' and regex_literal('a"b') == '"a\\"b"'

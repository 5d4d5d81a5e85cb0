"""The automata module: exact search languages, their comparison, and its bounds.

``codegen.automata.dfa`` is held to ``re.search`` by the differential tests of
``tests/test_regex_safety.py``; here, what API diffs will build on (issue 20):
:func:`codegen.automata.relation` compares two patterns as languages, and each witness it gives
is checked with ``re`` itself (the independent reference), not with the automata.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen import automata
from codegen.automata import Relation

PAIRS = [
    # first, second, relation (the first's search language against the second's)
    ("^a+$", "^aa*$", Relation.EQUAL),
    ("^[a-c]$", "^(?:a|b|c)$", Relation.EQUAL),
    ("^a$", "^a+$", Relation.SUBSET),
    ("^[0-9]{3}$", "^[0-9]{1,5}$", Relation.SUBSET),
    ("^[a-z0-9-]{1,63}$", "^[a-z]{1,63}$", Relation.SUPERSET),
    ("abc", "^abc$", Relation.SUPERSET),  # unanchored: any string containing abc
    ("^a+$", "^b+$", Relation.NEITHER),
    ("^(?!x)[a-z]+$", "^[a-y]+$", Relation.NEITHER),
    ("^(?:[0-9]+\\.?[0-9]*)$", "^(?:[0-9]+(?:\\.[0-9]*)?)$", Relation.EQUAL),
]


@pytest.mark.parametrize(("first", "second", "expected"), PAIRS)
def test_relation_of_two_patterns_with_witnesses_that_re_confirms(
    first: str, second: str, expected: Relation
) -> None:
    found = automata.relation(first, second)
    assert found.relation is expected
    a, b = re.compile(first), re.compile(second)
    if found.only_first is not None:
        assert a.search(found.only_first) and not b.search(found.only_first)
    if found.only_second is not None:
        assert b.search(found.only_second) and not a.search(found.only_second)
    assert (found.only_first is None) == (expected in (Relation.EQUAL, Relation.SUBSET))
    assert (found.only_second is None) == (expected in (Relation.EQUAL, Relation.SUPERSET))


def test_relation_is_symmetric() -> None:
    mirrored = {
        Relation.SUBSET: Relation.SUPERSET,
        Relation.SUPERSET: Relation.SUBSET,
    }
    for first, second, expected in PAIRS:
        found = automata.relation(second, first)
        assert found.relation is mirrored.get(expected, expected), (first, second)


def test_bounds_and_unsupported_constructs_are_errors_not_hangs() -> None:
    with pytest.raises(automata.TooLarge):
        automata.dfa("[ab]*a[ab]{12}", max_states=200)  # needs 2**13 states
    with pytest.raises(automata.TooLarge):
        automata.relation("^[ab]*a[ab]{12}$", "^[ab]+$", max_states=200)
    with pytest.raises(automata.Unsupported):
        automata.dfa(r"(a)\1")


def test_emptiness_and_complement() -> None:
    never = automata.dfa("(?!)")
    assert never.is_empty()
    assert not never.complement().is_empty()
    assert automata.shortest(automata.dfa("^abc$")) == "abc"
    assert automata.dfa("^a$").complement().search("b")


@settings(max_examples=100, deadline=None)
@given(
    first=st.sampled_from(["^a*$", "^(?:ab)+$", "a", "^[a-c]{2}$", "b$", "^(?=a)..$"]),
    second=st.sampled_from(["^a+$", "^(?:a|b)*$", "ab", "^.{2}$", "^b", "c"]),
    texts=st.lists(st.text("abc\n", max_size=6), max_size=20),
)
def test_relation_agrees_with_re_on_strings(first: str, second: str, texts: list[str]) -> None:
    """No string contradicts the relation: a subset's every match is the superset's."""
    found = automata.relation(first, second)
    a, b = re.compile(first), re.compile(second)
    for text in texts:
        in_a, in_b = a.search(text) is not None, b.search(text) is not None
        if found.relation in (Relation.EQUAL, Relation.SUBSET):
            assert not in_a or in_b, text
        if found.relation in (Relation.EQUAL, Relation.SUPERSET):
            assert not in_b or in_a, text

"""DynamoDB's expressions on typed attribute values: conditions, key conditions, updates and
projections, as DynamoDB reads them.

Values are botocore's typed form (``{"S": "x"}``, ``{"N": "1.5"}``, ``{"B": b"..."}``,
``{"SS": [...]}``, ``{"M": {...}}``, ``{"L": [...]}``, ``{"BOOL": true}``, ``{"NULL": true}``).
A tokenizer (one fixed regular expression) and a recursive-descent parser bounded in length
(:data:`MAX_EXPRESSION`, DynamoDB's 4 KB) and nesting (:data:`MAX_DEPTH`) turn an expression
into a small tree evaluated against an item. ``#name`` and ``:value`` placeholders are looked
up in the request's ``ExpressionAttributeNames``/``Values``; a missing one, an unused one, a
syntax error or an operand of the wrong type is a ``ValidationException`` with DynamoDB's
wording.

Conditions: ``=``, ``<>``, ``<``, ``<=``, ``>``, ``>=``, ``BETWEEN``, ``IN``, ``AND``, ``OR``,
``NOT``, parentheses, ``attribute_exists``, ``attribute_not_exists``, ``attribute_type``,
``begins_with``, ``contains``, ``size``. Updates: ``SET`` (with ``+``/``-``,
``if_not_exists``, ``list_append``), ``REMOVE``, ``ADD`` (numbers and sets), ``DELETE`` (from
sets). Paths: names, ``#names``, ``.member`` and ``[index]``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Context, Decimal, InvalidOperation
from typing import Any, Final

from codegen.server.errors import ApiError

MAX_EXPRESSION: Final = 4096
MAX_DEPTH: Final = 32
_TOKEN: Final = re.compile(
    r"\s*(?:(?P<name>#[A-Za-z0-9_]+)|(?P<value>:[A-Za-z0-9_]+)|(?P<word>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<index>\[\s*[0-9]+\s*\])|(?P<op><>|<=|>=|=|<|>|[-+(),.]))"
)
_KEYWORDS: Final = frozenset(
    {"AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE"}
)
_FUNCTIONS: Final = frozenset(
    {
        "attribute_exists",
        "attribute_not_exists",
        "attribute_type",
        "begins_with",
        "contains",
        "size",
        "if_not_exists",
        "list_append",
    }
)
Item = dict[str, Any]
Path = tuple[str | int, ...]


def invalid(message: str) -> ApiError:
    return ApiError("ValidationException", message, 400)


@dataclass
class Names:
    """The request's placeholders, and which of them an expression used."""

    names: Mapping[str, str]
    values: Mapping[str, Any]
    used_names: set[str] = field(default_factory=set)
    used_values: set[str] = field(default_factory=set)

    def name(self, token: str) -> str:
        if token not in self.names:
            raise invalid(
                "An expression attribute name used in the document path is not defined; "
                f"attribute name: {token[:100]}"
            )
        self.used_names.add(token)
        return self.names[token]

    def value(self, token: str) -> Any:
        if token not in self.values:
            raise invalid(
                "An expression attribute value used in expression is not defined; "
                f"attribute value: {token[:100]}"
            )
        self.used_values.add(token)
        return self.values[token]

    def check_all_used(self) -> None:
        unused_names = sorted(set(self.names) - self.used_names)
        if unused_names:
            raise invalid(
                "Value provided in ExpressionAttributeNames unused in expressions: keys: {"
                + ", ".join(n[:100] for n in unused_names[:10])
                + "}"
            )
        unused_values = sorted(set(self.values) - self.used_values)
        if unused_values:
            raise invalid(
                "Value provided in ExpressionAttributeValues unused in expressions: keys: {"
                + ", ".join(v[:100] for v in unused_values[:10])
                + "}"
            )


class _Tokens:
    def __init__(self, text: str, what: str) -> None:
        if len(text) > MAX_EXPRESSION:
            raise invalid(f"Invalid {what}: Expression size has exceeded the maximum allowed size")
        self.what = what
        self.items: list[tuple[str, str]] = []
        at = 0
        text = text.rstrip()
        while at < len(text):
            match = _TOKEN.match(text, at)
            if match is None or match.end() == at:
                raise invalid(
                    f'Invalid {what}: Syntax error; token: "{text[at : at + 10]}", near: '
                    f'"{text[max(0, at - 10) : at + 10]}"'
                )
            kind = match.lastgroup or ""
            token = match.group(kind)
            if kind == "word" and token.upper() in _KEYWORDS:
                kind, token = "keyword", token.upper()
            self.items.append((kind, token))
            at = match.end()
        self.at = 0

    def peek(self, offset: int = 0) -> tuple[str, str]:
        at = self.at + offset
        return self.items[at] if at < len(self.items) else ("end", "")

    def take(self) -> tuple[str, str]:
        token = self.peek()
        self.at += 1
        return token

    def expect(self, token: str) -> None:
        _, found = self.take()
        if found != token:
            raise self.error(found or "<end>")

    def error(self, token: str) -> ApiError:
        return invalid(f'Invalid {self.what}: Syntax error; token: "{token[:50]}"')

    def done(self) -> bool:
        return self.at >= len(self.items)


# -- typed values ------------------------------------------------------------------------------


# DynamoDB's arithmetic: 38 significant digits (the decimal module's default context has 28).
NUMBERS: Final = Context(prec=38)


def significant(n: Decimal) -> str:
    """The significant digits of ``n`` (no trailing zeros; not rounded by any context)."""
    return "".join(map(str, n.as_tuple().digits)).rstrip("0") or "0"


def number(value: Any) -> Decimal:
    """A number attribute's value, within DynamoDB's limits (38 significant digits, magnitude
    from 1E-130 to below 1E+126)."""
    text = str(value).strip()
    try:
        n = Decimal(text) if len(text) <= 100 else Decimal("NaN")
    except InvalidOperation:
        n = Decimal("NaN")
    if not n.is_finite():
        raise invalid(f"The parameter cannot be converted to a numeric value: {text[:50]}")
    if n.is_zero():
        return n
    if len(significant(n)) > 38:
        raise invalid("Attempting to store more than 38 significant digits in a Number")
    if not -130 <= n.adjusted() <= 125:
        raise invalid(
            "Number overflow. Attempting to store a number with magnitude larger than supported "
            "range"
            if n.adjusted() > 0
            else "Number underflow. Attempting to store a number with magnitude smaller than "
            "supported range"
        )
    return n


def kind_of(value: Mapping[str, Any]) -> str:
    return next(iter(value))


def comparable(value: Mapping[str, Any]) -> Any:
    """A key to compare two values of one scalar type by (N numerically, S by UTF-8 bytes)."""
    kind = kind_of(value)
    raw = value[kind]
    if kind == "N":
        return number(raw)
    if kind == "S":
        return str(raw).encode("utf-8")
    if kind == "B":
        return bytes(raw)
    return None


def equal(left: Mapping[str, Any], right: Mapping[str, Any]) -> bool:
    if kind_of(left) != kind_of(right):
        return False
    kind = kind_of(left)
    if kind in ("N", "S", "B"):
        return bool(comparable(left) == comparable(right))
    if kind == "NS":
        return {number(v) for v in left[kind]} == {number(v) for v in right[kind]}
    if kind in ("SS", "BS"):
        return set(map(_hashable, left[kind])) == set(map(_hashable, right[kind]))
    if kind == "L":
        return len(left[kind]) == len(right[kind]) and all(
            equal(a, b) for a, b in zip(left[kind], right[kind], strict=True)
        )
    if kind == "M":
        return left[kind].keys() == right[kind].keys() and all(
            equal(left[kind][k], right[kind][k]) for k in left[kind]
        )
    return bool(left[kind] == right[kind])


def _hashable(value: Any) -> Any:
    return bytes(value) if isinstance(value, (bytes, bytearray, memoryview)) else value


def get_path(item: Mapping[str, Any], path: Path) -> Any:
    """The typed value at ``path`` in ``item`` (None: absent)."""
    current: Any = {"M": item}
    for step in path:
        if isinstance(step, int):
            if "L" not in current or step >= len(current["L"]):
                return None
            current = current["L"][step]
        else:
            if "M" not in current or step not in current["M"]:
                return None
            current = current["M"][step]
    return current


def set_path(item: Item, path: Path, value: Any) -> None:
    container: Any = {"M": item}
    for step in path[:-1]:
        container = _step(container, step)
    last = path[-1]
    if isinstance(last, int):
        if "L" not in container:
            raise invalid(
                "The document path provided in the update expression is invalid for update"
            )
        items = container["L"]
        if last >= len(items):
            items.append(value)
        else:
            items[last] = value
    else:
        if "M" not in container:
            raise invalid(
                "The document path provided in the update expression is invalid for update"
            )
        container["M"][last] = value


def remove_path(item: Item, path: Path) -> None:
    container: Any = {"M": item}
    for step in path[:-1]:
        container = (
            get_path(container.get("M", {}), (step,))
            if isinstance(step, str)
            else (
                container["L"][step] if "L" in container and step < len(container["L"]) else None
            )
        )
        if container is None:
            return
    last = path[-1]
    if isinstance(last, int):
        if "L" in container and last < len(container["L"]):
            del container["L"][last]
    elif "M" in container:
        container["M"].pop(last, None)


def _step(container: Any, step: str | int) -> Any:
    nxt = get_path(container.get("M", {}), (step,)) if isinstance(step, str) else None
    if isinstance(step, int) and "L" in container and step < len(container["L"]):
        nxt = container["L"][step]
    if nxt is None:
        raise invalid("The document path provided in the update expression is invalid for update")
    return nxt


# -- parsing -----------------------------------------------------------------------------------

Node = Callable[[Mapping[str, Any]], Any]


class Parser:
    """One expression of a request, parsed against its placeholders."""

    def __init__(self, text: str, what: str, names: Names) -> None:
        self.tokens = _Tokens(text, what)
        self.names = names
        self.depth = 0

    def path(self) -> Path:
        steps: list[str | int] = [self._name()]
        while True:
            kind, token = self.tokens.peek()
            if kind == "index":
                self.tokens.take()
                steps.append(int(token.strip("[] \t")))
            elif token == ".":
                self.tokens.take()
                steps.append(self._name())
            else:
                return tuple(steps)

    def _name(self) -> str:
        kind, token = self.tokens.take()
        if kind == "name":
            return self.names.name(token)
        if kind == "word" and token not in _FUNCTIONS:
            return token
        raise self.tokens.error(token or "<end>")

    # conditions

    def condition(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise invalid(f"Invalid {self.tokens.what}: The expression is nested too deeply")
        left = self._and()
        while self.tokens.peek() == ("keyword", "OR"):
            self.tokens.take()
            right = self._and()
            left = _or(left, right)
        self.depth -= 1
        return left

    def _and(self) -> Node:
        left = self._not()
        while self.tokens.peek() == ("keyword", "AND"):
            self.tokens.take()
            right = self._not()
            left = _and(left, right)
        return left

    def _not(self) -> Node:
        if self.tokens.peek() == ("keyword", "NOT"):
            self.tokens.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise invalid(f"Invalid {self.tokens.what}: The expression is nested too deeply")
            inner = self._not()
            self.depth -= 1
            return lambda item: not inner(item)
        return self._primary()

    def _primary(self) -> Node:
        kind, token = self.tokens.peek()
        if token == "(":
            self.tokens.take()
            inner = self.condition()
            self.tokens.expect(")")
            return inner
        if kind == "word" and token in _FUNCTIONS and token != "size":
            return self._function()
        left = self.operand()
        kind, token = self.tokens.take()
        if token in ("=", "<>", "<", "<=", ">", ">="):
            right = self.operand()
            return _compare(token, left, right)
        if token == "BETWEEN":
            low = self.operand()
            self.tokens.expect("AND")
            high = self.operand()
            return _between(left, low, high)
        if token == "IN":
            self.tokens.expect("(")
            options = [self.operand()]
            while self.tokens.peek()[1] == ",":
                self.tokens.take()
                options.append(self.operand())
            self.tokens.expect(")")
            return lambda item: any(_equal_or_false(left(item), o(item)) for o in options)
        raise self.tokens.error(token or "<end>")

    def _function(self) -> Node:
        _, name = self.tokens.take()
        self.tokens.expect("(")
        path = self.path()
        argument: Node | None = None
        if self.tokens.peek()[1] == ",":
            self.tokens.take()
            argument = self.operand()
        self.tokens.expect(")")
        if name == "attribute_exists" and argument is None:
            return lambda item: get_path(item, path) is not None
        if name == "attribute_not_exists" and argument is None:
            return lambda item: get_path(item, path) is None
        if name == "attribute_type" and argument is not None:
            wanted = argument
            return lambda item: (
                get_path(item, path) is not None
                and kind_of(get_path(item, path)) == str(wanted(item).get("S"))
            )
        if name == "begins_with" and argument is not None:
            prefix_of = argument
            return lambda item: _begins(get_path(item, path), prefix_of(item))
        if name == "contains" and argument is not None:
            needle = argument
            return lambda item: _contains(get_path(item, path), needle(item))
        raise invalid(
            f"Invalid {self.tokens.what}: Incorrect number of operands for operator or function; "
            f"operator or function: {name}"
        )

    def operand(self) -> Node:
        kind, token = self.tokens.peek()
        if kind == "value":
            self.tokens.take()
            value = self.names.value(token)
            return lambda item: value
        if kind == "word" and token == "size":
            self.tokens.take()
            self.tokens.expect("(")
            path = self.path()
            self.tokens.expect(")")
            return lambda item: _size(get_path(item, path))
        if kind in ("name", "word") and token not in _FUNCTIONS:
            path = self.path()
            return lambda item: get_path(item, path)
        raise self.tokens.error(token or "<end>")

    def finish(self) -> None:
        if not self.tokens.done():
            raise self.tokens.error(self.tokens.peek()[1])


def _or(a: Node, b: Node) -> Node:
    return lambda item: bool(a(item)) or bool(b(item))


def _and(a: Node, b: Node) -> Node:
    return lambda item: bool(a(item)) and bool(b(item))


def _equal_or_false(a: Any, b: Any) -> bool:
    return a is not None and b is not None and equal(a, b)


def _compare(op: str, left: Node, right: Node) -> Node:
    def test(item: Mapping[str, Any]) -> bool:
        a, b = left(item), right(item)
        if op == "=":
            return _equal_or_false(a, b)
        if op == "<>":
            return (
                a is not None and b is not None and not equal(a, b) or (a is None) != (b is None)
            )
        if a is None or b is None or kind_of(a) != kind_of(b) or kind_of(a) not in ("N", "S", "B"):
            return False
        x, y = comparable(a), comparable(b)
        return bool({"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op])

    return test


def _between(value: Node, low: Node, high: Node) -> Node:
    def test(item: Mapping[str, Any]) -> bool:
        a, lo, hi = value(item), low(item), high(item)
        if a is None or lo is None or hi is None:
            return False
        kinds = {kind_of(a), kind_of(lo), kind_of(hi)}
        if len(kinds) != 1 or kinds - {"N", "S", "B"}:
            return False
        if comparable(lo) > comparable(hi):
            raise invalid(
                "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be "
                "greater than or equal to lower bound"
            )
        return bool(comparable(lo) <= comparable(a) <= comparable(hi))

    return test


def _begins(value: Any, prefix: Any) -> bool:
    if value is None or prefix is None or kind_of(value) != kind_of(prefix):
        return False
    if kind_of(value) not in ("S", "B"):
        return False
    return bool(comparable(value).startswith(comparable(prefix)))


def _contains(value: Any, needle: Any) -> bool:
    if value is None or needle is None:
        return False
    kind = kind_of(value)
    if kind == "S" and kind_of(needle) == "S":
        return str(needle["S"]) in str(value["S"])
    if kind == "B" and kind_of(needle) == "B":
        return bytes(needle["B"]) in bytes(value["B"])
    if kind in ("SS", "NS", "BS") and kind_of(needle) == kind[0]:
        return any(equal({kind[0]: v}, needle) for v in value[kind])
    if kind == "L":
        return any(equal(v, needle) for v in value["L"])
    return False


def _size(value: Any) -> Any:
    if value is None:
        return None
    kind = kind_of(value)
    raw = value[kind]
    if kind == "S":
        return {"N": str(len(str(raw).encode("utf-8")))}
    if kind == "B":
        return {"N": str(len(bytes(raw)))}
    if kind in ("SS", "NS", "BS", "L", "M"):
        return {"N": str(len(raw))}
    return None


def condition(text: str, what: str, names: Names) -> Node:
    """A condition (``ConditionExpression``, ``FilterExpression``) as a test of an item."""
    parser = Parser(text, what, names)
    node = parser.condition()
    parser.finish()
    return node


def projection(text: str, names: Names) -> list[Path]:
    parser = Parser(text, "ProjectionExpression", names)
    paths = [parser.path()]
    while parser.tokens.peek()[1] == ",":
        parser.tokens.take()
        paths.append(parser.path())
    parser.finish()
    return paths


def project(item: Mapping[str, Any], paths: list[Path]) -> Item:
    """The attributes of ``item`` at ``paths`` (top-level attributes whole, nested ones inside
    their maps and lists, as DynamoDB returns them)."""
    out: Item = {}
    for path in paths:
        value = get_path(item, path)
        if value is None:
            continue
        if len(path) == 1:
            out[str(path[0])] = value
            continue
        container: Any = {"M": out}
        for step, nxt in itertools.pairwise(path):
            holder = container.get("M")
            if holder is None or isinstance(step, int):
                break  # list items inside a projection: kept whole at the first level
            empty: dict[str, Any] = {"L": []} if isinstance(nxt, int) else {"M": {}}
            container = holder.setdefault(step, empty)
        else:
            last = path[-1]
            if "M" in container and isinstance(last, str):
                container["M"][last] = value
            elif "L" in container:
                container["L"].append(value)
    return out


# -- updates -----------------------------------------------------------------------------------


def update(text: str, names: Names) -> Callable[[Item], Item]:
    """An ``UpdateExpression`` as a function from the old item to the new."""
    parser = Parser(text, "UpdateExpression", names)
    tokens = parser.tokens
    actions: list[Callable[[Item, Item], None]] = []
    seen: set[str] = set()
    while not tokens.done():
        kind, clause = tokens.take()
        if kind != "keyword" or clause not in ("SET", "REMOVE", "ADD", "DELETE"):
            raise tokens.error(clause)
        if clause in seen:
            raise invalid(
                f'Invalid UpdateExpression: The "{clause}" section can only be used once in an '
                "update expression;"
            )
        seen.add(clause)
        while True:
            actions.append(_action(parser, clause))
            if tokens.peek()[1] != ",":
                break
            tokens.take()

    def apply(item: Item) -> Item:
        old = _copy(item)
        new = _copy(item)
        for action in actions:
            action(old, new)
        return dict(new)

    return apply


def _action(parser: Parser, clause: str) -> Callable[[Item, Item], None]:
    path = parser.path()
    if clause == "REMOVE":
        return lambda old, new: remove_path(new, path)
    if clause == "SET":
        parser.tokens.expect("=")
        value = _set_value(parser)

        def set_action(old: Item, new: Item) -> None:
            result = value(old)
            if result is None:
                raise invalid(
                    "The provided expression refers to an attribute that does not exist in the "
                    "item"
                )
            set_path(new, path, result)

        return set_action
    operand = parser.operand()

    def add_or_delete(old: Item, new: Item) -> None:
        given = operand(old)
        current = get_path(new, path)
        kind = kind_of(given)
        if clause == "ADD" and kind == "N":
            base = number(current["N"]) if current is not None and "N" in current else Decimal(0)
            if current is not None and "N" not in current:
                raise invalid("An operand in the update expression has an incorrect data type")
            set_path(new, path, {"N": _format(NUMBERS.add(base, number(given["N"])))})
            return
        if kind not in ("SS", "NS", "BS"):
            raise invalid(
                "Invalid UpdateExpression: Incorrect operand type for operator or function; "
                f"operator: {clause}, operand type: {_type_name(kind)}"
            )
        if current is not None and kind_of(current) != kind:
            raise invalid("An operand in the update expression has an incorrect data type")
        have = list(current[kind]) if current is not None else []
        if clause == "ADD":
            for element in given[kind]:
                if not any(equal({kind[0]: element}, {kind[0]: h}) for h in have):
                    have.append(element)
        else:
            have = [
                h for h in have if not any(equal({kind[0]: h}, {kind[0]: g}) for g in given[kind])
            ]
        if have:
            set_path(new, path, {kind: have})
        else:
            remove_path(new, path)

    return add_or_delete


def _set_value(parser: Parser) -> Node:
    left = _set_operand(parser)
    op = parser.tokens.peek()[1]
    if op not in ("+", "-"):
        return left
    parser.tokens.take()
    right = _set_operand(parser)

    def arithmetic(item: Mapping[str, Any]) -> Any:
        a, b = left(item), right(item)
        if a is None or b is None:
            return None
        if kind_of(a) != "N" or kind_of(b) != "N":
            raise invalid("An operand in the update expression has an incorrect data type")
        x, y = number(a["N"]), number(b["N"])
        total = NUMBERS.add(x, y) if op == "+" else NUMBERS.subtract(x, y)
        return {"N": _format(total)}

    return arithmetic


def _set_operand(parser: Parser) -> Node:
    kind, token = parser.tokens.peek()
    if kind == "word" and token in ("if_not_exists", "list_append"):
        parser.tokens.take()
        parser.tokens.expect("(")
        first = parser.operand()
        parser.tokens.expect(",")
        second = parser.operand()
        parser.tokens.expect(")")
        if token == "if_not_exists":
            return lambda item: first(item) if first(item) is not None else second(item)

        def append(item: Mapping[str, Any]) -> Any:
            a, b = first(item), second(item)
            if a is None or b is None or kind_of(a) != "L" or kind_of(b) != "L":
                raise invalid(
                    "Invalid UpdateExpression: Incorrect operand type for operator or function; "
                    "operator or function: list_append"
                )
            return {"L": [*a["L"], *b["L"]]}

        return append
    return parser.operand()


def _format(value: Decimal) -> str:
    text = format(value.normalize(NUMBERS), "f")
    return "0" if text in ("-0", "") else text


def _type_name(kind: str) -> str:
    return {"N": "NUMBER", "S": "STRING", "B": "BINARY", "M": "MAP", "L": "LIST"}.get(kind, kind)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value

"""codegen.generators.split: the package layout both generators use (their modules' imports)."""

from __future__ import annotations

import pytest

from codegen.generators.split import (
    Definition,
    SplitLayout,
    bucket_of,
    package_modules,
    stdlib_imports,
)

STDLIB = (
    ("re", frozenset[str]()),
    ("datetime", frozenset({"datetime", "timezone"})),
    ("typing", frozenset({"Final"})),
)


def test_the_layout_option() -> None:
    assert [SplitLayout().split(n) for n in (64, 65)] == [False, True]
    assert not SplitLayout("single").split(1000) and SplitLayout("split").split(1)
    with pytest.raises(ValueError, match="layout must be one of auto, single, split"):
        SplitLayout("package")


def test_stdlib_imports_name_what_is_used_in_the_tables_order() -> None:
    assert stdlib_imports({"re", "timezone", "datetime", "x"}, STDLIB) == [
        "import re",
        "from datetime import datetime, timezone",
    ]
    # a module imported whole is imported only when its own name is used
    assert stdlib_imports({"Final"}, STDLIB) == ["from typing import Final"]
    assert stdlib_imports(set(), STDLIB) == []


def _definition(name: str, *uses: str) -> Definition:
    return Definition(name, f"def {name}(): ...", frozenset({name, *uses}))


def test_each_module_imports_what_its_definitions_use() -> None:
    # two operations in different buckets, both using a shared helper that uses the runtime
    first, second = "OpOne", "OpTwo"
    count = 8
    assert bucket_of(first, count) != bucket_of(second, count)
    definitions = {
        "one": _definition("one", "shared", "re"),
        "two": _definition("two", "shared", "Final"),
        "shared": _definition("shared", "_runtime_helper", "datetime"),
    }
    parts, modules = package_modules(
        definitions, [(first, ["one"]), (second, ["two"])], 2, {"_runtime_helper"}, STDLIB
    )
    assert parts.buckets == count
    by_name = {module.name: module for module in modules}
    assert [m.name for m in modules] == sorted(by_name)
    shared = by_name[parts.home["shared"]]
    assert not shared.bucket and shared.members == ["shared"]
    assert shared.imports == (
        "from datetime import datetime\n\nfrom ._runtime import (_runtime_helper,)"
    )
    one = by_name[parts.home["one"]]
    assert one.bucket and one.members == ["one"]
    assert one.imports == f"import re\n\nfrom .{shared.name} import (shared,)"
    two = by_name[parts.home["two"]]
    assert two.imports == f"from typing import Final\n\nfrom .{shared.name} import (shared,)"

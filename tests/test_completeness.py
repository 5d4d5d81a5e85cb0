"""Every paragraph of documentation prose in the seed document is in the spec.

The seed is AWS's rendered changelog page. Its structure (headings, ``type``/``param`` lines,
request/response syntax, ``(string) --`` type lines) is skipped; every other line is a
paragraph of prose (operation docs, parameter docs, response field docs, filter docs) and
must be found, whitespace folded, in one of the spec's documentation strings.
"""

from __future__ import annotations

import hashlib
import re

import pytest

from codegen.docs import BULLET, fold
from codegen.model import ServiceModel
from tests.support.helpers import spec
from tests.support.paths import SEED, SHARED_SEED

STRUCTURE = [
    re.compile(p)
    for p in (
        r"^Amazon Elastic Compute Cloud$",
        r"^\d{4}/\d{2}/\d{2} - ",
        r"^Changes ",
        r"^\w+ \(updated\) Link ¶$",
        r"^Changes \((request|response)\)$",
        r"^\{.*\}$",
        r"^See also: AWS API Documentation$",
        r"^(Request|Response) (Syntax|Structure)$",
        r"^(type|param) \w+$",
        r"^['{}\]\[]|^\w+\(|^'[A-Za-z]+':",
        r"^(• )?(\w+ )?\((string|dict|list|integer|datetime|boolean)\) --$",
    )
]


def seed_paragraphs() -> list[str]:
    if not SEED.exists():
        pytest.skip(f"the seed document is not at {SEED}")
    out = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        text = fold(line)
        if not text or any(p.search(text) for p in STRUCTURE):
            continue
        if text.startswith(BULLET.strip()):
            text = fold(text[1:])
        out.append(text)
    return out


def documentation_strings(model: ServiceModel) -> list[str]:
    docs = [model.documentation]
    for op in model.operations.values():
        docs.append(op.documentation)
    for shape in model.shapes.values():
        docs.append(shape.documentation)
        for ref in shape.children():
            docs.append(ref.documentation)
            if ref.documented.filters:
                docs.extend(f"{f.name} - {f.documentation}" for f in ref.documented.filters.names)
    return [fold(d) for d in docs if d]


# The SHA-256 of the seed document as it was handed over (../shared/seeds/), so that the
# repository's own copy is checked in any clone, with or without the shared folder beside it.
SEED_SHA256 = "d517300340adad4ce04a74da28fd8b2cb2d137fcd10573c5458585c490acb839"


def test_the_kept_source_is_the_seed() -> None:
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == SEED_SHA256
    if SHARED_SEED.exists():  # beside a checkout in the shared workspace: the very same bytes
        assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_has_the_paragraphs_we_expect() -> None:
    paragraphs = seed_paragraphs()
    # Sanity: the parser finds prose and skips structure.
    assert "Describes a flow log." in paragraphs
    assert "Default: 600" in paragraphs
    assert "traffic-type - The type of traffic (ACCEPT | REJECT | ALL )." in paragraphs
    assert not any(p.startswith(("type ", "param ", "'")) for p in paragraphs)
    assert len(paragraphs) > 60


def missing_paragraphs(docs: list[str]) -> list[str]:
    """The seed's paragraphs found in none of ``docs``."""
    return [p for p in seed_paragraphs() if not any(p in d for d in docs)]


def test_every_seed_paragraph_is_in_the_spec() -> None:
    missing = missing_paragraphs(documentation_strings(spec().model()))
    assert not missing, "paragraphs of the seed missing from the spec:\n  " + "\n  ".join(missing)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Default: 600",
        "Describes a flow log.",
        "traffic-type - The type of traffic (ACCEPT | REJECT | ALL ).",
        "Constraints: Maximum of 1000 resources",
    ],
)
def test_the_check_would_notice_a_missing_paragraph(paragraph: str) -> None:
    """The check itself, run on the spec's documentation with one paragraph taken out."""
    docs = documentation_strings(spec().model())
    assert any(paragraph in d for d in docs)
    assert missing_paragraphs(docs) == []
    without = [d.replace(paragraph, "") for d in docs]
    assert missing_paragraphs(without) == [paragraph]

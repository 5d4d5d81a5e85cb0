"""Where things are: the checkout, the committed spec and outputs, the seed, the fixtures."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
# The source document the spec transcribes, kept beside it (a copy of ../shared/seeds/...).
SEED = ROOT / "specs" / "ec2" / "sources" / "ec2-2020-02-04-flow-logs.txt"
SHARED_SEED = ROOT.parent / "shared" / "seeds" / SEED.name
SPEC = ROOT / "specs" / "ec2" / "flow-logs.json"
GENERATED = ROOT / "generated" / "ec2"
FIXTURES = ROOT / "tests" / "fixtures"
# the botocore-format demo model the diff tests edit
DIFF_DEMO = FIXTURES / "diff" / "demo" / "2020-01-01"

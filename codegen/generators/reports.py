"""Generator: a change report for each version of the spec, against the version before it.

Writes ``reports/<version>.{txt,md,json,html}`` (the formats of ``apigen diff``, with
``--details`` for txt, md and html). The first version has no predecessor and gets no report.
The txt report of the EC2 flow-logs spec's 2020-02-04 version is the changelog entry of the seed
document, regenerated from the spec.
"""

from __future__ import annotations

from codegen.diff.formats import EXTENSIONS, render
from codegen.diff.report import diff
from codegen.diff.sources import Source
from codegen.generators.base import GenerationContext, Generator
from codegen.model import VersionInfo
from codegen.spec import Spec


def spec_source(spec: Spec, version: VersionInfo) -> Source:
    text = f"{spec.path}@{version.version}"
    return Source(text, "spec", text, date=version.date, spec=spec, version=version)


class ReportsGenerator(Generator):
    name = "reports"

    def generate(self, context: GenerationContext) -> dict[str, str]:
        spec = context.spec
        outputs: dict[str, str] = {}
        for version in spec.versions:
            previous = spec.previous(version)
            if previous is None:
                continue
            report = diff(spec_source(spec, previous), spec_source(spec, version))
            for fmt, ext in EXTENSIONS.items():
                outputs[f"reports/{version.version}.{ext}"] = render(
                    report, fmt, details=fmt != "json"
                )
        return outputs

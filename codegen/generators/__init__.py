"""Generators: one per artifact kind, each turning a ServiceModel into files.

A generator is a :class:`~codegen.generators.base.Generator` subclass with a ``name`` and a
``generate(context)`` method returning ``{relative path: content}`` for one service; the
paths are relative to the service's output folder (``generated/<service>/``).
:func:`codegen.generators.base.write_outputs` writes them, removes stale files and, with
``check=True``, only compares. ``GENERATORS`` lists them in the order they run.
"""

from __future__ import annotations

from codegen.generators.base import GenerationContext, Generator
from codegen.generators.botocore_export import BotocoreExportGenerator
from codegen.generators.dataclasses_gen import DataclassesGenerator
from codegen.generators.jsonschema_gen import JsonSchemaGenerator
from codegen.generators.protocol import ProtocolGenerator
from codegen.generators.reports import ReportsGenerator
from codegen.generators.validators import ValidatorsGenerator

GENERATORS: list[Generator] = [
    BotocoreExportGenerator(),
    ReportsGenerator(),
    DataclassesGenerator(),
    ValidatorsGenerator(),
    JsonSchemaGenerator(),
    ProtocolGenerator(),
]

__all__ = ["GENERATORS", "GenerationContext", "Generator"]

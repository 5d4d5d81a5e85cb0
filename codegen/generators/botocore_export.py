"""Generator: the model in botocore's own format, as a data path botocore can load.

Writes ``botocore/<service>/<api-version>/service-2.json`` (and ``paginators-1.json``,
``waiters-2.json`` when the spec has paginators, waiters);
``AWS_DATA_PATH=generated/<service>/botocore`` makes botocore build clients from it.
"""

from __future__ import annotations

from codegen.bridge.exporter import export_paginators, export_service, export_waiters
from codegen.generators.base import GenerationContext, Generator, dump_json


class BotocoreExportGenerator(Generator):
    name = "botocore-export"

    def generate(self, context: GenerationContext) -> dict[str, str]:
        model = context.model
        folder = f"botocore/{model.name}/{model.metadata.api_version}"
        outputs = {f"{folder}/service-2.json": dump_json(export_service(model))}
        paginators = export_paginators(model)
        if paginators["pagination"]:
            outputs[f"{folder}/paginators-1.json"] = dump_json(paginators)
        if model.waiters:
            outputs[f"{folder}/waiters-2.json"] = dump_json(export_waiters(model))
        return outputs

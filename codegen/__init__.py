"""apigen: a spec-driven toolkit for AWS API models.

Stages (data flows one way): :mod:`codegen.loader` reads specs, :mod:`codegen.bridge` reads
botocore models, both produce :class:`codegen.model.ServiceModel`; generators, the exporter
and the diff engine consume it.
"""

__version__ = "0.1.0"

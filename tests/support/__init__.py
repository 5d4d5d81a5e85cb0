"""What the tests share, and no tests: pytest collects nothing here (no ``test_*`` names).

* :mod:`tests.support.paths`: where the checkout, the committed spec and outputs, the seed
  document and the fixtures are;
* :mod:`tests.support.imports`: generated code imported from a folder (or written into a
  temporary folder first) under a fresh module name;
* :mod:`tests.support.helpers`: the committed spec, botocore releases and their models (an
  operation's input shape, a response as botocore parses it), the seed document's changelog
  entry;
* :mod:`tests.support.validators`: the validator and JSON Schema tests' models, generated
  modules, fixture cases, botocore's errors and hypothesis strategies from our model;
* :mod:`tests.support.differential`: the whole-service differential test's sample, generated
  code and strategies from botocore's shapes;
* :mod:`tests.support.protocol` and :mod:`tests.support.protocol_reference`: the protocol
  layer's packages, botocore's EC2 serializer and parser, the serializer it replaced;
* :mod:`tests.support.shapes`: hypothesis strategies of a generated dataclasses module's values;
* :mod:`tests.support.server`: boto3 clients and raw HTTP against the stub server;
* :mod:`tests.support.readme`: the README's examples, as the README test and the packaging
  test read them.

A pytest fixture stays in the one module that uses it; one shared by several modules would go
in the ``conftest.py`` of the folder that holds them all (none is, today).
"""

"""The stub server: the generated protocol layer + hand-written behaviour over uvicorn.

``running_server()`` starts it on a free port in a background thread; ``apigen serve`` runs it
in the foreground; the ``apigen_server`` pytest fixture (``codegen.server.pytest_plugin``)
gives tests one per session.
"""

from codegen.server.errors import ApiError
from codegen.server.runner import StubServer, running_server

__all__ = ["ApiError", "StubServer", "running_server"]

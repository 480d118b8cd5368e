"""A static file server on 127.0.0.1 for tests: serves a built site at a URL prefix (to prove the site
works under a sub-path such as /guong-sang/) and records every request it receives."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class _Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"
    requests: list[str]

    def translate_path(self, path: str) -> str:
        self.requests.append(path)
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_prefix__")
        return super().translate_path("/" + path[len(self.prefix):])

    def log_message(self, format: str, *args) -> None:  # keep test output clean
        pass


@contextmanager
def serve(site: Path, prefix: str = "/") -> Iterator[tuple[str, list[str]]]:
    """Yield the base URL (ending in `prefix`) and the list of paths requested so far."""
    requests: list[str] = []
    handler = type("Handler", (_Handler,), {"prefix": prefix, "requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}", requests
    finally:
        server.shutdown()
        server.server_close()

"""`mkdocs serve` for tests: a project served on a free port of 127.0.0.1, and polling it until what a
save should change shows."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def text(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(condition, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.3)


@contextmanager
def serving(project: Path, log_path: Path, *options: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """`mkdocs serve` of `project` on a free port: its address and process. On the way out the server is
    stopped, and its log must hold no traceback."""
    port = free_port()
    log = open(log_path, "w+", encoding="utf-8")
    server = subprocess.Popen([Path(sys.executable).parent / "mkdocs", "serve", *options, "-a", f"127.0.0.1:{port}"],
                              cwd=project, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield f"http://127.0.0.1:{port}/", server
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.seek(0)
        output = log.read()
        log.close()
    assert "Traceback" not in output, output[-3000:]

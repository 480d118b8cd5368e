"""`guong soan` as the editors start it, for the workbench tests: a real process on a free port."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

GUONG = str(Path(sys.executable).parent / "guong")


@contextmanager
def workbench(project: Path) -> Iterator[str]:
    """Start `guong soan` on the project's content/ and yield its address (http://127.0.0.1:N/)."""
    process = subprocess.Popen([GUONG, "soan", str(project / "content"), "--port", "0", "--no-browser"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Trình soạn thảo hồ sơ: http://127.0.0.1:"), line + (process.stderr.read() if
                                                                                  process.stderr else "")
        yield line.split(": ", 1)[1].split()[0]
    finally:
        process.terminate()
        process.wait(timeout=10)


def post(url: str, body: Any, *, origin: str | None = "same", host: str | None = None,
         raw: bytes | None = None) -> tuple[int, Any]:
    """POST JSON as a page would; `origin="same"` sends the workbench's own Origin."""
    base = url.split("/api/")[0]
    headers = {"Content-Type": "application/json"}
    if origin == "same":
        headers["Origin"] = base
    elif origin is not None:
        headers["Origin"] = origin
    if host is not None:
        headers["Host"] = host
    data = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")

"""Writing a file so that it is complete or absent: written beside its target, then renamed over it.

A build killed halfway, a full disk or two saves of one profile at once leave the old file or the new one,
never half of either. Photos, share cards, QR codes, fonts, yearbooks and the workbench's saves all go
through here."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO


def write_atomically(path: Path, content: bytes | Callable[[IO[bytes]], object], *,
                     durable: bool = False) -> None:
    """Write `content` (bytes, or a function that writes into the open file) to `path`.

    `durable` waits until the data is on the disk before the rename: for what an editor saved, which
    exists nowhere else; build outputs can be made again and skip the wait."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A unique name per writer: the workbench saves on several threads of one process.
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            if hasattr(os, "fchmod"):
                # mkstemp makes 0600 files, which a web server running as another user could not read.
                os.fchmod(stream.fileno(), 0o644)
            if callable(content):
                content(stream)
            else:
                stream.write(content)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise

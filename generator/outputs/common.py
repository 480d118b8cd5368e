"""What the machine-readable outputs (feeds, JSON API) share: dates in Ia Pa's time, the publisher, and
writing a {path: bytes} mapping into the output folder."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

VN_TIME = dt.timezone(dt.timedelta(hours=7), "ICT")
"""Ia Pa's clock: a bare publication date is midnight there, not in UTC."""
PUBLISHER = "Trung tâm Văn hóa, Thông tin và Thể thao huyện Ia Pa"
"""Who publishes the profiles (plan 105/KH-UBND V: the Culture Center runs the column)."""


def rfc3339(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(), VN_TIME).isoformat()


def generated_at() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def write_files(files: Mapping[str, bytes | str], site_dir: Path,
                written: dict[str, tuple[bytes | str, bytes]] | None = None) -> None:
    """Write each file (text as UTF-8) under site_dir.

    `written` holds what earlier calls wrote (the content given, and its digest), kept by a live preview
    between rebuilds: a file whose content did not change is not written again (most of them, after one
    profile is edited), and content that is the very object given last time is not even digested."""
    for relative, content in files.items():
        path = site_dir / relative
        previous = written.get(relative) if written is not None else None
        if previous is not None and previous[0] is content:
            continue
        data = content.encode("utf-8") if isinstance(content, str) else content
        if written is not None:
            digest = hashlib.blake2b(data, digest_size=16).digest()
            written[relative] = (content, digest)
            if previous is not None and previous[1] == digest and path.exists():
                continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

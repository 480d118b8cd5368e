"""Decap CMS's browser files: fetched once at set-up from the npm registry (pinned version, checked against
the registry's published integrity), kept in an ignored folder and served by the workbench itself, so the
editor page never loads anything from another host.

    python -m generator.workbench.decap_bundle      # what scripts/setup.sh runs
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

VERSION = "3.16.3"
INTEGRITY = "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw=="
"""The tarball's Subresource Integrity value as the registry publishes it (`npm view decap-cms@3.16.3 dist`)."""
ENTRY = "decap-cms.js"

_PROJECT_ROOT = Path(__file__).resolve().parents[2]


def bundle_dir() -> Path:
    """Where the files are: GUONG_DECAP_DIR, or .cache/decap-cms/<version>/ in the source tree."""
    configured = os.environ.get("GUONG_DECAP_DIR")
    return Path(configured) if configured else _PROJECT_ROOT / ".cache" / "decap-cms" / VERSION


def is_installed(directory: Path | None = None) -> bool:
    return ((directory or bundle_dir()) / ENTRY).is_file()


def _wanted(member: tarfile.TarInfo) -> str | None:
    """The dist file a tar member is, if the browser needs it: the entry script and its lazily loaded
    chunks (`<n>.decap-cms.js`). Source maps and the duplicate `cms.js` build are left out."""
    name = member.name
    if not member.isfile() or not name.startswith("package/dist/"):
        return None
    base = name.rsplit("/", 1)[1]
    if base == ENTRY or base.endswith("." + ENTRY):
        return base
    return None


def install(directory: Path | None = None, registry: str | None = None) -> Path:
    """Download, verify and unpack the pinned release into `directory` (all or nothing)."""
    target = directory or bundle_dir()
    if is_installed(target):
        return target
    registry = (registry or os.environ.get("NPM_CONFIG_REGISTRY") or "https://registry.npmjs.org/").rstrip("/")
    url = f"{registry}/decap-cms/-/decap-cms-{VERSION}.tgz"
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 (a fixed https URL)
        data = response.read()
    algorithm, expected = INTEGRITY.split("-", 1)
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise RuntimeError(f"{url}: integrity {algorithm}-{actual} does not match the pinned {INTEGRITY}")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".decap-", dir=target.parent))
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member in archive.getmembers():
                base = _wanted(member)
                source = archive.extractfile(member) if base else None
                if base and source is not None:
                    (staging / base).write_bytes(source.read())
        if not (staging / ENTRY).is_file():
            raise RuntimeError(f"{url}: no dist/{ENTRY} in the package")
        staging.replace(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


if __name__ == "__main__":
    print(f"Decap CMS {VERSION}: {install()}", file=sys.stderr)

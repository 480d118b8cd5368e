"""Build the site into a staging folder next to the output, and swap it in only when the build succeeded.

A failed build (invalid content, a crash, a kill) therefore leaves the previously published folder
exactly as it was. The swap itself is two renames on the same file system. The previous site is then
deleted by a detached process: several files per profile, which nobody needs to wait for.

Folders beside the output, named after the process that made them:
`.site.dang-dung-<pid>` a build's staging folder, `.site.cu-<pid>` the previous site during the swap,
`.site.xoa-<pid>-<n>` the previous site being deleted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path


def staging_folder(target: Path) -> Path:
    """Where this process builds the site that will replace `target`."""
    return target.with_name(f".{target.name}.dang-dung-{os.getpid()}")


def swap_into_place(staging: Path, target: Path) -> None:
    """Replace `target` by `staging`; the old folder is removed only after the new one is in place."""
    retired = target.with_name(f".{target.name}.cu-{os.getpid()}")
    if target.exists():
        target.rename(retired)
    try:
        staging.rename(target)
    except OSError:
        if retired.exists():
            retired.rename(target)  # put the previous site back
        raise
    if retired.exists():
        doomed = retired.with_name(f".{target.name}.xoa-{os.getpid()}-{time.monotonic_ns()}")
        retired.rename(doomed)
        _delete_in_background(doomed)


def _delete_in_background(folder: Path) -> None:
    """Delete `folder` in a process that outlives this one. Should it not finish (killed, machine
    stopped), the next build removes what is left (`recover_leftovers`)."""
    try:
        subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)",
                          str(folder)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def recover_leftovers(target: Path) -> None:
    """Clean up after builds that were killed: remove their staging folders, and if one was killed between
    the two renames of the swap (the published folder moved aside, the new one not yet in place), put the
    previous site back. Folders of builds still running (their process exists) are left alone."""
    if not target.parent.is_dir():
        return
    for kind in ("cu", "dang-dung", "xoa"):
        prefix = f".{target.name}.{kind}-"
        for leftover in sorted(target.parent.glob(prefix + "*")):
            pid = leftover.name[len(prefix):].split("-")[0]
            if not pid.isdigit() or int(pid) == os.getpid() or _running(int(pid)):
                continue
            if kind == "cu" and not target.exists():
                leftover.rename(target)
            elif kind == "xoa":  # its deleting process may still be at work; do not wait for it either
                _delete_in_background(leftover)
            else:
                shutil.rmtree(leftover, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True

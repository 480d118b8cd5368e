"""Benchmark the full site build on N synthetic profiles, beside a bare MkDocs + Material build of the
same profiles (no plugin: each profile a plain page, sections-only nav) as the reference.

Run:  .venv/bin/python -m bench.build_bench [N ...]        (default: 200 2000)
Each build runs in its own process. Peak memory is given twice: the largest resident set of any one
process (getrusage of the children), and the peak of the whole process tree's proportional set size
(sampled every 0.5 s from /proc; builds fork children that share most of their memory). Output size
is the bytes written.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synth import site_project

BIN = Path(sys.executable).parent


def _folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _timed(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, the largest resident set of any one process in MB, and the peak of the whole
    process tree's proportional set size in MB (a build forks children that share memory with it, so
    adding their resident sets would count shared pages twice)."""
    # Each measurement runs in a fresh interpreter so that RUSAGE_CHILDREN covers this build only.
    probe = (
        "import os, resource, subprocess, sys, time\n"
        "def tree_pss(root):\n"
        "    children = {}\n"
        "    for entry in os.listdir('/proc'):\n"
        "        if entry.isdigit():\n"
        "            try:\n"
        "                ppid = int(open(f'/proc/{entry}/stat').read().rsplit(')', 1)[1].split()[1])\n"
        "            except (OSError, IndexError, ValueError):\n"
        "                continue\n"
        "            children.setdefault(ppid, []).append(int(entry))\n"
        "    total, todo = 0, [root]\n"
        "    while todo:\n"
        "        pid = todo.pop()\n"
        "        todo += children.get(pid, [])\n"
        "        try:\n"
        "            for line in open(f'/proc/{pid}/smaps_rollup'):\n"
        "                if line.startswith('Pss:'):\n"
        "                    total += int(line.split()[1])\n"
        "        except OSError:\n"
        "            pass\n"
        "    return total\n"
        "t = time.perf_counter()\n"
        "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)\n"
        "peak = 0\n"
        "while p.poll() is None:\n"
        "    peak = max(peak, tree_pss(p.pid))\n"
        "    time.sleep(0.5)\n"
        "err = p.stderr.read()\n"
        "w = time.perf_counter() - t\n"
        "print(p.returncode, w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, peak)\n"
        "sys.stderr.write(err[-3000:] if p.returncode else '')\n"
    )
    result = subprocess.run([sys.executable, "-c", probe, *command], cwd=cwd, capture_output=True, text=True)
    code, wall, rss_kb, pss_kb = result.stdout.split()
    if code != "0":
        raise SystemExit(f"build failed in {cwd}:\n{result.stderr}")
    return float(wall), int(rss_kb) / 1024, int(pss_kb) / 1024


def _reference_project(content: Path, folder: Path) -> Path:
    """The same profiles as plain MkDocs pages: the cost of MkDocs + Material alone."""
    docs = folder / "docs"
    shutil.copytree(content / "guong", docs / "guong")
    (docs / "index.md").write_text("# Tham chiếu\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        "site_name: Tham chiếu\nsite_url: http://127.0.0.1/\ntheme:\n  name: material\n  language: vi\n"
        "  font: false\nnav:\n  - index.md\n", encoding="utf-8")
    return folder


def run(counts: list[int]) -> None:
    print("| profiles | our build, cold photo cache | our build, warm | peak memory, largest process "
          "| peak memory, all processes | output | bare MkDocs + Material | peak memory | output "
          "| ratio (warm / bare) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for count in counts:
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp) / "project"
            content = site_project(project, count)
            cold, _, _ = _timed([str(BIN / "guong"), "build"], project)
            # A second build reuses the photo derivatives cached by content hash, as every build after
            # the first one does.
            ours, ours_mb, ours_tree_mb = _timed([str(BIN / "guong"), "build"], project)
            # The build hands its previous site to a detached process to delete: let that finish, so that
            # it does not slow the reference build down.
            while any(p.name.startswith(".site.xoa-") for p in project.iterdir()):
                time.sleep(0.5)
            reference_dir = _reference_project(content, Path(tmp) / "reference")
            bare, bare_mb, _ = _timed([str(BIN / "mkdocs"), "build", "--quiet"], reference_dir)
            print(f"| {count:,} | {cold:.1f} s | {ours:.1f} s | {ours_mb:.0f} MB | {ours_tree_mb:.0f} MB "
                  f"| {_folder_size(project / 'site') / 1e6:.0f} MB "
                  f"| {bare:.1f} s | {bare_mb:.0f} MB | {_folder_size(reference_dir / 'site') / 1e6:.0f} MB "
                  f"| {ours / bare:.2f} |", flush=True)


if __name__ == "__main__":
    run([int(arg) for arg in sys.argv[1:]] or [200, 2000])

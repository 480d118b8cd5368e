"""A plain (non-editable) install carries every sub-package and its data: the taxonomy, the page
templates and the API schemas. The suite otherwise runs on the editable install, which reads them from
the working tree and so cannot notice a file missing from the package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile

from conftest import PROJECT_ROOT, new_project


def test_a_plain_install_builds_the_site(tmp_path):
    # From a copy without what earlier installs left (build/, *.egg-info/), which setuptools would reuse.
    source = tmp_path / "source"
    shutil.copytree(PROJECT_ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", ".cache", "build", "*.egg-info", "site", ".site.*", "__pycache__", ".hypothesis"))
    wheels = tmp_path / "wheels"
    made = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels),
                           str(source)], capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, made.stderr
    (wheel,) = wheels.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for data in ("generator/danh-muc/xa.yml", "generator/portal/templates/profile.html",
                 "generator/outputs/api-schema/nhom.json", "generator/outputs/service-worker.js",
                 "generator/mkdocs_edge/plugin.py"):
        assert data in names, data
    assert not [name for name in names if "__pycache__" in name]

    installed = tmp_path / "installed"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(installed),
                           str(wheel)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    project = new_project(tmp_path / "project", samples=True)
    # Run from the project, with the installed copy first on the path: never the working tree's package.
    environment = {**os.environ, "PYTHONPATH": str(installed)}
    script = ("import sys, generator; from generator.cli import main; "
              "assert generator.__file__.startswith(sys.argv[1]), generator.__file__; sys.exit(main(['build']))")
    built = subprocess.run([sys.executable, "-c", script, str(installed)], cwd=project, env=environment,
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-3000:]
    site = project / "site"
    assert (site / "guong" / "ksor-h-blin" / "index.html").is_file()
    assert (site / "api" / "schema" / "v1" / "nhom.json").is_file()
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert "const OFFLINE = " in (site / "service-worker.js").read_text(encoding="utf-8")

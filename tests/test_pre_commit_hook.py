"""The shipped .pre-commit-hooks.yaml as another repository of profiles uses it: pre-commit itself
validates the manifest, then, with this repository (at its current commit) as the hook's source,
installs the package into its own virtualenv (`language: python`) and runs the hook on a git
repository's profiles. The install takes about ten seconds with pip's cache warm."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import PROJECT_ROOT, VALID_BODY, VALID_FRONT_MATTER

MANIFEST = PROJECT_ROOT / ".pre-commit-hooks.yaml"
BIN = Path(sys.executable).parent


def _pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run([BIN / "pre-commit", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_the_manifest_is_valid_for_pre_commit(tmp_path):
    run = _pre_commit("validate-manifest", str(MANIFEST), cwd=tmp_path, home=tmp_path / "cache")
    assert run.returncode == 0, run.stdout + run.stderr
    (hook,) = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert {key: hook[key] for key in ("id", "entry", "language", "files", "pass_filenames")} == {
        "id": "guong-check", "entry": "guong check", "language": "python", "files": r"^content/guong/.*\.md$",
        "pass_filenames": True}


def test_pre_commit_runs_guong_check_on_the_profiles(tmp_path):
    repo = tmp_path / "ho-so"
    guong = repo / "content" / "guong"
    guong.mkdir(parents=True)
    good = f"---\n{VALID_FRONT_MATTER}---\n\n{VALID_BODY}"
    (guong / "nguyen-thi-mau.md").write_text(good, encoding="utf-8")
    (guong / "ho-so-loi.md").write_text(good.replace("ten: Nguyễn Thị Mẫu", "ten: Trần Văn Mẫu")
                                        .replace("nam: 2024", 'nam: "2024"'), encoding="utf-8")
    # Not profiles: the hook's pattern leaves them to other hooks.
    (repo / "README.md").write_text("# Hồ sơ\n", encoding="utf-8")
    (repo / "content" / "gioi-thieu.md").write_text("Không phải hồ sơ\n", encoding="utf-8")
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, check=True, capture_output=True,
                            text=True).stdout.strip()
    config = {"repos": [{"repo": str(PROJECT_ROOT), "rev": commit, "hooks": [{"id": "guong-check"}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    _git("init", "-q", cwd=repo)
    _git("add", ".", cwd=repo)

    run = _pre_commit("run", "--all-files", cwd=repo, home=tmp_path / "cache")
    assert run.returncode == 1, run.stdout + run.stderr
    assert ("content/guong/ho-so-loi.md:6:1: lỗi: giá trị của 'nam' (năm) không được đặt trong ngoặc: "
            "hãy bỏ dấu ngoặc, viết nam: 2024\nĐã kiểm tra 2 tệp: 1 lỗi ở 1 tệp, 0 cảnh báo.") in run.stdout

    (guong / "ho-so-loi.md").write_text(good.replace("ten: Nguyễn Thị Mẫu", "ten: Trần Văn Mẫu"), encoding="utf-8")
    _git("add", ".", cwd=repo)
    run = _pre_commit("run", "--all-files", "--verbose", cwd=repo, home=tmp_path / "cache")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Passed" in run.stdout and "Đã kiểm tra 2 tệp: không có lỗi." in run.stdout

"""The build core works without MkDocs: another engine could drive `SiteBuild` as the plugin does, and
gets the same feeds, API files, embed pages and search index."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import PROJECT_ROOT, new_project

# Drives the build core the way an engine would, in a fresh interpreter so that nothing imported by the
# test run counts; prints what it wrote and whether MkDocs was imported.
_ENGINE = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from generator.build.site_build import BuildSettings, SiteBuild
    from generator.outputs.search_index import search_documents
    from generator.portal.site import Site

    project = Path(sys.argv[1])
    settings = BuildSettings(
        config_file=project / "mkdocs.yml", docs_dir=project / "content", site_dir=project / "site",
        site=Site("Gương sáng Ia Pa", "Gương điển hình tiên tiến, người tốt việc tốt huyện Ia Pa, tỉnh Gia Lai",
                  "http://127.0.0.1:8000/"),
        cache_dir=project / ".cache" / "guong", parallel=False)
    build = SiteBuild(settings)
    problems = []
    build.load(problems.append)
    build.start_outputs()
    documents = search_documents(build.portal, build.taxonomy, build.photos)
    pages = {url: build.body(url, "<p>Bài viết.</p>") is not None for url in build.portal.pages}
    site = build.finish()
    print(json.dumps({"site": str(site), "mkdocs": sorted(m for m in sys.modules if m.split(".")[0] == "mkdocs"),
                      "documents": len(documents), "pages": len(pages), "bodies": all(pages.values())}))
""")


def test_the_build_core_makes_every_model_output_without_mkdocs(tmp_path, built_site):
    project = new_project(tmp_path / "project", samples=True)
    done = subprocess.run([sys.executable, "-c", _ENGINE, str(project)], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["mkdocs"] == []
    site = Path(result["site"])
    assert site == project / "site" and result["bodies"] and result["pages"] > 100
    assert result["documents"] == len(list((project / ".cache" / "guong" / "tim-kiem").rglob("index.html")))
    assert (site / "pagefind" / "pagefind.js").is_file()

    # The same files as the MkDocs build of the same content (the API's "tao_luc" is when it was made).
    made = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and "pagefind" not in p.parts}
    # The offline page and the service worker list the theme's files, which only an engine copies.
    offline = {"manifest.webmanifest", "khong-co-ket-noi.html", "service-worker.js"}
    assert offline <= made
    made -= offline - {"manifest.webmanifest"}
    assert made and all(path.startswith(("api/", "nhung/")) or path.endswith(("feed.xml", "feed.json"))
                        or path == "manifest.webmanifest" for path in made)
    for path in sorted(made):
        ours, theirs = (site / path).read_bytes(), (built_site / path).read_bytes()
        if path.startswith("api/") and not path.startswith("api/schema/"):
            ours, theirs = (json.loads(data) | {"tao_luc": None} for data in (ours, theirs))
        assert ours == theirs, path

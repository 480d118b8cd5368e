"""The workbench's HTTP server: the editor page, Decap's files, the portal's stylesheets for the preview,
and Decap's local-backend protocol (`POST /api/v1` with `{action, params}`, as decap-server implements
it) over content/.

Safe on a shared office PC: it listens on 127.0.0.1 only; every request must name this server in `Host`
(a rebinding DNS name does not), every POST must come from this server's own page (`Origin`), bodies
are capped, and every path stays inside content/.
"""

from __future__ import annotations

import base64
import binascii
import json
import mimetypes
import re
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from generator.atomic_files import write_atomically
from generator.content.fields import PHOTO_EXTENSIONS
from generator.content.problems import Severity
from generator.content.taxonomy import Taxonomy
from generator.content.text import slugify
from generator.workbench import decap_bundle
from generator.workbench.decap_config import MEDIA_FOLDER, decap_config
from generator.workbench.media_library import MediaLibrary, version_id
from generator.workbench.photo_upload import PhotoRefused, free_name, prepare_photo
from generator.workbench.preview import PHOTO_ROUTE, ProfilePreview
from generator.workbench.profile_files import (
    CONTENT,
    PathRefused,
    ProfileFiles,
    safe_path,
)

MAX_REQUEST_BYTES = 8 * 1024 * 1024
"""A photo (at most 5 MB) in base64 inside JSON, with room to spare; anything larger is refused unread."""
STATIC = Path(__file__).parent / "static"
_ASSET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_PHOTO_SUFFIXES = tuple(PHOTO_EXTENSIONS)

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self' 'unsafe-eval'", "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:", "font-src 'self' data:", "connect-src 'self' blob:", "frame-src 'self' blob:",
    "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
])
"""Decap styles itself with inline styles (emotion) and the preview pane is a same-origin frame; nothing
else is allowed, so no script, style, font or request can reach another host."""


class Refused(Exception):
    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


class Workbench:
    """What the handler serves, for one content folder."""

    def __init__(self, content_root: Path, taxonomy: Taxonomy, *, project_root: Path, port: int) -> None:
        self.content_root = content_root
        self.taxonomy = taxonomy
        self.port = port
        self.files = ProfileFiles(content_root, taxonomy)
        self.media = MediaLibrary(content_root / "anh", MEDIA_FOLDER, project_root / ".cache" / "guong")
        self.preview = ProfilePreview(taxonomy, content_root, project_root / "mkdocs.yml",
                                      project_root / "theme_overrides")
        self.theme_assets = project_root / "theme_overrides" / "assets"
        self.decap_dir = decap_bundle.bundle_dir()
        self.lock = threading.Lock()
        """One write at a time: two tabs saving the same profile must not interleave."""

    @property
    def allowed_hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}

    @property
    def allowed_origins(self) -> set[str]:
        return {f"http://{host}" for host in self.allowed_hosts}

    def warm(self) -> None:
        """Read the profiles and make the photos' previews while the browser loads Decap (about a
        second), so that the first list and the first profile do not wait for them."""
        self.files.entries()
        self.media.warm()

    def config(self) -> dict[str, Any]:
        return decap_config(self.taxonomy, proxy_url=f"http://127.0.0.1:{self.port}/api/v1")

    # ---- Decap's local-backend protocol ----------------------------------------------------------
    def action(self, action: str, params: dict[str, Any]) -> Any:
        if action == "info":
            return {"repo": self.content_root.resolve().parent.name, "publish_modes": ["simple"], "type": "local_fs"}
        if action == "entriesByFolder":
            return self.files.entries()
        if action == "entriesByFiles":
            return [self.files.entry(str(item.get("path"))) for item in params.get("files") or []]
        if action == "getEntry":
            return self.files.entry(str(params.get("path")))
        if action == "persistEntry":
            return self._persist_entry(params)
        if action == "getMedia":
            return self.media.listing()
        if action == "getMediaFile":
            return self._media_file(str(params.get("path")))
        if action == "persistMedia":
            return self._persist_media(params.get("asset") or {})
        if action in ("deleteFile", "deleteFiles"):
            # Profiles are retired with `trang_thai`, not deleted; a deleted photo breaks the profiles that use it.
            raise Refused(HTTPStatus.FORBIDDEN, "trình soạn thảo không xóa tệp; hãy đổi trạng thái hồ sơ hoặc "
                                                "nhờ quản trị viên xóa")
        if action == "getDeployPreview":
            return None
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"Unknown action {action}")

    def _persist_entry(self, params: dict[str, Any]) -> Any:
        data_files = params.get("dataFiles") or ([params["entry"]] if params.get("entry") else [])
        if len(data_files) != 1:
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, "mỗi lần lưu một hồ sơ")
        data_file = data_files[0]
        relative = str(data_file.get("newPath") or data_file.get("path"))
        try:
            data = json.loads(data_file.get("raw") or "")
        except (TypeError, ValueError):
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, "dữ liệu hồ sơ gửi lên không đọc được") from None
        if not isinstance(data, dict):
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, "dữ liệu hồ sơ gửi lên không đọc được")
        for asset in params.get("assets") or []:
            self._persist_media(asset)
        new_entry = bool((params.get("options") or {}).get("newEntry"))
        if data_file.get("newPath"):
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, "không đổi được tên tệp của hồ sơ đã có")
        with self.lock:
            result = self.files.save(relative, data, new_entry=new_entry)
        if not result.written:
            errors = [p.format() for p in result.problems if p.severity is Severity.ERROR]
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY,
                          f"Chưa lưu: hồ sơ còn {len(errors)} lỗi (xem khung bên phải).\n" + "\n".join(errors))
        return {"message": "entry persisted", "canhBao": [p.format() for p in result.problems]}

    def _media_path(self, relative: str) -> Path:
        return safe_path(self.content_root, relative, folder="anh", suffixes=_PHOTO_SUFFIXES)

    def _media_file(self, relative: str) -> dict[str, Any]:
        path = self._media_path(relative)
        try:
            data = path.read_bytes()
            identity = version_id(path)
        except OSError:
            raise Refused(HTTPStatus.NOT_FOUND, f"không có ảnh '{relative}'") from None
        return {"id": identity, "content": base64.b64encode(data).decode(), "encoding": "base64",
                "path": relative, "name": path.name}

    def _persist_media(self, asset: dict[str, Any]) -> dict[str, Any]:
        relative = str(asset.get("path") or "")
        name = relative.rsplit("/", 1)[-1]
        try:
            data = base64.b64decode(str(asset.get("content") or ""), validate=True)
        except (binascii.Error, ValueError):
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"ảnh '{name}' gửi lên không đọc được") from None
        try:
            photo = prepare_photo(name, data)
        except PhotoRefused as refused:
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, str(refused)) from None
        with self.lock:
            folder = self.content_root / "anh"
            stored = free_name(folder, photo.name, photo.data)
            target = self._media_path(f"{MEDIA_FOLDER}/{stored}")
            write_atomically(target, photo.data, durable=True)
        return self._media_file(f"{MEDIA_FOLDER}/{stored}")

    # ---- the preview pane --------------------------------------------------------------------------
    def check(self, params: dict[str, Any]) -> dict[str, Any]:
        """What the preview pane shows while the editor types: the messages of `guong check` for the
        file the form would write, and the page as the portal shows it once there is no error."""
        data = params.get("data")
        if not isinstance(data, dict):
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, "dữ liệu hồ sơ gửi lên không đọc được")
        relative = str(params.get("path") or "")
        if params.get("newEntry") or not relative:
            # Decap names a new file when it is saved: from its name, by the slug rule.
            relative = f"{CONTENT}/guong/{slugify(str(data.get('ten') or '')) or 'ho-so-moi'}.md"
        result = self.files.check(relative, data, new_entry=bool(params.get("newEntry")))
        file_problems = [str(line) for line in data.get("_loi_tep") or []]
        html = self.preview.html(result.profile) if result.profile is not None else ""
        return {"problems": file_problems + [p.format() for p in result.problems],
                "errors": len(file_problems) + len(result.errors), "html": html}


class _Handler(BaseHTTPRequestHandler):
    workbench: Workbench
    server_version = "guong-soan"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # the terminal is not where editors look
        pass

    # ---- guards -----------------------------------------------------------------------------------
    def _host_allowed(self) -> bool:
        return self.headers.get("Host", "") in self.workbench.allowed_hosts

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, *, cache: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600" if cache else "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: HTTPStatus, value: Any) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._json(status, {"error": message})

    # ---- GET ----------------------------------------------------------------------------------------
    def do_GET(self) -> None:
        if not self._host_allowed():
            return self._error(HTTPStatus.MISDIRECTED_REQUEST, "Host không hợp lệ")
        path = self.path.split("?", 1)[0]
        if path == "/":
            return self._file(STATIC / "index.html")
        if path == "/favicon.ico":
            return self._file(self.workbench.theme_assets / "guong-og.png", cache=True)
        if path == "/cau-hinh.json":
            return self._json(HTTPStatus.OK, self.workbench.config())
        if path == "/portal/material.css":
            return self._file(_material_stylesheet(), cache=True)
        for prefix, folder in (("/decap/", self.workbench.decap_dir), ("/soan/", STATIC),
                               ("/portal/", self.workbench.theme_assets), ("/portal/fonts/",
                                                                           self.workbench.theme_assets / "fonts")):
            name = path[len(prefix):]
            if path.startswith(prefix) and _ASSET_NAME.match(name):
                return self._file(folder / name, cache=prefix != "/soan/")
        if path.startswith("/" + PHOTO_ROUTE):
            try:
                photo = self.workbench._media_path(f"{MEDIA_FOLDER}/{path[len(PHOTO_ROUTE) + 1:]}")
            except PathRefused:
                return self._error(HTTPStatus.NOT_FOUND, "không có ảnh này")
            return self._file(photo)
        self._error(HTTPStatus.NOT_FOUND, "không có trang này")

    do_HEAD = do_GET

    def _file(self, path: Path, *, cache: bool = False) -> None:
        try:
            body = path.read_bytes()
        except OSError:
            return self._error(HTTPStatus.NOT_FOUND, "không có tệp này")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/javascript", "text/javascript"):
            content_type += "; charset=utf-8"
        self._send(HTTPStatus.OK, body, content_type, cache=cache)

    # ---- POST ---------------------------------------------------------------------------------------
    def do_POST(self) -> None:
        if not self._host_allowed():
            return self._error(HTTPStatus.MISDIRECTED_REQUEST, "Host không hợp lệ")
        if self.headers.get("Origin", "") not in self.workbench.allowed_origins:
            return self._error(HTTPStatus.FORBIDDEN, "yêu cầu không đến từ trang soạn thảo này")
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            return self._error(HTTPStatus.LENGTH_REQUIRED, "thiếu Content-Length")
        if length < 0 or length > MAX_REQUEST_BYTES:
            self.close_connection = True
            return self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                               f"dữ liệu gửi lên quá lớn (tối đa {MAX_REQUEST_BYTES // 1024 // 1024} MB)")
        try:
            request = json.loads(self.rfile.read(length) or b"null")
        except ValueError:
            return self._error(HTTPStatus.BAD_REQUEST, "dữ liệu gửi lên không phải JSON")
        if not isinstance(request, dict):
            return self._error(HTTPStatus.BAD_REQUEST, "dữ liệu gửi lên không phải JSON")
        params: dict[str, Any] = request["params"] if isinstance(request.get("params"), dict) else {}
        path = self.path.split("?", 1)[0]
        try:
            if path == "/api/v1":
                result = self.workbench.action(str(request.get("action")), params)
            elif path == "/api/kiem-tra":
                result = self.workbench.check(params)
            else:
                return self._error(HTTPStatus.NOT_FOUND, "không có trang này")
        except PathRefused as refused:
            return self._error(HTTPStatus.FORBIDDEN, str(refused))
        except Refused as refused:
            return self._error(refused.status, str(refused))
        except OSError as error:
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"không ghi được tệp ({error.strerror or error})")
        self._json(HTTPStatus.OK, result)


def _material_stylesheet() -> Path:
    """Material for MkDocs' own stylesheet, which the portal's pages are laid out with."""
    import material

    folder = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    return next(iter(sorted(folder.glob("main.*.min.css"))), folder / "main.css")


def make_server(workbench: Workbench, port: int) -> ThreadingHTTPServer:
    handler = type("Handler", (_Handler,), {"workbench": workbench})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    return server


def serve(content_root: Path, taxonomy: Taxonomy, *, project_root: Path, port: int,
          open_browser: bool) -> int:
    """`guong soan`: runs until Ctrl+C."""
    if not decap_bundle.is_installed():
        print(f"lỗi: chưa có trình soạn thảo Decap CMS ({decap_bundle.bundle_dir()}); chạy scripts/setup.sh "
              "để cài", file=sys.stderr)
        return 2
    try:
        server = make_server(Workbench(content_root, taxonomy, project_root=project_root, port=port), port)
    except OSError as error:
        print(f"lỗi: không mở được cổng {port} ({error.strerror or error}); có thể trình soạn thảo đang chạy ở "
              f"cửa sổ khác, hoặc dùng --port với số khác", file=sys.stderr)
        return 2
    actual = server.server_address[1]
    workbench = server.RequestHandlerClass.workbench  # type: ignore[attr-defined]
    workbench.port = actual
    threading.Thread(target=workbench.warm, name="doc-truoc", daemon=True).start()
    url = f"http://127.0.0.1:{actual}/"
    print(f"Trình soạn thảo hồ sơ: {url}  (đóng cửa sổ này hoặc nhấn Ctrl+C để dừng)", flush=True)
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0

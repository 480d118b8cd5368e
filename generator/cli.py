"""The ``guong`` command: check, new, nhap (import a Word report), soan (the editors' workbench), stats,
schema, build and ky-yeu (a yearbook PDF). Messages are Vietnamese; exit codes are for tools: 0 valid
(warnings allowed), 1 problems found, 2 usage error."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from generator.content.collection import PROFILE_FOLDER, load_collection, profile_files_by_root
from generator.content.fields import FIRST_YEAR
from generator.content.problems import Problem, Severity, problems_to_json, summary_line
from generator.content.reader import read_source
from generator.content.scaffold import new_profile_text
from generator.content.schema import front_matter_schema
from generator.content.taxonomy import KINDS, Taxonomy, TaxonomyError, load_taxonomy
from generator.content.text import slugify
from generator.content.validate import ProfileChecker, suggest
from generator.portal.quotas import STATUS_LABELS, counted_profiles, quota_table

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's own messages are English; say where help is
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"lỗi cách dùng: {message}\nXem hướng dẫn: {self.prog} --help\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="guong", description="Công cụ hồ sơ gương điển hình tiên tiến huyện Ia Pa.")
    parser.add_argument("--danh-muc", type=Path, metavar="THƯ_MỤC",
                        help="thư mục danh mục (mặc định: generator/danh-muc của chương trình)")
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser)

    check = commands.add_parser("check", help="kiểm tra hồ sơ", description="Kiểm tra mọi hồ sơ và in các lỗi.")
    check.add_argument("paths", nargs="*", type=Path, metavar="ĐƯỜNG_DẪN",
                       help="thư mục content/, thư mục guong/ hoặc tệp hồ sơ, một hay nhiều (mặc định: content)")
    check.add_argument("--format", choices=["text", "json"], default="text", help="dạng kết quả")

    new = commands.add_parser("new", help="tạo hồ sơ mới", description="Tạo tệp hồ sơ mới với các mục gợi ý.")
    new.add_argument("--ten", help="tên người, tập thể hoặc hộ gia đình")
    new.add_argument("--loai", help=f"loại: {', '.join(KINDS)}")
    new.add_argument("--linh-vuc", help="slug lĩnh vực, ví dụ giao-duc-dao-tao")
    new.add_argument("--xa", help="slug xã, ví dụ ia-tul")
    new.add_argument("--don-vi", help="slug cơ quan, đơn vị, ví dụ cong-an-huyen")
    new.add_argument("--nam", type=int, help="năm được lựa chọn (mặc định: năm nay)")
    new.add_argument("--slug", help="tên tệp (mặc định: tạo từ tên)")
    new.add_argument("--thu-muc", type=Path, default=Path("content"), help="thư mục content/ (mặc định: content)")

    nhap = commands.add_parser("nhap", help="nhập báo cáo thành tích (Word .docx) thành bản nháp",
                               description="Đọc báo cáo thành tích (.docx) và tạo hồ sơ nháp trong content/guong/. "
                                           "Không chép thông tin cá nhân của mục I (ngày sinh, dân tộc, tôn giáo, "
                                           "quê quán, địa chỉ, số CMND/CCCD, Đảng, đoàn thể).")
    nhap.add_argument("files", nargs="+", type=Path, metavar="TỆP.docx", help="một hoặc nhiều báo cáo .docx")
    nhap.add_argument("--loai", help=f"loại: {', '.join(KINDS)} (mặc định: theo mẫu báo cáo)")
    nhap.add_argument("--linh-vuc", help="slug lĩnh vực, ví dụ giao-duc-dao-tao")
    nhap.add_argument("--xa", help="slug xã (mặc định: theo báo cáo)")
    nhap.add_argument("--don-vi", help="slug cơ quan, đơn vị (mặc định: theo báo cáo)")
    nhap.add_argument("--nam", type=int, help="năm được lựa chọn (mặc định: năm của báo cáo)")
    nhap.add_argument("--slug", help="tên tệp hồ sơ (chỉ khi nhập một tệp; mặc định: tạo từ tên)")
    nhap.add_argument("--thu-muc", type=Path, default=Path("content"), help="thư mục content/ (mặc định: content)")

    stats = commands.add_parser("stats", help="thống kê theo chỉ tiêu kế hoạch",
                                description="Số hồ sơ mỗi xã, mỗi đơn vị so với chỉ tiêu, theo giai đoạn.")
    stats.add_argument("path", nargs="?", type=Path, default=Path("content"), metavar="ĐƯỜNG_DẪN")
    stats.add_argument("--format", choices=["text", "json"], default="text")

    build = commands.add_parser("build", help="dựng trang web từ content/",
                                description="Dựng trang vào thư mục tạm rồi mới thay thế bản đã xuất bản.")
    build.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="tệp cấu hình (mặc định: mkdocs.yml)")
    build.add_argument("--site-dir", type=Path, help="thư mục kết quả (mặc định: site_dir trong cấu hình)")
    build.add_argument("--no-strict", action="store_true", help="không dừng khi MkDocs cảnh báo")

    book = commands.add_parser("ky-yeu", help="in kỷ yếu (PDF) của một xã, lĩnh vực, đơn vị hoặc năm",
                               description="Tạo kỷ yếu PDF (khổ A4) gồm mọi hồ sơ đã xuất bản của một danh sách, "
                                           "theo thứ tự của trang danh sách; xã mới gồm cả các xã cũ đã sáp nhập.")
    book.add_argument("--xa", metavar="SLUG", help="slug xã, ví dụ ia-tul (hoặc cap-huyen)")
    book.add_argument("--linh-vuc", metavar="SLUG", help="slug lĩnh vực, ví dụ giao-duc-dao-tao")
    book.add_argument("--don-vi", metavar="SLUG", help="slug cơ quan, đơn vị, ví dụ cong-an-huyen")
    book.add_argument("--nam", metavar="NĂM", help="năm được lựa chọn, ví dụ 2024")
    book.add_argument("--output", type=Path, metavar="TỆP.pdf",
                      help="tệp PDF sẽ ghi (mặc định: ky-yeu-<loại>-<slug>.pdf trong thư mục hiện tại)")
    book.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="tệp cấu hình (mặc định: mkdocs.yml)")

    soan = commands.add_parser("soan", help="mở trình soạn thảo hồ sơ trong trình duyệt",
                               description="Trình soạn thảo hồ sơ (Decap CMS) tại http://127.0.0.1:CỔNG/; mỗi lần "
                                           "lưu được kiểm tra như 'guong check', hồ sơ còn lỗi không được ghi.")
    soan.add_argument("path", nargs="?", type=Path, default=Path("content"), metavar="ĐƯỜNG_DẪN",
                      help="thư mục content/ (mặc định: content)")
    soan.add_argument("--port", type=int, default=8010, help="cổng (mặc định: 8010; 0 = cổng trống bất kỳ)")
    soan.add_argument("--no-browser", action="store_true", help="không tự mở trình duyệt")
    soan.add_argument("--cau-hinh-git", metavar="CHỦ/KHO",
                      help="chỉ in cấu hình Decap cho văn phòng nhiều người soạn qua GitHub (kho CHỦ/KHO), rồi thoát")

    schema = commands.add_parser("schema", help="in JSON Schema của phần khai báo")
    schema.add_argument("--output", type=Path, help="ghi ra tệp thay vì in ra màn hình")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_output()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    try:
        taxonomy = load_taxonomy(args.danh_muc)
        handler = {"check": _check, "new": _new, "nhap": _nhap, "stats": _stats, "schema": _schema,
                   "build": _build, "ky-yeu": _ky_yeu, "soan": _soan}[args.command]
        return handler(args, taxonomy)
    except TaxonomyError as error:
        print(f"lỗi danh mục: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except UsageError as error:
        print(f"lỗi cách dùng: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` or similar, which stopped reading
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:  # a bug, not bad content: short message unless asked for details
        if os.environ.get("GUONG_DEBUG"):
            traceback.print_exc()
        print(f"lỗi nội bộ của chương trình (không phải lỗi nội dung): {type(error).__name__}: {error}\n"
              "Hãy báo cho nhóm kỹ thuật; chạy lại với GUONG_DEBUG=1 để xem chi tiết.", file=sys.stderr)
        return EXIT_INTERNAL


def _utf8_output() -> None:
    """Windows consoles and redirected output may default to a code page that has no Vietnamese."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


def _soan(args: argparse.Namespace, taxonomy: Taxonomy) -> int:
    if args.cau_hinh_git:
        import yaml

        from generator.workbench.decap_config import git_host_config

        config = git_host_config(taxonomy, repo=args.cau_hinh_git)
        print(yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000), end="")
        return EXIT_OK
    from generator.workbench.server import serve

    content = _existing(args.path)
    if not (content / PROFILE_FOLDER).is_dir():
        raise UsageError(f"'{content}' không phải thư mục content/ (không có thư mục {PROFILE_FOLDER}/ bên trong)")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"cổng {args.port} không hợp lệ (0–65535)")
    return serve(content, taxonomy, project_root=content.resolve().parent, port=args.port,
                 open_browser=not args.no_browser)


def _existing(path: Path) -> Path:
    if not path.exists():
        raise UsageError(f"không tìm thấy '{path}'")
    return path


def _check(args: argparse.Namespace, taxonomy: Taxonomy) -> int:
    targets = [_existing(path) for path in args.paths or [Path("content")]]
    problems: list[Problem] = []
    file_count = 0
    # Files of one content root are checked together (the rules across files need them side by side);
    # pre-commit passes the changed files, possibly of several sites.
    for files in profile_files_by_root(targets).values():
        if files:
            collection = load_collection(files, taxonomy, keep_profiles=False)  # only the problems are printed
            problems.extend(collection.problems)
            file_count += collection.file_count
    problems.sort(key=lambda p: (p.path, p.line, p.column))
    if args.format == "json":
        print(problems_to_json(problems, file_count))
    else:
        for problem in problems:
            print(problem.format())
        print(summary_line(problems, file_count))
    return EXIT_PROBLEMS if any(p.severity is Severity.ERROR for p in problems) else EXIT_OK


def _ask(value: str | None, prompt: str, option: str) -> str:
    if value:
        return value.strip()
    if not sys.stdin.isatty():
        raise UsageError(f"thiếu {option}")
    answer = input(f"{prompt}: ").strip()
    if not answer:
        raise UsageError(f"thiếu {option}")
    return answer


def _choose(value: str, valid: set[str], label: str, checker: ProfileChecker, choices: str) -> str:
    if value in valid:
        return value
    guess = suggest(value, checker.choice_lookup[choices])
    hint = f"; có phải '{guess}'?" if guess else f"; chọn một trong: {', '.join(sorted(valid))}"
    raise UsageError(f"{label} '{value}' không có{hint}")


def _new(args: argparse.Namespace, taxonomy: Taxonomy) -> int:
    checker = ProfileChecker(taxonomy, args.thu_muc, dt.date.today())
    name = _ask(args.ten, "Tên (người, tập thể hoặc hộ gia đình)", "--ten")
    kind = _choose(_ask(args.loai, f"Loại ({', '.join(KINDS)})", "--loai"), set(KINDS), "loại", checker, "kinds")
    field = _choose(_ask(args.linh_vuc, "Lĩnh vực (slug)", "--linh-vuc"), set(taxonomy.fields), "lĩnh vực", checker,
                    "fields")
    if kind not in taxonomy.fields[field].kinds:
        raise UsageError(f"lĩnh vực '{field}' không nhận loại '{kind}'; "
                         f"chỉ nhận: {', '.join(taxonomy.fields[field].kinds)}")
    commune, unit = args.xa, args.don_vi
    if not commune and not unit:
        commune = _ask(None, "Xã (slug; để trống nếu là đơn vị)", "--xa hoặc --don-vi") if sys.stdin.isatty() else None
        if not commune:
            raise UsageError("cần --xa hoặc --don-vi")
    if commune:
        commune = _choose(commune, set(taxonomy.communes), "xã", checker, "communes")
    if unit:
        unit = _choose(unit, set(taxonomy.units), "đơn vị", checker, "units")
    year = args.nam or dt.date.today().year
    slug = slugify(args.slug or name)
    if not slug:
        raise UsageError("không tạo được tên tệp từ tên đã nhập; hãy ghi --slug")
    folder = args.thu_muc / PROFILE_FOLDER
    path = folder / f"{slug}.md"
    if path.exists():
        print(f"lỗi: đã có tệp {path.as_posix()}; không ghi đè. Hãy chọn tên tệp khác bằng --slug.", file=sys.stderr)
        return EXIT_PROBLEMS
    folder.mkdir(parents=True, exist_ok=True)
    text = new_profile_text(name=name, kind=kind, field=field, commune=commune, unit=unit, year=year, slug=slug)
    with open(path, "x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    print(f"Đã tạo {path.as_posix()}. Hãy viết bài, rồi chạy: guong check {path.as_posix()}")
    return EXIT_OK


def _nhap(args: argparse.Namespace, taxonomy: Taxonomy) -> int:
    from generator.content.word_import import ReportError  # python-docx is loaded only by this command

    today = dt.date.today()
    checker = ProfileChecker(taxonomy, args.thu_muc, today)
    kind = _choose(args.loai.strip(), set(KINDS), "loại", checker, "kinds") if args.loai else None
    field = (_choose(args.linh_vuc.strip(), set(taxonomy.fields), "lĩnh vực", checker, "fields")
             if args.linh_vuc else None)
    if kind and field and kind not in taxonomy.fields[field].kinds:
        raise UsageError(f"lĩnh vực '{field}' không nhận loại '{kind}'; "
                         f"chỉ nhận: {', '.join(taxonomy.fields[field].kinds)}")
    if args.xa and args.don_vi:
        raise UsageError("chỉ ghi một trong hai: --xa hoặc --don-vi")
    commune = _choose(args.xa.strip(), set(taxonomy.communes), "xã", checker, "communes") if args.xa else None
    unit = _choose(args.don_vi.strip(), set(taxonomy.units), "đơn vị", checker, "units") if args.don_vi else None
    if args.nam is not None and not FIRST_YEAR <= args.nam <= today.year + 1:
        raise UsageError(f"năm {args.nam} không hợp lệ; phải từ {FIRST_YEAR} đến {today.year + 1}")
    if args.slug and len(args.files) > 1:
        raise UsageError("--slug chỉ dùng khi nhập một tệp")
    given = _Given(kind, field, commune, unit, args.nam, slugify(args.slug) if args.slug else None)
    failed = 0
    for path in args.files:
        try:
            _import_report(path, given, args.thu_muc, taxonomy, checker)
        except ReportError as error:
            print(f"lỗi: {path.as_posix()}: {error}. Chưa ghi tệp nào.", file=sys.stderr)
            failed += 1
    return EXIT_PROBLEMS if failed else EXIT_OK


@dataclass(frozen=True)
class _Given:
    """What the editor gave on the command line; it wins over what the report says."""

    kind: str | None
    field: str | None
    commune: str | None
    unit: str | None
    year: int | None
    slug: str | None


def _free_name(folder: Path, stem: str, extension: str) -> str:
    """`stem` + `extension` if no such file exists in `folder`, else the first free `stem-2`, `stem-3`, …"""
    name, number = stem, 1
    while (folder / f"{name}{extension}").exists():
        number += 1
        name = f"{stem}-{number}"
    return name


def _import_report(path: Path, given: _Given, content: Path, taxonomy: Taxonomy, checker: ProfileChecker) -> None:
    from generator.content.word_import import DraftChoices, ReportError, draft_text, encoding_label, read_report

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReportError("không tìm thấy tệp") from None
    except OSError:
        raise ReportError("không đọc được tệp (là thư mục, hoặc không có quyền đọc)") from None
    report = read_report(data, taxonomy, checker.today)
    kind = given.kind or report.kind
    field = given.field or _ask_later("Lĩnh vực (slug; Enter để điền sau)", taxonomy, checker, "fields")
    if given.commune or given.unit:
        commune, unit = given.commune, given.unit
    else:
        commune, unit = report.commune, report.unit
    year = given.year or report.year
    slug = given.slug or slugify(report.name or "") or slugify(path.stem)
    folder = content / PROFILE_FOLDER
    target = folder / f"{slug}.md"
    if target.exists():
        raise ReportError(f"đã có tệp {target.as_posix()}; không ghi đè. Nếu đây là người hoặc tập thể khác, nhập "
                          f"lại với --slug {_free_name(folder, slug, '.md')}; nếu là cùng một gương, hãy sửa hồ sơ "
                          "đã có")
    photo_path: Path | None = None
    photo_value = None
    if report.photo is not None:
        photos = content / "anh"
        photo_name = _free_name(photos, slug, report.photo.extension) + report.photo.extension
        photo_path, photo_value = photos / photo_name, f"anh/{photo_name}"
    choices = DraftChoices(report.name, kind, field, commune, unit, year, photo_value)
    text = draft_text(report, choices)
    folder.mkdir(parents=True, exist_ok=True)
    if photo_path is not None and report.photo is not None:
        photo_path.parent.mkdir(parents=True, exist_ok=True)
        with open(photo_path, "xb") as handle:
            handle.write(report.photo.data)
    try:
        with open(target, "x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite, even in a race
            handle.write(text)
    except FileExistsError:
        if photo_path is not None:
            photo_path.unlink()
        raise ReportError(f"đã có tệp {target.as_posix()}; không ghi đè") from None

    shown = target.as_posix()
    print(f"Đã tạo bản nháp {shown} từ {path.name}.")
    filled = [label for label, value in (("tên", report.name), ("loại", kind), ("lĩnh vực", field),
                                         ("xã", commune), ("đơn vị", unit), ("chức vụ", report.role),
                                         ("năm", year), ("tóm tắt", report.summary)) if value]
    filled.append("bài viết (từ mục II)")
    if report.commendations:
        filled.append(f"{len(report.commendations)} mục khen thưởng")
    if photo_path is not None:
        filled.append(f"ảnh {photo_path.as_posix()}")
    print(f"  Đã điền: {', '.join(filled)}.")
    if report.left_out:
        print(f"  Không chép thông tin cá nhân của mục I (bảo vệ dữ liệu cá nhân): {'; '.join(report.left_out)}.")
    if report.dropped_sentences:
        print(f"  Đã bỏ {report.dropped_sentences} câu ở mục II vì nhắc lại thông tin cá nhân hoặc số CMND/CCCD.")
    for encoding, count in sorted(report.converted.items()):
        print(f"  Đã chuyển {count} đoạn từ bảng mã {encoding_label(encoding)} sang Unicode; hãy đọc lại các "
              "đoạn đó.")
    if not report.has_awards_section:
        print("  Báo cáo không có mục III (các hình thức đã được khen thưởng): chưa có 'khen_thuong'.")
    if report.unmatched:
        print(f"  Còn {len(report.unmatched)} mục khen thưởng chưa ghi được (để dạng chú thích '#' trong tệp): "
              f"{'; '.join(problem for _, problem in report.unmatched)}.")
    for note in report.notes:
        print(f"  Lưu ý: {note}.")
    missing = [label for label, value in (
        ("tên", report.name), ("loại (--loai)", kind), ("lĩnh vực (--linh-vuc)", field),
        ("xã hoặc đơn vị (--xa hoặc --don-vi)", commune or unit), ("năm (--nam)", year),
        ("tóm tắt", report.summary)) if not value]
    if missing:
        print(f"  Chưa tìm thấy (bắt buộc, hãy điền trong tệp hoặc nhập lại với tùy chọn): {', '.join(missing)}.")
    document, problems = read_source(target, shown)
    if document is not None:
        problems += checker.check(document)[1]
    errors = [p for p in problems if p.severity is Severity.ERROR]
    warnings = len(problems) - len(errors)
    seen = f" và {warnings} cảnh báo (chạy guong check {shown} để xem)" if warnings else ""
    if errors:
        print(f"  guong check: {len(errors)} lỗi{seen}, cần sửa trước khi chuyển trạng thái:")
        for problem in errors:
            print(f"    {problem.format()}")
    else:
        print(f"  guong check: không có lỗi{seen}.")
    print("  Việc còn lại: đọc lại bài và tóm tắt so với báo cáo; thêm ngày đồng ý công khai (hồ sơ cá nhân, hộ "
          "gia đình) trước khi xuất bản.")


def _ask_later(prompt: str, taxonomy: Taxonomy, checker: ProfileChecker, choices: str) -> str | None:
    """In a terminal, ask for a value the report cannot give; an empty answer leaves it to fill in later."""
    if not sys.stdin.isatty():
        return None
    answer = input(f"{prompt}: ").strip()
    if not answer:
        return None
    return _choose(answer, set(taxonomy.fields), "lĩnh vực", checker, choices)


def _stats(args: argparse.Namespace, taxonomy: Taxonomy) -> int:
    collection = load_collection(_existing(args.path), taxonomy)
    tables = quota_table(counted_profiles(collection.profiles), taxonomy)
    if args.format == "json":
        print(json.dumps([
            {"giai_doan": t.period.slug, "ten": t.period.name, "tong": t.total,
             "xa": [_row_json(r) for r in t.communes], "don_vi": [_row_json(r) for r in t.units]}
            for t in tables
        ], ensure_ascii=False, indent=2))
    else:
        print("Số mô hình, gương điển hình so với chỉ tiêu Kế hoạch 105/KH-UBND (mục III.1)")
        print("Tính các hồ sơ chờ duyệt và đã xuất bản (không tính bản nháp).")
        for table in tables:
            print()
            print(f"== {table.period.name}: {table.total} hồ sơ ==")
            _print_rows("Xã", table.communes)
            _print_rows("Cơ quan, đơn vị", table.units)
    if collection.errors:
        print(f"\nLưu ý: {len(collection.errors)} lỗi trong hồ sơ; các hồ sơ lỗi không được tính. "
              "Chạy 'guong check' để xem.", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def _row_json(row) -> dict:
    return {"slug": row.slug, "ten": row.name, "so_luong": row.count, "toi_thieu": row.group.minimum,
            "toi_da": row.group.maximum, "danh_gia": row.status}


def _print_rows(heading: str, rows) -> None:
    width = max([len(heading)] + [len(r.name) for r in rows])
    print(f"  {heading:<{width}}  {'Số':>3}  {'Chỉ tiêu':<8}  Đánh giá")
    for row in rows:
        flag = STATUS_LABELS[row.status]
        print(f"  {row.name:<{width}}  {row.count:>3}  {row.quota_label:<8}  {flag}")


def _build(args: argparse.Namespace, taxonomy: Taxonomy) -> int:
    from generator.mkdocs_edge.adapter import BuildFailed, build_site  # imports MkDocs: only for this command

    try:
        target = build_site(_existing(args.config), site_dir=args.site_dir, strict=not args.no_strict)
    except BuildFailed as error:
        print(f"lỗi: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Đã dựng trang vào {target.as_posix()}/")
    return EXIT_OK


def _ky_yeu(args: argparse.Namespace, taxonomy: Taxonomy) -> int:
    given = [(kind, value.strip()) for kind, value in
             (("xa", args.xa), ("linh-vuc", args.linh_vuc), ("don-vi", args.don_vi), ("nam", args.nam))
             if value is not None]
    if len(given) != 1:
        raise UsageError("cần đúng một trong --xa, --linh-vuc, --don-vi, --nam")
    kind, slug = given[0]
    if args.output is not None and not args.output.parent.is_dir():
        raise UsageError(f"không có thư mục '{args.output.parent.as_posix()}' để ghi kỷ yếu")
    # MkDocs is imported only to read mkdocs.yml (site_url, the content and theme folders).
    from generator.mkdocs_edge.adapter import BuildFailed, project_settings
    from generator.outputs.yearbook import Printer, YearbookError, find_book
    from generator.portal.fonts import FontError
    from generator.portal.pages import build_portal
    from generator.portal.photos import PhotoError, PhotoPipeline
    from generator.portal.render import BodyRenderer

    try:
        settings = project_settings(_existing(args.config))
    except BuildFailed as error:
        print(f"lỗi: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.danh_muc is None and settings.taxonomy_dir is not None:
        taxonomy = load_taxonomy(settings.taxonomy_dir)
    collection = load_collection(_existing(settings.docs_dir), taxonomy)
    if collection.errors:
        for problem in collection.errors:
            print(problem.format(), file=sys.stderr)
        print(f"lỗi: {len(collection.errors)} lỗi trong hồ sơ; hãy sửa rồi tạo lại kỷ yếu "
              "(chạy 'guong check' để xem chi tiết).", file=sys.stderr)
        return EXIT_PROBLEMS
    portal = build_portal(collection)
    try:
        book = find_book(portal.groups, kind, slug)
    except YearbookError as error:
        if error.usage:
            raise UsageError(str(error)) from None
        print(f"lỗi: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    pipeline = PhotoPipeline(settings.cache_dir)
    try:
        photos = {p.slug: pipeline.derive(settings.docs_dir / p.photo, p.slug) for p in book.profiles if p.photo}
        theme_dir = settings.theme_dir or settings.project_dir / "theme_overrides"
        printer = Printer(portal, taxonomy, settings.site, BodyRenderer(taxonomy, settings.site).env, photos,
                          theme_dir, settings.cache_dir)
        target = args.output or Path(book.file_name)
        pages = printer.write(book, target, dt.date.today())
    except (PhotoError, FontError) as error:
        print(f"lỗi: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Đã tạo kỷ yếu {target.as_posix()}: {book.group.title}, {len(book.profiles)} hồ sơ, {pages} trang.")
    return EXIT_OK


def _schema(args: argparse.Namespace, taxonomy: Taxonomy) -> int:
    text = json.dumps(front_matter_schema(taxonomy, dt.date.today().year + 1), ensure_ascii=False, indent=2)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

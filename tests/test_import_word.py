"""`guong nhap`: Word achievement reports (báo cáo thành tích) imported as draft profiles.

The reports are made here with python-docx, following the forms' structure (Nghị định 98/2023/NĐ-CP,
Phụ lục I: Mẫu 03 for an individual, Mẫu 02 for a collective). Every person, school, cooperative and
village in them is fictional, and each report says so in the first line of its section II (which becomes
the story's first paragraph); the communes are the taxonomy's.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from PIL import Image

from generator.content.encoding import _TCVN3

_TO_TCVN3 = {letter: chr(code) for code, letter in _TCVN3.items()}


def tcvn3(text: str) -> str:
    """`text` as a TCVN3 (.VnTime) run holds it: each letter's TCVN3 byte, stored as the character of that code.
    Capitals with a tone have no byte of their own: the .VnTimeH font draws the lowercase ones as capitals."""
    return "".join(_TO_TCVN3.get(ch, ch) for ch in text)


def legacy_run(paragraph, text: str, font: str = ".VnTime"):
    run = paragraph.add_run(tcvn3(text.lower() if font.endswith("H") else text))
    run.font.name = font
    run._element.rPr.rFonts.set(qn("w:hAnsi"), font)
    return run


def photo_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), (180, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def add_table(document, rows: list[list[str]]):
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    return table


def add_signature(document, name: str) -> None:
    table = add_table(document, [["XÁC NHẬN CỦA THỦ TRƯỞNG ĐƠN VỊ", "NGƯỜI BÁO CÁO THÀNH TÍCH"],
                                 ["(Ký, đóng dấu)", f"(Ký, ghi rõ họ và tên)\n{name}"]])
    del table


def add_heading_block(document, lines: list[str]) -> None:
    for line in lines:
        paragraph = document.add_paragraph(line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


# The personal facts of section I in the individual report: none may appear anywhere in the output.
PERSONAL_VALUES = ["12/05/1985", "Jrai", "Công giáo", "Sông Giả", "Bờ Giả", "064185012345", "03/02/2012",
                   "Đại học Sư phạm"]


def individual_report(path: Path, *, photo: bool = True) -> Path:
    """Mẫu 03: an individual, with a portrait, an awards table with a merged year and the signature block."""
    document = docx.Document()
    add_table(document, [["UBND XÃ IA TUL", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
                         ["TRƯỜNG TIỂU HỌC HOA MẪU", "Độc lập - Tự do - Hạnh phúc"]])
    document.add_paragraph("Ia Tul, ngày 15 tháng 3 năm 2024")
    add_heading_block(document, ["BÁO CÁO THÀNH TÍCH", "ĐỀ NGHỊ TẶNG DANH HIỆU CHIẾN SĨ THI ĐUA CƠ SỞ",
                                 "(Mẫu báo cáo này áp dụng cho cá nhân)"])
    document.add_paragraph("I. SƠ LƯỢC LÝ LỊCH")
    if photo:
        document.add_picture(io.BytesIO(photo_bytes()))
    for line in ["- Họ tên (Ghi đầy đủ bằng chữ in thường, không viết tắt): Trần Thị Thu Mẫu",
                 "- Sinh ngày, tháng, năm: 12/05/1985\tGiới tính: Nữ",
                 "- Dân tộc: Jrai\tTôn giáo: Công giáo",
                 "- Quê quán: thôn Sông Giả, xã Chư Mố, huyện Ia Pa, tỉnh Gia Lai",
                 "- Trú quán: thôn Bờ Giả, xã Ia Tul, huyện Ia Pa, tỉnh Gia Lai",
                 "- Số CCCD: 064185012345",
                 "- Đơn vị công tác: Trường Tiểu học Hoa Mẫu, xã Ia Tul",
                 "- Chức vụ (Đảng, chính quyền, đoàn thể): Giáo viên chủ nhiệm lớp 3",
                 "- Ngày vào Đảng: 03/02/2012",
                 "- Trình độ chuyên môn, nghiệp vụ: Đại học Sư phạm Tiểu học"]:
        document.add_paragraph(line)
    document.add_paragraph("II. THÀNH TÍCH ĐẠT ĐƯỢC")
    document.add_paragraph("Hồ sơ kiểm thử (hư cấu): người, trường và thôn trong báo cáo này không có thật.")
    document.add_paragraph("1. Quyền hạn, nhiệm vụ được giao: Chủ nhiệm và dạy lớp 3 có 28 học sinh, trong đó "
                           "20 em là người dân tộc thiểu số.")
    document.add_paragraph("2. Thành tích đạt được")
    document.add_paragraph("Cô mở lớp phụ đạo tiếng Việt buổi tối cho học sinh lớp 3. Cô là người Jrai nên trò "
                           "chuyện được với phụ huynh. Sau hai năm, 27/28 em đọc thông viết thạo.")
    document.add_paragraph("Tổ chức 12 buổi đọc sách ở nhà văn hóa thôn.", style="List Bullet")
    document.add_paragraph("Vận động 5 em bỏ học trở lại lớp.", style="List Bullet")
    document.add_paragraph("Kết quả học tập của lớp:")
    results = add_table(document, [["Năm học", "Sĩ số", "Hoàn thành tốt"], ["2022–2023", "28", "20"],
                                   ["2023–2024", "28", "25"], ["", "", ""]])
    results.cell(3, 0).merge(results.cell(3, 2))  # a note across the whole table: a horizontal merge
    results.cell(3, 0).text = "Hai năm liền lớp không có học sinh bỏ học"
    document.add_paragraph("III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG")
    document.add_paragraph("1. Danh hiệu thi đua:")
    add_table(document, [
        ["Năm", "Danh hiệu thi đua", "Số, ngày, tháng, năm của quyết định công nhận danh hiệu thi đua; cơ quan "
                                     "ban hành quyết định"],
        ["2022", "Lao động tiên tiến", "Quyết định số 215/QĐ-UBND ngày 12/5/2022 của UBND xã Ia Tul"],
        ["2023", "Chiến sĩ thi đua cơ sở", "Quyết định số 1320/QĐ-UBND ngày 20/6/2023 của UBND huyện Ia Pa"],
    ])
    document.add_paragraph("2. Hình thức khen thưởng:")
    table = add_table(document, [
        ["Năm", "Hình thức khen thưởng", "Số, ngày tháng năm của quyết định", "Cơ quan ban hành"],
        ["2023", "Giấy khen của Chủ tịch UBND huyện", "1415/QĐ-UBND ngày 10/7/2023", "UBND huyện Ia Pa"],
        ["", "Bằng khen của Chủ tịch UBND tỉnh", "987/QĐ-UBND ngày 2/12/2023", "UBND tỉnh Gia Lai"],
    ])
    table.cell(1, 0).merge(table.cell(2, 0))  # one year for both rows: a vertical merge
    table.cell(1, 0).text = "2023"
    add_signature(document, "Trần Thị Thu Mẫu")
    document.save(path)
    return path


def collective_report(path: Path) -> Path:
    """Mẫu 02: a collective, written partly in TCVN3 (.VnTime, .VnTimeH), with a two-row header whose cells are
    merged across and down, after the 2025 merger of communes."""
    document = docx.Document()
    add_table(document, [["UBND XÃ IA TUL", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
                         ["", "Độc lập - Tự do - Hạnh phúc"]])
    document.add_paragraph("Ia Tul, ngày 5 tháng 11 năm 2025")
    title = document.add_paragraph()
    legacy_run(title, "BÁO CÁO THÀNH TÍCH", ".VnTimeH")
    document.add_paragraph("Đề nghị tặng Giấy khen của Chủ tịch UBND xã")
    document.add_paragraph("Tên tập thể đề nghị: Tổ hợp tác Mía Mẫu Thử")
    document.add_paragraph("I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH")
    document.add_paragraph("1. Đặc điểm, tình hình: Trụ sở ở thôn Mẫu; Điện thoại: 0905123456")
    document.add_paragraph("2. Tổ chức Đảng, đoàn thể: Chi bộ ghép với thôn, 3 đảng viên.")
    document.add_paragraph("II. THÀNH TÍCH ĐẠT ĐƯỢC")
    legacy_run(document.add_paragraph(),
               "Hồ sơ kiểm thử (hư cấu): tổ hợp tác và thôn trong báo cáo này không có thật.")
    mixed = document.add_paragraph()
    legacy_run(mixed, "Năm 2024, tổ hợp tác trồng 45 ha mía, ")
    mixed.add_run("năng suất bình quân 75 tấn/ha.")
    document.add_paragraph("Cách làm", style="Heading 2")
    document.add_paragraph("Liên kết với nhà máy đường.", style="List Number")
    document.add_paragraph("Mua chung phân bón cho 32 hộ.", style="List Number")
    document.add_paragraph("III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG")
    table = add_table(document, [
        ["Năm", "Hình thức khen thưởng / Danh hiệu", "Quyết định", "", "Cơ quan ban hành"],
        ["", "", "Số", "Ngày", ""],
        ["2023", "Tập thể lao động tiên tiến", "45/QĐ-UBND", "20/12/2023", "UBND xã Ia Tul"],
        ["2024", "Giấy khen của Chủ tịch UBND huyện", "2210/QĐ-UBND", "15/01/2025", "UBND huyện Ia Pa"],
        ["", "Bằng khen", "", "", "UBND tỉnh Gia Lai"],
    ])
    table.cell(3, 0).merge(table.cell(4, 0))  # 2024 for both of the last rows
    table.cell(3, 0).text = "2024"
    for column in (0, 1, 4):  # header cells merged down over the second header row
        text = table.cell(0, column).text
        table.cell(0, column).merge(table.cell(1, column))
        table.cell(0, column).text = text
    table.cell(0, 2).merge(table.cell(0, 3))  # "Quyết định" across "Số" and "Ngày"
    table.cell(0, 2).text = "Quyết định"
    add_signature(document, "Tổ trưởng")
    document.save(path)
    return path


def short_report(path: Path) -> Path:
    """An individual report without section III, a date line or a place."""
    document = docx.Document()
    document.add_paragraph("BÁO CÁO THÀNH TÍCH")
    document.add_paragraph("I. SƠ LƯỢC LÝ LỊCH")
    document.add_paragraph("Họ và tên: KSOR H'MẪU")
    document.add_paragraph("Dân tộc: Jrai")
    document.add_paragraph("II. THÀNH TÍCH ĐẠT ĐƯỢC")
    document.add_paragraph("Hồ sơ kiểm thử (hư cấu): người trong báo cáo này không có thật. Chị giữ gìn nghề dệt "
                           "thổ cẩm và dạy cho 15 em gái trong làng.")
    document.save(path)
    return path


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (the container of .doc files) holding `streams` (each 4,096 bytes or more,
    so that all live in regular sectors)."""
    sector = 512
    data_sectors: list[tuple[str, int, int, bytes]] = []  # name, first sector, size, data
    next_sector = 2  # 0: FAT, 1: directory
    for name, body in streams.items():
        body = body.ljust(max(len(body), 4096), b"\0")
        count = -(-len(body) // sector)
        data_sectors.append((name, next_sector, len(body), body.ljust(count * sector, b"\0")))
        next_sector += count
    fat = [0xFFFFFFFD, 0xFFFFFFFE]
    for _, first, _, body in data_sectors:
        count = len(body) // sector
        fat += [first + i + 1 for i in range(count - 1)] + [0xFFFFFFFE]
    fat += [0xFFFFFFFF] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, start: int, size: int, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", 0xFFFFFFFF, right, child) + b"\0" * 36 + struct.pack("<IIQ", start, size, 0)[:8]
                + struct.pack("<I", 0))

    entries = [entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1)]
    for index, (name, first, size, _) in enumerate(data_sectors):
        right = index + 2 if index + 1 < len(data_sectors) else 0xFFFFFFFF
        entries.append(entry(name, 2, first, size, right=right))
    directory = b"".join(entries).ljust(sector, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
              + struct.pack("<I", 0) + struct.pack("<I", 0xFFFFFFFF) * 108)
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory + b"".join(d[3] for d in data_sectors)


# --- the reports ------------------------------------------------------------------------------------

INDIVIDUAL_FILE = """\
---
ten: "Trần Thị Thu Mẫu"
loai: ca-nhan
linh_vuc: giao-duc-dao-tao
xa: ia-tul
chuc_vu: "Giáo viên chủ nhiệm lớp 3"
nam: 2024
tom_tat: "Hồ sơ kiểm thử (hư cấu): người, trường và thôn trong báo cáo này không có thật. Chủ nhiệm và dạy lớp 3 có 28 học sinh, trong đó 20 em là người dân tộc thiểu số. Cô mở lớp phụ đạo tiếng Việt buổi tối cho học sinh lớp 3."
trang_thai: nhap
# Trước khi chuyển sang 'xuat-ban', hồ sơ cá nhân và hộ gia đình cần ngày nhận văn bản đồng ý công khai:
# dong_y_cong_khai: YYYY-MM-DD
khen_thuong:
  - danh_hieu: "Lao động tiên tiến"
    cap: xa
    so_quyet_dinh: "215/QĐ-UBND"
    ngay: 2022-05-12
  - danh_hieu: "Chiến sĩ thi đua cơ sở"
    cap: huyen
    so_quyet_dinh: "1320/QĐ-UBND"
    ngay: 2023-06-20
  - hinh_thuc: "Giấy khen của Chủ tịch UBND huyện"
    cap: huyen
    so_quyet_dinh: "1415/QĐ-UBND"
    ngay: 2023-07-10
  - hinh_thuc: "Bằng khen của Chủ tịch UBND tỉnh"
    cap: bo-nganh-tinh
    so_quyet_dinh: "987/QĐ-UBND"
    ngay: 2023-12-02
anh: anh/tran-thi-thu-mau.jpg
---

## Thành tích

Hồ sơ kiểm thử (hư cấu): người, trường và thôn trong báo cáo này không có thật.

## Quyền hạn, nhiệm vụ được giao

Chủ nhiệm và dạy lớp 3 có 28 học sinh, trong đó 20 em là người dân tộc thiểu số.

## Thành tích đạt được

Cô mở lớp phụ đạo tiếng Việt buổi tối cho học sinh lớp 3. Sau hai năm, 27/28 em đọc thông viết thạo.

- Tổ chức 12 buổi đọc sách ở nhà văn hóa thôn.
- Vận động 5 em bỏ học trở lại lớp.

Kết quả học tập của lớp:

| Năm học | Sĩ số | Hoàn thành tốt |
|---|---|---|
| 2022–2023 | 28 | 20 |
| 2023–2024 | 28 | 25 |
| Hai năm liền lớp không có học sinh bỏ học |  |  |
"""

INDIVIDUAL_OUTPUT = """\
Đã tạo bản nháp content/guong/tran-thi-thu-mau.md từ ca-nhan.docx.
  Đã điền: tên, loại, lĩnh vực, xã, chức vụ, năm, tóm tắt, bài viết (từ mục II), 4 mục khen thưởng, ảnh content/anh/tran-thi-thu-mau.jpg.
  Không chép thông tin cá nhân của mục I (bảo vệ dữ liệu cá nhân): ngày sinh; giới tính; dân tộc; tôn giáo; quê quán; nơi ở, địa chỉ; số CMND/CCCD; thông tin Đảng, đoàn thể; trình độ, học hàm, học vị.
  Đã bỏ 1 câu ở mục II vì nhắc lại thông tin cá nhân hoặc số CMND/CCCD.
  guong check: không có lỗi.
  Việc còn lại: đọc lại bài và tóm tắt so với báo cáo; thêm ngày đồng ý công khai (hồ sơ cá nhân, hộ gia đình) trước khi xuất bản.
"""

COLLECTIVE_FILE = """\
---
ten: "Tổ hợp tác Mía Mẫu Thử"
loai: tap-the
linh_vuc: san-xuat-kinh-doanh
xa: ia-tul-2025
nam: 2025
tom_tat: "Hồ sơ kiểm thử (hư cấu): tổ hợp tác và thôn trong báo cáo này không có thật. Năm 2024, tổ hợp tác trồng 45 ha mía, năng suất bình quân 75 tấn/ha."
trang_thai: nhap
khen_thuong:
  - danh_hieu: "Tập thể lao động tiên tiến"
    cap: xa
    so_quyet_dinh: "45/QĐ-UBND"
    ngay: 2023-12-20
  - hinh_thuc: "Giấy khen của Chủ tịch UBND huyện"
    cap: huyen
    so_quyet_dinh: "2210/QĐ-UBND"
    ngay: 2025-01-15
# Các mục khen thưởng chưa ghi được; sửa rồi bỏ dấu '#' ở đầu dòng (và thêm 'khen_thuong:' nếu chưa có):
#   (thiếu ngày quyết định, năm 2024)
#   - hinh_thuc: "Bằng khen"
#     cap: bo-nganh-tinh
---

## Thành tích

Hồ sơ kiểm thử (hư cấu): tổ hợp tác và thôn trong báo cáo này không có thật.

Năm 2024, tổ hợp tác trồng 45 ha mía, năng suất bình quân 75 tấn/ha.

### Cách làm

1. Liên kết với nhà máy đường.
2. Mua chung phân bón cho 32 hộ.
"""

COLLECTIVE_OUTPUT = """\
Đã tạo bản nháp content/guong/to-hop-tac-mia-mau-thu.md từ tap-the.docx.
  Đã điền: tên, loại, lĩnh vực, xã, năm, tóm tắt, bài viết (từ mục II), 2 mục khen thưởng.
  Không chép thông tin cá nhân của mục I (bảo vệ dữ liệu cá nhân): điện thoại, thư điện tử; thông tin Đảng, đoàn thể.
  Đã chuyển 3 đoạn từ bảng mã TCVN3 (ABC, phông .VnTime) sang Unicode; hãy đọc lại các đoạn đó.
  Còn 1 mục khen thưởng chưa ghi được (để dạng chú thích '#' trong tệp): thiếu ngày quyết định, năm 2024.
  guong check: không có lỗi.
  Việc còn lại: đọc lại bài và tóm tắt so với báo cáo; thêm ngày đồng ý công khai (hồ sơ cá nhân, hộ gia đình) trước khi xuất bản.
"""

SHORT_FILE = """\
---
ten: "Ksor H'Mẫu"
loai: ca-nhan
linh_vuc:  # CẦN ĐIỀN: slug lĩnh vực, xem generator/danh-muc/linh-vuc.yml
# CẦN ĐIỀN một trong hai: xa: <slug xã, xem xa.yml> hoặc don_vi: <slug đơn vị, xem don-vi.yml>
nam:  # CẦN ĐIỀN: năm được lựa chọn, ví dụ 2024
tom_tat: "Hồ sơ kiểm thử (hư cấu): người trong báo cáo này không có thật. Chị giữ gìn nghề dệt thổ cẩm và dạy cho 15 em gái trong làng."
trang_thai: nhap
# Trước khi chuyển sang 'xuat-ban', hồ sơ cá nhân và hộ gia đình cần ngày nhận văn bản đồng ý công khai:
# dong_y_cong_khai: YYYY-MM-DD
---

## Thành tích

Hồ sơ kiểm thử (hư cấu): người trong báo cáo này không có thật. Chị giữ gìn nghề dệt thổ cẩm và dạy cho 15 em gái trong làng.
"""

SHORT_OUTPUT = """\
Đã tạo bản nháp content/guong/ksor-h-mau.md từ ngan.docx.
  Đã điền: tên, loại, tóm tắt, bài viết (từ mục II).
  Không chép thông tin cá nhân của mục I (bảo vệ dữ liệu cá nhân): dân tộc.
  Báo cáo không có mục III (các hình thức đã được khen thưởng): chưa có 'khen_thuong'.
  Chưa tìm thấy (bắt buộc, hãy điền trong tệp hoặc nhập lại với tùy chọn): lĩnh vực (--linh-vuc), xã hoặc đơn vị (--xa hoặc --don-vi), năm (--nam).
  guong check: 3 lỗi, cần sửa trước khi chuyển trạng thái:
    content/guong/ksor-h-mau.md:4:1: lỗi: khóa 'linh_vuc' (lĩnh vực) chưa có giá trị
    content/guong/ksor-h-mau.md:6:1: lỗi: khóa 'nam' (năm) chưa có giá trị
    content/guong/ksor-h-mau.md:1:1: lỗi: cần ít nhất một trong hai khóa 'xa' (xã) hoặc 'don_vi' (cơ quan, đơn vị)
  Việc còn lại: đọc lại bài và tóm tắt so với báo cáo; thêm ngày đồng ý công khai (hồ sơ cá nhân, hộ gia đình) trước khi xuất bản.
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty project folder as the working directory, so that messages show the paths editors see."""
    (tmp_path / "content" / "guong").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def written(project: Path) -> dict[str, bytes]:
    return {path.relative_to(project).as_posix(): path.read_bytes()
            for path in sorted((project / "content").rglob("*")) if path.is_file()}


def assert_no_personal_values(project: Path, *outputs: str) -> None:
    texts = [data.decode("utf-8", "replace") for data in written(project).values()] + list(outputs)
    for value in PERSONAL_VALUES + ["0905123456", "3 đảng viên"]:
        for text in texts:
            assert value not in text, value


def test_individual_report(guong, project):
    individual_report(project / "ca-nhan.docx")
    run = guong("nhap", "ca-nhan.docx", "--loai", "ca-nhan", "--linh-vuc", "giao-duc-dao-tao", "--xa", "ia-tul")
    assert (run.code, run.out, run.err) == (0, INDIVIDUAL_OUTPUT, "")
    files = written(project)
    assert sorted(files) == ["content/anh/tran-thi-thu-mau.jpg", "content/guong/tran-thi-thu-mau.md"]
    assert files["content/guong/tran-thi-thu-mau.md"].decode("utf-8") == INDIVIDUAL_FILE
    assert files["content/anh/tran-thi-thu-mau.jpg"] == photo_bytes()  # the embedded photo, as it was
    assert_no_personal_values(project, run.out, run.err)
    check = guong("check", "content")
    assert check.code == 0 and check.lines[-1] == "Đã kiểm tra 1 tệp: không có lỗi.", check.out


def test_collective_report_in_tcvn3_with_merged_header_cells(guong, project):
    collective_report(project / "tap-the.docx")
    run = guong("nhap", "tap-the.docx", "--loai", "tap-the", "--linh-vuc", "san-xuat-kinh-doanh", "--xa",
                "ia-tul-2025")
    assert (run.code, run.out, run.err) == (0, COLLECTIVE_OUTPUT, "")
    assert written(project) == {"content/guong/to-hop-tac-mia-mau-thu.md": COLLECTIVE_FILE.encode("utf-8")}
    assert_no_personal_values(project, run.out, run.err)
    check = guong("check", "content")
    assert check.code == 0 and check.lines[-1] == "Đã kiểm tra 1 tệp: không có lỗi.", check.out


def test_what_the_report_gives_without_options(guong, project):
    # The kind from the form, the commune from the workplace, the year from the date line; the report date
    # after the merger makes "xã Ia Tul" the new commune.
    individual_report(project / "ca-nhan.docx", photo=False)
    collective_report(project / "tap-the.docx")
    run = guong("nhap", "ca-nhan.docx", "tap-the.docx")
    assert run.code == 0, run.err
    person = (project / "content/guong/tran-thi-thu-mau.md").read_text(encoding="utf-8")
    assert person == INDIVIDUAL_FILE.replace("linh_vuc: giao-duc-dao-tao", "linh_vuc:  # CẦN ĐIỀN: slug lĩnh vực, "
                                             "xem generator/danh-muc/linh-vuc.yml").replace(
        "anh: anh/tran-thi-thu-mau.jpg\n", "")
    collective = (project / "content/guong/to-hop-tac-mia-mau-thu.md").read_text(encoding="utf-8")
    assert collective == COLLECTIVE_FILE.replace("linh_vuc: san-xuat-kinh-doanh", "linh_vuc:  # CẦN ĐIỀN: slug "
                                                 "lĩnh vực, xem generator/danh-muc/linh-vuc.yml")
    assert run.out.count("Chưa tìm thấy (bắt buộc, hãy điền trong tệp hoặc nhập lại với tùy chọn): lĩnh vực "
                         "(--linh-vuc).") == 2


def test_report_without_section_iii(guong, project):
    short_report(project / "ngan.docx")
    run = guong("nhap", "ngan.docx")
    assert (run.code, run.out, run.err) == (0, SHORT_OUTPUT, "")
    assert written(project) == {"content/guong/ksor-h-mau.md": SHORT_FILE.encode("utf-8")}
    assert "Jrai" not in SHORT_FILE


def test_a_second_import_never_overwrites(guong, project):
    individual_report(project / "ca-nhan.docx")
    assert guong("nhap", "ca-nhan.docx").code == 0
    before = written(project)
    run = guong("nhap", "ca-nhan.docx", "--linh-vuc", "giao-duc-dao-tao")
    assert (run.code, run.out) == (1, "")
    assert run.err == ("lỗi: ca-nhan.docx: đã có tệp content/guong/tran-thi-thu-mau.md; không ghi đè. Nếu đây là "
                       "người hoặc tập thể khác, nhập lại với --slug tran-thi-thu-mau-2; nếu là cùng một gương, hãy "
                       "sửa hồ sơ đã có. Chưa ghi tệp nào.\n")
    assert written(project) == before
    again = guong("nhap", "ca-nhan.docx", "--slug", "tran-thi-thu-mau-2")
    assert again.code == 0
    assert sorted(written(project)) == ["content/anh/tran-thi-thu-mau-2.jpg", "content/anh/tran-thi-thu-mau.jpg",
                                        "content/guong/tran-thi-thu-mau-2.md", "content/guong/tran-thi-thu-mau.md"]


# --- bad input ----------------------------------------------------------------------------------------

def encrypted_report(path: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = individual_report(path.with_name("ro.docx"))
    with open(plain, "rb") as source, open(path, "wb") as target:
        OOXMLFile(source).encrypt("mat-khau", target)
    plain.unlink()
    return path


def damaged_report(path: Path) -> Path:
    data = individual_report(path.with_name("nguyen-ven.docx")).read_bytes()
    path.with_name("nguyen-ven.docx").unlink()
    path.write_bytes(data[: len(data) // 2])  # cut off in the middle, as an interrupted copy leaves it
    return path


def broken_xml_report(path: Path) -> Path:
    source = individual_report(path.with_name("nguyen-ven.docx"))
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as copy:
        for item in original.infolist():
            data = original.read(item)
            copy.writestr(item, data[:200] if item.filename == "word/document.xml" else data)
    source.unlink()
    return path


def spreadsheet_like(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
    return path


def empty_report(path: Path) -> Path:
    docx.Document().save(path)
    return path


def not_a_report(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Biên bản họp thôn (hư cấu): thôn Mẫu họp bàn việc làm đường.")
    document.save(path)
    return path


BAD_FILES = {
    "cu.doc": (lambda p: p.write_bytes(ole_file({"WordDocument": b"\xec\xa5" + b"\0" * 5000})) and p,
               "đây là tệp Word cũ (.doc), chưa nhập được. Hãy mở tệp trong Word và lưu lại dạng .docx (Tệp → Lưu "
               "thành → Tài liệu Word (*.docx)), rồi nhập tệp .docx đó"),
    "mat-khau.docx": (encrypted_report,
                      "tệp được đặt mật khẩu (mã hóa), không đọc được. Hãy mở tệp trong Word, bỏ mật khẩu (Tệp → "
                      "Thông tin → Bảo vệ tài liệu → Mã hóa bằng mật khẩu, xóa mật khẩu), lưu lại rồi nhập lại"),
    "anh.docx": (lambda p: p.write_bytes(photo_bytes()) and p, "tệp không phải tài liệu Word (.docx)"),
    "bang-tinh.docx": (spreadsheet_like,
                       "tệp không phải tài liệu Word (.docx): không có phần nội dung của Word (có thể là tệp Excel, "
                       "PowerPoint hoặc tệp nén khác)"),
    "dut-doan.docx": (damaged_report,
                      "tệp .docx bị hỏng (không mở được). Hãy mở lại trong Word, lưu thành tệp mới rồi nhập lại"),
    "hong-noi-dung.docx": (broken_xml_report,
                           "tệp .docx bị hỏng (không đọc được nội dung). Hãy mở lại trong Word, lưu thành tệp mới rồi "
                           "nhập lại"),
    "rong.docx": (lambda p: p.write_bytes(b"") or p, "tệp rỗng, không có nội dung"),
    "trang.docx": (empty_report, "tài liệu trống: không có chữ nào để nhập"),
    "bien-ban.docx": (not_a_report,
                      "không tìm thấy mục 'II. THÀNH TÍCH ĐẠT ĐƯỢC'; tệp không giống báo cáo thành tích theo mẫu nên "
                      "chưa nhập"),
    "khong-co.docx": (lambda p: p, "không tìm thấy tệp"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_input_is_refused_with_a_message_and_nothing_written(guong, project, name):
    make, message = BAD_FILES[name]
    make(project / name)
    run = guong("nhap", name, "--loai", "ca-nhan", "--linh-vuc", "giao-duc-dao-tao", "--xa", "ia-tul")
    assert (run.code, run.out) == (1, "")
    assert run.err == f"lỗi: {name}: {message}. Chưa ghi tệp nào.\n"
    assert "Traceback" not in run.err
    assert written(project) == {}


def test_the_old_doc_fixture_is_a_real_ole_file(tmp_path):
    olefile = pytest.importorskip("olefile")  # installed with msoffcrypto-tool
    path = tmp_path / "cu.doc"
    path.write_bytes(ole_file({"WordDocument": b"\xec\xa5" + b"\0" * 5000}))
    assert olefile.OleFileIO(str(path)).listdir() == [["WordDocument"]]


def test_one_bad_file_does_not_stop_the_others(guong, project):
    short_report(project / "ngan.docx")
    (project / "cu.doc").write_bytes(ole_file({"WordDocument": b"\0" * 4096}))
    run = guong("nhap", "cu.doc", "ngan.docx")
    assert run.code == 1
    assert run.err.startswith("lỗi: cu.doc: đây là tệp Word cũ (.doc)")
    assert run.out == SHORT_OUTPUT
    assert sorted(written(project)) == ["content/guong/ksor-h-mau.md"]


@pytest.mark.parametrize(("options", "message"), [
    (["--xa", "ia-tul", "--don-vi", "cong-an-huyen"], "lỗi cách dùng: chỉ ghi một trong hai: --xa hoặc --don-vi\n"),
    (["--linh-vuc", "giao-duc"], "lỗi cách dùng: lĩnh vực 'giao-duc' không có; có phải 'giao-duc-dao-tao'?\n"),
    (["--loai", "tap-the", "--linh-vuc", "can-bo-cong-chuc"],
     "lỗi cách dùng: lĩnh vực 'can-bo-cong-chuc' không nhận loại 'tap-the'; chỉ nhận: ca-nhan\n"),
    (["--nam", "1990"], "lỗi cách dùng: năm 1990 không hợp lệ; phải từ 2000 đến "),
])
def test_wrong_options_are_usage_errors(guong, project, options, message):
    short_report(project / "ngan.docx")
    run = guong("nhap", "ngan.docx", *options)
    assert run.code == 2
    assert run.err.startswith(message)
    assert written(project) == {}


# --- pieces -------------------------------------------------------------------------------------------

def test_tcvn3_capitals_font_and_unicode_text_in_a_legacy_font(taxonomy):
    import datetime as dt

    from generator.content.word_import import read_report

    document = docx.Document()
    document.add_paragraph("Họ và tên: Hộ kiểm thử")
    document.add_paragraph("II. THÀNH TÍCH ĐẠT ĐƯỢC")
    legacy_run(document.add_paragraph(), "Đội văn nghệ thôn mẫu", ".VnTimeH")
    unicode_in_legacy_font = document.add_paragraph().add_run("Người đã gõ Unicode trong phông cũ.")
    unicode_in_legacy_font.font.name = ".VnTime"
    out = io.BytesIO()
    document.save(out)
    report = read_report(out.getvalue(), taxonomy, dt.date(2026, 1, 1))
    assert report.story == "## Thành tích\n\nĐỘI VĂN NGHỆ THÔN MẪU\n\nNgười đã gõ Unicode trong phông cũ.\n"
    assert report.converted == {"tcvn3": 1}
    assert report.kind == "ho-gia-dinh"


def test_summary_keeps_within_the_length_limit(taxonomy):
    import datetime as dt

    from generator.content.word_import import read_report

    document = docx.Document()
    document.add_paragraph("Họ và tên: Người Kiểm Thử")
    document.add_paragraph("II. THÀNH TÍCH ĐẠT ĐƯỢC")
    document.add_paragraph("Hồ sơ kiểm thử (hư cấu) " + "rất dài " * 80 + "kết thúc.")
    out = io.BytesIO()
    document.save(out)
    summary = read_report(out.getvalue(), taxonomy, dt.date(2026, 1, 1)).summary
    # Cut at a word and marked as cut.
    assert summary is not None and len(summary) <= 400 and summary.endswith(" rất…"), summary


def test_word_list_numbering_is_kept(taxonomy):
    # A Word list defined in the numbering part (not a typed "1."), with a second level.
    import datetime as dt

    from generator.content.word_import import read_report

    document = docx.Document()
    document.add_paragraph("Họ và tên: Người Kiểm Thử")
    document.add_paragraph("II. THÀNH TÍCH ĐẠT ĐƯỢC")
    document.add_paragraph("Hồ sơ kiểm thử (hư cấu).")
    document.add_paragraph("Một", style="List Number")
    second_level = document.add_paragraph("Ý nhỏ", style="List Number")
    numbering = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", "1"), ("w:numId", "5")):  # numId 5: python-docx's template's List Number
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        numbering.append(element)
    second_level._p.get_or_add_pPr().append(numbering)
    document.add_paragraph("Hai", style="List Number")
    document.add_paragraph("Một ý riêng.", style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    story = read_report(out.getvalue(), taxonomy, dt.date(2026, 1, 1)).story
    assert story == ("## Thành tích\n\nHồ sơ kiểm thử (hư cấu).\n\n1. Một\n    1. Ý nhỏ\n2. Hai\n"
                     "\n- Một ý riêng.\n")



def test_personal_facts_repeated_in_section_ii_are_dropped(guong, project):
    document = docx.Document()
    document.add_paragraph("Ia Tul, ngày 2 tháng 4 năm 2024")
    document.add_paragraph("I. SƠ LƯỢC LÝ LỊCH")
    for line in ["Họ và tên: Trần Thị Thu Mẫu", "Sinh ngày: 12/05/1985", "Tôn giáo: Công giáo",
                 "Quê quán: thôn Sông Giả, xã Chư Mố", "Đơn vị công tác: xã Ia Tul"]:
        document.add_paragraph(line)
    document.add_paragraph("II. THÀNH TÍCH ĐẠT ĐƯỢC")
    document.add_paragraph("Hồ sơ kiểm thử (hư cấu): người trong báo cáo này không có thật. Chị sinh ngày "
                           "12/05/1985. Chị lớn lên ở thôn Sông Giả, xã Chư Mố và nay dạy học ở xã Ia Tul.")
    document.add_paragraph("Là giáo dân Công giáo, chị vận động bà con góp công.", style="List Bullet")
    document.add_paragraph("Chị mở thư viện nhỏ tại nhà.", style="List Bullet")
    add_table(document, [["Việc", "Ghi chú"], ["Hồ sơ vay vốn", "Số CCCD 064185012345 của chị"]])
    document.save(project / "lap-lai.docx")
    run = guong("nhap", "lap-lai.docx", "--linh-vuc", "giao-duc-dao-tao")
    assert run.code == 0, run.err
    assert "  Đã bỏ 4 câu ở mục II vì nhắc lại thông tin cá nhân hoặc số CMND/CCCD.\n" in run.out
    assert_no_personal_values(project, run.out, run.err)
    story = (project / "content/guong/tran-thi-thu-mau.md").read_text(encoding="utf-8").split("---\n")[2]
    assert story == ("\n## Thành tích\n\nHồ sơ kiểm thử (hư cấu): người trong báo cáo này không có thật.\n\n"
                     "- Chị mở thư viện nhỏ tại nhà.\n\n| Việc | Ghi chú |\n|---|---|\n| Hồ sơ vay vốn |  |\n")


def test_vni_runs_and_a_picture_in_another_format(taxonomy):
    import datetime as dt

    from generator.content.word_import import read_report

    document = docx.Document()
    document.add_paragraph("Họ và tên: Người Kiểm Thử")
    document.add_paragraph("II. THÀNH TÍCH ĐẠT ĐƯỢC")
    # "Ngöôøi toát vieäc toát cuûa thoân (hö caáu). TRÖÔØNG": how VNI text looks in a Unicode font.
    vni = b"Ng\xf6\xf4\xf8i to\xe1t vie\xe4c to\xe1t cu\xfba tho\xe2n (h\xf6 ca\xe1u). TR\xd6\xd4\xd8NG"
    run = document.add_paragraph().add_run(vni.decode("latin-1"))
    run.font.name = "VNI-Times"
    gif = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 90, 0)).save(gif, "GIF")
    document.add_picture(io.BytesIO(gif.getvalue()))
    out = io.BytesIO()
    document.save(out)
    report = read_report(out.getvalue(), taxonomy, dt.date(2026, 1, 1))
    assert report.story == "## Thành tích\n\nNgười tốt việc tốt của thôn (hư cấu). TRƯỜNG\n"
    assert report.converted == {"vni": 1}
    assert report.photo is not None and report.photo.extension == ".jpg"
    assert Image.open(io.BytesIO(report.photo.data)).format == "JPEG"


def test_text_boxes_and_drawing_fallbacks_are_not_run_text(taxonomy):
    import datetime as dt

    from docx.oxml import parse_xml

    from generator.content.word_import import read_report

    document = docx.Document()
    document.add_paragraph("Họ và tên: Người Kiểm Thử")
    document.add_paragraph("II. THÀNH TÍCH ĐẠT ĐƯỢC")
    paragraph = document.add_paragraph("Chị dạy học (hư cấu).")
    box = ('<w:p>{}<w:r><w:t>CHỮ TRONG KHUNG</w:t></w:r></w:p>').format("")
    paragraph._p.append(parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml">'
        f'<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>{box}'
        '</w:txbxContent></wps:txbx></w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict><v:textbox><w:txbxContent>{box}</w:txbxContent></v:textbox></w:pict>'
        '</mc:Fallback></mc:AlternateContent></w:r>'))
    out = io.BytesIO()
    document.save(out)
    report = read_report(out.getvalue(), taxonomy, dt.date(2026, 1, 1))
    assert report.story == "## Thành tích\n\nChị dạy học (hư cấu).\n"


def test_collective_named_in_the_title_and_a_district_unit(taxonomy):
    import datetime as dt

    from generator.content.word_import import read_report

    document = docx.Document()
    document.add_paragraph("CÔNG AN HUYỆN IA PA")
    document.add_paragraph("Ia Pa, ngày 20 tháng 5 năm 2024")
    document.add_paragraph("BÁO CÁO THÀNH TÍCH")
    document.add_paragraph("Đề nghị tặng Giấy khen cho tập thể Đội Cảnh sát Mẫu Thử")
    document.add_paragraph("I. ĐẶC ĐIỂM TÌNH HÌNH")
    document.add_paragraph("Đội có 12 cán bộ, chiến sĩ.")
    document.add_paragraph("II. THÀNH TÍCH ĐẠT ĐƯỢC")
    document.add_paragraph("Hồ sơ kiểm thử (hư cấu): đội trong báo cáo này không có thật. Đội giữ vững an ninh "
                           "trật tự trên địa bàn suốt năm 2023.")
    out = io.BytesIO()
    document.save(out)
    report = read_report(out.getvalue(), taxonomy, dt.date(2026, 1, 1))
    assert (report.name, report.kind, report.unit, report.commune, report.year) == (
        "Đội Cảnh sát Mẫu Thử", "tap-the", "cong-an-huyen", None, 2024)
    assert report.left_out == []


def test_damaged_reports_get_a_message_not_an_internal_error(tmp_path, taxonomy):
    # Bytes flipped anywhere and pieces cut out of the XML parts: each file either imports or is refused
    # with a ReportError (whose message the command prints); nothing else escapes.
    import datetime as dt
    import random

    from generator.content.word_import import ReportError, read_report

    originals = [individual_report(tmp_path / "a.docx").read_bytes(), collective_report(tmp_path / "b.docx").read_bytes()]
    rng = random.Random(15)
    for _ in range(40):
        data = bytearray(rng.choice(originals))
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            read_report(bytes(data), taxonomy, dt.date(2026, 1, 1))
        except ReportError:
            pass
    for _ in range(40):
        with zipfile.ZipFile(io.BytesIO(rng.choice(originals))) as source:
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as copy:
                for item in source.infolist():
                    text = source.read(item)
                    if item.filename in ("word/document.xml", "word/styles.xml", "word/numbering.xml"):
                        for _ in range(3):
                            start = rng.randrange(len(text))
                            text = text[:start] + text[start + rng.randint(1, 40):]
                    copy.writestr(item, text)
        try:
            read_report(out.getvalue(), taxonomy, dt.date(2026, 1, 1))
        except ReportError:
            pass

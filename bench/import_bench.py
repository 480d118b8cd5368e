"""Benchmark `guong nhap` on a typical achievement report (target: under 2 s).

Run:  .venv/bin/python -m bench.import_bench [PARAGRAPHS]
It writes one Mẫu 03 report with python-docx: the header, section I, a section II of PARAGRAPHS paragraphs
(default 40, about four printed pages) with sub-headings, lists and a table with merged cells, a section III
of eight commendations, and a 1200×1600 JPEG portrait. Then it runs the installed command three times,
each into a fresh content folder, and prints the best wall time (interpreter start-up and imports count,
as they do for an editor), and the best of three for reading the report in this process.
Every person and place in the report is fictional.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docx
from PIL import Image

from generator.content.taxonomy import load_taxonomy
from generator.content.word_import import read_report

_WORDS = ("học sinh lớp thôn làng phụ huynh giáo viên đọc viết sách thư viện tổ chức vận động bà con xã "
          "năm học kết quả hoàn thành tốt phong trào thi đua sáng kiến mô hình nhân rộng buổi tối").split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(12, 24))]
    return " ".join(words).capitalize() + "."


def make_report(path: Path, paragraphs: int) -> None:
    rng = random.Random(105)
    document = docx.Document()
    document.add_paragraph("UBND XÃ IA TUL")
    document.add_paragraph("Ia Tul, ngày 15 tháng 3 năm 2024")
    document.add_paragraph("BÁO CÁO THÀNH TÍCH")
    document.add_paragraph("I. SƠ LƯỢC LÝ LỊCH")
    portrait = io.BytesIO()
    Image.effect_noise((1200, 1600), 40).convert("RGB").save(portrait, "JPEG", quality=85)
    document.add_picture(io.BytesIO(portrait.getvalue()))
    for line in ["- Họ tên: Người Mẫu Thử (hư cấu)", "- Sinh ngày, tháng, năm: 01/01/1980\tGiới tính: Nữ",
                 "- Dân tộc: Mẫu\tTôn giáo: Không", "- Quê quán: thôn Mẫu, xã Chư Mố",
                 "- Đơn vị công tác: Trường Tiểu học Mẫu Thử, xã Ia Tul", "- Chức vụ: Giáo viên"]:
        document.add_paragraph(line)
    document.add_paragraph("II. THÀNH TÍCH ĐẠT ĐƯỢC")
    document.add_paragraph("Báo cáo mẫu để đo thời gian (hư cấu).")
    for index in range(paragraphs):
        if index % 10 == 0:
            document.add_paragraph(f"{index // 10 + 1}. Mục thành tích thứ {index // 10 + 1}")
        if index % 7 == 3:
            for _ in range(3):
                document.add_paragraph(_sentence(rng), style="List Bullet")
        document.add_paragraph(" ".join(_sentence(rng) for _ in range(rng.randint(3, 6))))
    table = document.add_table(rows=6, cols=3)
    for row in range(6):
        for column in range(3):
            table.cell(row, column).text = "Năm học" if row == 0 and column == 0 else str(rng.randint(1, 40))
    table.cell(1, 0).merge(table.cell(2, 0))
    document.add_paragraph("III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG")
    awards = document.add_table(rows=9, cols=4)
    for column, header in enumerate(["Năm", "Hình thức khen thưởng", "Số, ngày tháng năm của quyết định",
                                     "Cơ quan ban hành"]):
        awards.cell(0, column).text = header
    for row in range(1, 9):
        year = 2015 + row
        for column, text in enumerate([str(year), "Giấy khen của Chủ tịch UBND huyện",
                                       f"{100 + row}/QĐ-UBND ngày 12/5/{year}", "UBND huyện Ia Pa"]):
            awards.cell(row, column).text = text
    document.save(str(path))


def main(paragraphs: int) -> None:
    guong = Path(sys.executable).with_name("guong")
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "bao-cao.docx"
        make_report(report, paragraphs)
        times = []
        for attempt in range(3):
            project = Path(tmp) / f"du-an-{attempt}"
            project.mkdir()
            started = time.perf_counter()
            result = subprocess.run([str(guong), "nhap", str(report), "--linh-vuc", "giao-duc-dao-tao"],
                                    cwd=project, capture_output=True, text=True)
            times.append(time.perf_counter() - started)
            if result.returncode:
                raise SystemExit(f"guong nhap failed:\n{result.stderr}")
        data = report.read_bytes()
        taxonomy = load_taxonomy()
        reading = []
        for _ in range(3):
            started = time.perf_counter()
            read_report(data, taxonomy, dt.date.today())
            reading.append(time.perf_counter() - started)
        size = len(data) / 1024
    print(f"report: {paragraphs} paragraphs in section II, {size:.0f} KB")
    print(f"guong nhap (installed command, best of 3): {min(times):.2f} s (target: under 2 s)")
    print(f"read_report in process (best of 3): {min(reading):.3f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)

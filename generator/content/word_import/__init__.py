"""Read a Word achievement report (báo cáo thành tích, .docx) into the fields and story of a draft profile
(``guong nhap``).

The reports follow the forms of Nghị định 98/2023/NĐ-CP, Phụ lục I (Mẫu 02 for collectives, Mẫu 03 for
individuals) and of the decree that replaced it; this package keys on their section headings, not on form
numbers: the text before section I and section I give the name, role and place, section "II. THÀNH TÍCH
ĐẠT ĐƯỢC" becomes the story and the tables of section "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG" the
commendations. Section I is never copied: the format has no place for the personal facts it holds, and
ethnicity and religion are sensitive data (Law 91/2025/QH15). Only the kinds of facts left out are
reported, never their values.

The document is read with python-docx's element tree rather than converted to HTML or Markdown first: a
run's font is what tells TCVN3 (.VnTime) and VNI text from Unicode, and the cells that a merge covers are
needed to give every row of a commendation table its year.

`document` reads the .docx into blocks, `form` interprets the form's sections into a `Report`, `draft`
writes the draft profile.
"""

from generator.content.word_import.document import ReportError
from generator.content.word_import.draft import DraftChoices, draft_text, encoding_label
from generator.content.word_import.form import Report, read_report

__all__ = ["DraftChoices", "Report", "ReportError", "draft_text", "encoding_label", "read_report"]

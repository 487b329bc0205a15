"""The platform's checks of an uploaded file (apps/core/files.py) for a slot of any app: the type is read from the
bytes, the slot says what it takes, and the words of a refusal name what the slot expects and what to do."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.core.files import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    PPTX,
    XLSX,
    ZIP,
    Refused,
    Slot,
    accept_attribute,
    check_file,
    safe_file_name,
    shown_name,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MAIN = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "ppt/presentation.xml": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}


def office(part: str, **extra) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        types = f'<Types><Override PartName="/{part}" ContentType="{MAIN[part]}"/></Types>'
        archive.writestr("[Content_Types].xml", types)
        archive.writestr(part, "<x/>")
        for name, data in extra.items():
            archive.writestr(name, data)
    return out.getvalue()


def png(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def slot(*types, limit=1024 * 1024, thumbnail=False) -> Slot:
    return Slot(types=types, limit=limit, max_pixels=1_000_000, expected="规定格式的文件",
                advice="请转换后重新上传", thumbnail=thumbnail)


def up(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_word_and_excel_are_told_apart_by_their_parts_not_their_names():
    both = slot(DOCX, XLSX)
    word = check_file(up("表格.xlsx", office("word/document.xml")), both)
    excel = check_file(up("文档.docx", office("xl/workbook.xml", **{"xl/worksheets/sheet1.xml": "<s/>"})), both)
    assert (word.type, word.name, word.meta) == (DOCX, "表格.docx", {})
    assert (excel.type, excel.name, excel.meta) == (XLSX, "文档.xlsx", {"sheets": 1})


def test_an_office_document_the_slot_does_not_take_is_named_in_the_refusal():
    with pytest.raises(Refused, match=r"内容是Word文档（\.docx），不是规定格式的文件（按文件内容判断，与扩展名无关），请转换后"):
        check_file(up("汇报.pptx", office("word/document.xml")), slot(PPTX, PDF))


def test_a_zip_is_refused_outright_by_a_slot_without_office_documents():
    assert not slot(PDF, JPEG).takes(ZIP) and slot(PDF, XLSX).takes(ZIP)
    with pytest.raises(Refused, match="内容是压缩包或Office文档"):
        check_file(up("照片.jpg", office("word/document.xml")), slot(JPEG, PNG))


@pytest.mark.parametrize("types,words", [((PPTX, PDF), "PowerPoint演示文稿（.pptx）"), ((DOCX, XLSX), "压缩包或Office文档")])
def test_a_broken_archive_is_named_by_the_office_types_the_slot_takes(types, words):
    broken = office("ppt/presentation.xml")[:-30]  # the central directory cut off
    with pytest.raises(Refused, match=f"不是有效的{words}"):
        check_file(up("文件.pptx", broken), slot(*types))


def test_the_size_limit_is_the_slots():
    with pytest.raises(Refused, match="大小为1 KB，超过100 B的上限"):
        check_file(up("大.pdf", PDF_BYTES + b"0" * 1024), slot(PDF, limit=100))


def test_a_thumbnail_is_made_only_for_a_slot_that_asks_for_one():
    assert check_file(up("图.png", png()), slot(PNG)).thumbnail is None
    assert check_file(up("图.png", png()), slot(PNG, thumbnail=True)).thumbnail is not None


def test_the_pixel_limit_is_the_slots():
    with pytest.raises(Refused, match="2000×1000像素，超过100万像素的上限"):
        check_file(up("全景.png", png((2000, 1000))), slot(PNG))


def test_the_file_picker_hint_lists_types_and_extensions():
    assert accept_attribute((PDF, PNG)) == "application/pdf,image/png,.pdf,.png"


@pytest.mark.parametrize("raw,expected", [
    ("../../etc/passwd", "passwd.pdf"),
    ("C:\\Users\\王工\\Desktop\\通知", "通知.pdf"),
    ("报告\u202egpj.exe", "报告_gpj.pdf"),
    ("NUL.txt", "_NUL.pdf"),
    ("  . _-", "附件.pdf"),
])
def test_names_keep_their_last_part_without_unsafe_characters(raw, expected):
    assert safe_file_name(raw, ".pdf") == expected


def test_a_name_in_a_message_is_cleaned_and_short():
    assert shown_name("../a/" + "长" * 100 + "\x00.pdf") == "长" * 57 + "…"
    assert shown_name("x/y\\通\x1b知.pdf") == "通_知.pdf"

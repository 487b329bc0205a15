"""Checks of uploaded files for every app that takes uploads: the type is read from the bytes, never from the name.

An app says what one upload field takes with a `Slot` (the types, a size limit, a pixel limit, and the words for
what is expected and what to do) and calls `check_file(upload, slot)`. It gets a `Refused` whose Chinese message
says what is wrong and what to do, or a `CheckedFile` that holds what will be stored:

- names keep only their last path part, lose control, bidi, zero-width and reserved characters and Windows device
  names, are cut to NAME_MAX characters and take the extension of the type the content really is;
- images (JPEG / PNG / WebP) are decoded with Pillow inside a pixel limit, refused when another file is appended
  to them, turned upright by their EXIF orientation and re-encoded without EXIF (GPS), XMP, ICC or comments; a slot
  may ask for a 480-px JPEG thumbnail;
- PDFs must have a PDF header and end-of-file marker and carry no HTML, script or launch actions;
- Office documents (.pptx, .docx, .xlsx) are ZIP archives checked against zip bombs (member count, total size,
  ratio, overlapping members, unsafe member names) by streaming every member through the decompressor in memory;
  password-protected, macro-enabled and template files are refused;
- MP4 videos are checked as containers: a known brand, and a walk over the top-level boxes that refuses a
  truncated file. What the streams must be (codec, resolution) is the slot owner's rule: apps/cases/files.py
  probes them.

Nothing here writes to storage; callers store a CheckedFile only after every check passed.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import re
import struct
import unicodedata
import uuid
import warnings
import zipfile
import zlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.translation import gettext as _

from apps.core.errors import NotFound

NAME_MAX = 100
THUMB_SIZE = 480
JPEG_QUALITY = 90
CHUNK = 1024 * 1024
ZIP_MAX_MEMBERS = 5000
ZIP_MAX_TOTAL = 500 * 1024 * 1024  # uncompressed bytes of one Office document
ZIP_MAX_RATIO = 100  # uncompressed / compressed, for the archive and for any member above 1 MB
MP4_BRANDS = {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso7", b"iso8", b"iso9", b"mp41", b"mp42",
              b"mp71", b"avc1", b"M4V ", b"M4VH", b"M4VP", b"MSNV", b"XAVC", b"dash", b"mmp4"}
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"mif1", b"msf1", b"avif", b"avis"}


@dataclass(frozen=True)
class FileType:
    key: str
    extension: str
    content_type: str


JPEG = FileType("jpeg", ".jpg", "image/jpeg")
PNG = FileType("png", ".png", "image/png")
WEBP = FileType("webp", ".webp", "image/webp")
PDF = FileType("pdf", ".pdf", "application/pdf")
PPTX = FileType("pptx", ".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")
DOCX = FileType("docx", ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileType("xlsx", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
MP4 = FileType("mp4", ".mp4", "video/mp4")
# What the first bytes of any ZIP archive say; the archive check tells which Office document (if any) it is.
ZIP = FileType("zip", ".zip", "application/zip")
IMAGES = (JPEG, PNG, WEBP)
PILLOW_FORMAT = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
# An Office document: the part that says which one it is, and its main part's content type in [Content_Types].xml.
OFFICE = {
    PPTX: ("ppt/presentation.xml",
           b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
    DOCX: ("word/document.xml", b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    XLSX: ("xl/workbook.xml", b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
}


def type_words(ftype: FileType) -> str:
    return {"jpeg": _("JPEG图片"), "png": _("PNG图片"), "webp": _("WebP图片"), "pdf": _("PDF文件"),
            "zip": _("压缩包或Office文档"), "pptx": _("PowerPoint演示文稿（.pptx）"), "docx": _("Word文档（.docx）"),
            "xlsx": _("Excel表格（.xlsx）"), "mp4": _("MP4视频")}[ftype.key]


@dataclass(frozen=True)
class Slot:
    """What one upload field takes. Build it when checking, so limits read from settings are current."""

    types: tuple[FileType, ...]
    limit: int  # bytes of the upload
    max_pixels: int  # width × height of an image, decoded
    expected: str  # the accepted types in words, e.g. 「JPEG、PNG或WebP图片」
    advice: str  # what to do with a refused file, e.g. 「请用看图或修图软件另存为JPEG或PNG后重新上传」
    thumbnail: bool = False  # a 480-px JPEG of each image, for pages that show photos

    def takes(self, found: FileType) -> bool:
        return found in self.types or (found is ZIP and any(t in OFFICE for t in self.types))


def accept_attribute(types: tuple[FileType, ...]) -> str:
    """The file picker's hint; the server never trusts it."""
    return ",".join(t.content_type for t in types) + "," + ",".join(t.extension for t in types)


def human_size(n: int) -> str:
    if n >= 1024 * 1024 * 1024:
        return f"{n / 1024 / 1024 / 1024:.1f} GB"
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} B"


# --- names ----------------------------------------------------------------------------------------------------------

_UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.IGNORECASE)


def shown_name(raw: str) -> str:
    """The uploaded name as it may appear in a message: its last path part, cleaned, at most 60 characters."""
    base = unicodedata.normalize("NFKC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE_NAME_CHARS.sub("_", base)
    return base if len(base) <= 60 else base[:57] + "…"


def safe_file_name(raw: str, extension: str) -> str:
    """The name shown and offered on download: no path, no control, bidi or reserved characters, at most
    NAME_MAX characters, and the extension of the type the content really is."""
    base = unicodedata.normalize("NFKC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = os.path.splitext(base)[0]
    stem = _UNSAFE_NAME_CHARS.sub("_", stem)
    stem = re.sub(r"\s+", " ", stem).strip(" ._-")
    if _RESERVED.match(stem):
        stem = f"_{stem}"
    stem = stem[: NAME_MAX - len(extension)].rstrip(" .") or _("附件")
    return stem + extension


# --- what is this file? ---------------------------------------------------------------------------------------------

def sniff(head: bytes) -> FileType | None:
    """One of our types by magic bytes, or None. Any ZIP archive is ZIP until the archive check has read it."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return ZIP
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] not in HEIF_BRANDS:
        return MP4  # confirmed (or refused) by the brand and box checks
    return None


_MARKUP = re.compile(rb"<\s*(?:script|html|svg|iframe|body|object|embed|\?xml)\b|<!doctype\s+html", re.IGNORECASE)


def describe(head: bytes) -> str:
    """What a refused file looks like, in words a clerk understands (for the message only)."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] == b"<":
        if re.search(rb"<svg\b", head, re.IGNORECASE):
            return _("SVG矢量图")
        return _("网页或XML文本")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return _("GIF图片")
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return _("TIFF图片")
    if head.startswith(b"BM"):
        return _("BMP图片")
    if head.startswith((b"MZ", b"\x7fELF")):
        return _("可执行程序")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _("旧版Office文件（.doc/.ppt/.xls）")
    if head.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        return _("压缩包")
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return _("HEIC/AVIF图片")
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] == b"qt  ":
        return _("QuickTime（.mov）视频")
    return _("无法识别的格式")


class Refused(ValidationError):
    """A file that did not pass; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class CheckedFile:
    type: FileType
    name: str  # safe display name with the right extension
    size: int  # bytes of what will be stored
    sha256: str  # of what will be stored
    meta: dict
    content: File  # what will be stored: re-encoded bytes for images, the upload itself otherwise
    thumbnail: ContentFile | None = None

    @property
    def extension(self) -> str:
        return self.type.extension

    @property
    def content_type(self) -> str:
        return self.type.content_type


def refusal_context(upload, slot: Slot) -> dict:
    """The words every refusal of this upload fills in: its shown name, what the slot expects, what to do."""
    return {"name": shown_name(getattr(upload, "name", "") or ""), "expected": slot.expected, "advice": slot.advice}


def _mismatch(context: dict, what: str) -> Refused:
    return Refused(_("文件“%(name)s”的内容是%(what)s，不是%(expected)s（按文件内容判断，与扩展名无关），%(advice)s")
                   % {**context, "what": what})


def _hash_and_head(upload) -> tuple[str, bytes, int]:
    digest = hashlib.sha256()
    head = b""
    size = 0
    for chunk in upload.chunks(CHUNK):
        if len(head) < 4096:
            head += chunk[: 4096 - len(head)]
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), head, size


def check_file(upload, slot: Slot) -> CheckedFile:
    """Every check of one uploaded file for `slot`; raises Refused, or returns what to store."""
    raw_name = getattr(upload, "name", "") or ""
    context = refusal_context(upload, slot)
    declared = upload.size or 0
    if declared > slot.limit:
        raise Refused(_("文件“%(name)s”大小为%(size)s，超过%(limit)s的上限，请压缩后再上传")
                      % {**context, "size": human_size(declared), "limit": human_size(slot.limit)})
    original_sha, head, size = _hash_and_head(upload)
    if size == 0:
        raise Refused(_("文件“%(name)s”是空文件，请重新选择文件后上传") % context)
    if size > slot.limit:
        raise Refused(_("文件“%(name)s”大小为%(size)s，超过%(limit)s的上限，请压缩后再上传")
                      % {**context, "size": human_size(size), "limit": human_size(slot.limit)})
    found = sniff(head)
    if found is None or not slot.takes(found):
        raise _mismatch(context, type_words(found) if found else describe(head))
    if found in IMAGES:
        return _check_image(upload, found, raw_name, slot, context, original_sha)
    if found is PDF:
        meta = _check_pdf(upload, size, context)
    elif found is ZIP:
        found, meta = _check_office(upload, size, slot, context)
    else:
        meta = _check_mp4(upload, size, context)
    upload.seek(0)
    return CheckedFile(found, safe_file_name(raw_name, found.extension), size, original_sha, meta, upload)


# --- images ---------------------------------------------------------------------------------------------------------

def _refuse_image(context: dict, reason: str) -> Refused:
    return Refused(_("文件“%(name)s”%(reason)s，请重新导出为JPEG或PNG图片后上传")
                   % {**context, "reason": reason})


def _image_end(data: bytes, ftype: FileType) -> int | None:
    """Where the image's own bytes end (JPEG EOI, PNG IEND, WebP RIFF length), to find appended files."""
    if ftype is PNG:
        pos = 8
        while pos + 8 <= len(data):
            length, chunk_type = struct.unpack(">I4s", data[pos:pos + 8])
            pos += 12 + length  # length, type, data, CRC
            if chunk_type == b"IEND":
                return pos
        return None
    if ftype is WEBP:
        return 8 + struct.unpack("<I", data[4:8])[0]
    pos = 2
    while pos + 4 <= len(data):  # JPEG: walk the marker segments up to the first scan, then find EOI
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker == 0xD9:
            return pos + 2
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        if marker == 0xDA:
            at = data.find(b"\xff\xd9", pos + 2 + length)
            return None if at < 0 else at + 2
        pos += 2 + length
    return None


_FOREIGN = re.compile(rb"PK\x03\x04|PK\x05\x06|%PDF-|Rar!|7z\xbc\xaf|MZ\x90\x00|<\s*(?:script|html|svg|\?php)",
                      re.IGNORECASE)


def _check_image(upload, ftype: FileType, raw_name: str, slot: Slot, context: dict, original_sha: str) -> CheckedFile:
    from PIL import Image, ImageOps

    upload.seek(0)
    data = upload.read()  # at most the slot's limit: images are decoded in memory anyway
    end = _image_end(data, ftype)
    if end is None or end > len(data):
        raise _refuse_image(context, _("不完整或已损坏"))
    if _FOREIGN.search(data, end):
        # A polyglot: an image with an archive, a PDF, a program or a web page appended.
        raise Refused(_("文件“%(name)s”在图片数据之后夹带了其他文件（如压缩包或网页代码），"
                        "请用看图软件重新另存为JPEG或PNG后上传") % context)
    limit = slot.max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[PILLOW_FORMAT[ftype.key]])
            width, height = image.size
            if width * height > limit:
                raise Refused(
                    _("图片“%(name)s”为%(w)d×%(h)d像素，超过%(mp)d万像素的上限，请缩小尺寸后上传")
                    % {**context, "w": width, "h": height, "mp": limit // 10000}
                )
            image.load()
            image = ImageOps.exif_transpose(image)
    except Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused(_("图片“%(name)s”像素过多，超过%(mp)d万像素的上限，请缩小尺寸后上传")
                      % {**context, "mp": limit // 10000})
    except Exception:  # noqa: BLE001 -- hostile input makes Pillow raise nearly anything; all are refusals
        raise _refuse_image(context, _("不完整或已损坏，无法读取"))
    image = _to_srgb(image)
    image = _plain_mode(image, ftype)
    image.info = {}  # EXIF (with GPS), XMP, ICC, comments: none of it is written again
    out = io.BytesIO()
    pil_format = PILLOW_FORMAT[ftype.key]
    if ftype is JPEG:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    elif ftype is PNG:
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=JPEG_QUALITY)
    clean = out.getvalue()
    thumb = ContentFile(_thumbnail(image)) if slot.thumbnail else None
    meta = {"width": image.width, "height": image.height, "format": pil_format.lower(),
            "original_sha256": original_sha, "original_size": len(data)}
    return CheckedFile(ftype, safe_file_name(raw_name, ftype.extension), len(clean),
                       hashlib.sha256(clean).hexdigest(), meta, ContentFile(clean), thumb)


def _to_srgb(image):
    """Colours of a photo with an embedded profile (Display P3, Adobe RGB), converted before the profile goes."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        from PIL import ImageCms

        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        target = ImageCms.createProfile("sRGB")
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, target, outputMode=mode)
    except Exception:  # noqa: BLE001 -- a broken profile: keep the pixels as they are
        return image


def _plain_mode(image, ftype: FileType):
    """A mode every viewer shows: 8-bit grey or RGB (with alpha where the format keeps it)."""
    mode = image.mode
    if mode.startswith("I;16") or mode == "I":
        image = image.convert("I") if mode != "I" else image
        image = image.point(lambda v: v * (1 / 256)).convert("L")
    elif mode == "F":
        image = image.convert("L")
    elif mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif mode not in ("L", "RGB", "RGBA", "LA"):
        image = image.convert("RGB")  # CMYK, YCbCr, 1, PA …
    if ftype is JPEG and image.mode in ("RGBA", "LA"):
        image = _flatten(image)
    return image


def _flatten(image):
    from PIL import Image

    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _thumbnail(image) -> bytes:
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIZE, THUMB_SIZE))
    thumb = _flatten(thumb) if thumb.mode in ("RGBA", "LA") else thumb.convert("RGB")
    out = io.BytesIO()
    thumb.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()


# --- PDF ------------------------------------------------------------------------------------------------------------

_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch)(?=[\s/<>\[\]()%{}])")


def _check_pdf(upload, size: int, context: dict) -> dict:
    upload.seek(0)
    head = upload.read(1024)
    version = re.match(rb"%PDF-(\d\.\d)", head)
    if version is None:
        raise Refused(_("文件“%(name)s”的PDF文件头无效，%(advice)s") % context)
    upload.seek(max(0, size - 1024))
    if b"%%EOF" not in upload.read(1024):
        raise Refused(_("文件“%(name)s”不是完整的PDF文件（缺少文件结尾，可能未下载或导出完整），%(advice)s") % context)
    upload.seek(0)
    has_object = False
    tail = b""
    while chunk := upload.read(CHUNK):
        window = tail + chunk
        if _MARKUP.search(window):
            raise Refused(_("文件“%(name)s”中夹带了网页或脚本代码，不能作为PDF接收，%(advice)s") % context)
        if _PDF_ACTIVE.search(window):
            raise Refused(_("文件“%(name)s”含有自动运行的脚本或启动其他程序的动作，"
                            "请用“打印为PDF”重新生成不含脚本的PDF后上传") % context)
        has_object = has_object or b" obj" in window
        tail = chunk[-32:]
    if not has_object:
        raise Refused(_("文件“%(name)s”只有PDF文件头，没有页面内容，%(advice)s") % context)
    upload.seek(0)
    return {"pdf_version": version.group(1).decode()}


# --- Office documents (zip) -----------------------------------------------------------------------------------------

def _unsafe_member(name: str) -> bool:
    if not name or "\x00" in name or "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return True
    return any(part == ".." for part in name.split("/"))


def _check_office(upload, size: int, slot: Slot, context: dict) -> tuple[FileType, dict]:
    """Which Office document the archive is, once it passed every archive check, and what it holds."""
    office = [t for t in slot.types if t in OFFICE]
    what = type_words(office[0] if len(office) == 1 else ZIP)
    bad = _("文件“%(name)s”不是有效的%(what)s，%(advice)s") % {**context, "what": what}
    bomb = _("文件“%(name)s”解压后体积异常（疑似压缩炸弹），系统拒绝接收；%(advice)s") % context
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, struct.error, EOFError):
        raise Refused(bad)
    if len(infos) > ZIP_MAX_MEMBERS:
        raise Refused(bomb)
    names = [i.filename for i in infos]
    if any(_unsafe_member(n) for n in names) or len(set(names)) != len(names):
        raise Refused(_("文件“%(name)s”内部含有不安全的文件路径（如“../”或绝对路径），系统拒绝接收；%(advice)s")
                      % context)
    found = next((t for t, (part, _main) in OFFICE.items() if part in names), None)
    if found is None or found not in slot.types:
        raise _mismatch(context, type_words(found) if found else _("普通压缩包"))
    if "[Content_Types].xml" not in names:
        raise Refused(bad)
    if any(i.flag_bits & 0x1 for i in infos):
        raise Refused(_("文件“%(name)s”设置了密码，请取消密码后重新上传") % context)
    declared = sum(i.file_size for i in infos)
    if declared > ZIP_MAX_TOTAL or declared > ZIP_MAX_RATIO * size:
        raise Refused(bomb)
    for info in infos:
        if info.file_size > CHUNK and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            raise Refused(bomb)
    spans = sorted((i.header_offset, i.header_offset + i.compress_size) for i in infos)
    if any(nxt[0] < prev[1] for prev, nxt in itertools.pairwise(spans)):
        raise Refused(bomb)  # members sharing their compressed bytes: the overlapping-file zip bomb
    read = 0
    try:
        with archive.open("[Content_Types].xml") as member:
            content_types = member.read(1024 * 1024)
        if OFFICE[found][1] not in content_types or b"macroEnabled" in content_types or any(
                n.lower().endswith("vbaproject.bin") for n in names):
            raise Refused(_("文件“%(name)s”不是普通的%(what)s（可能含宏或为模板），%(advice)s")
                          % {**context, "what": type_words(found)})
        for info in infos:  # decompress everything in memory, chunk by chunk: sizes and CRCs are real
            with archive.open(info) as member:
                while chunk := member.read(CHUNK):
                    read += len(chunk)
                    if read > ZIP_MAX_TOTAL or read > ZIP_MAX_RATIO * size:
                        raise Refused(bomb)
    except Refused:
        raise
    # zipfile raises NotImplementedError for a compression method it lacks (tested: unknown-compression pptx)
    # and RuntimeError for an encrypted member, which the flag check above already refuses in its own words;
    # either way the file cannot be checked, so it is refused like a broken one.
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, NotImplementedError, RuntimeError):
        raise Refused(bad)
    upload.seek(0)
    if found is PPTX:
        return found, {"slides": sum(1 for n in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", n))}
    if found is XLSX:
        return found, {"sheets": sum(1 for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))}
    return found, {}


# --- MP4 ------------------------------------------------------------------------------------------------------------

def _check_mp4(upload, size: int, context: dict) -> dict:
    """A known MP4 brand, and top-level boxes that end inside the file with a movie header and media data."""
    upload.seek(0)
    head = upload.read(64)
    brands = {head[8:12]} | {head[i:i + 4] for i in range(16, min(len(head), struct.unpack(">I", head[:4])[0]), 4)}
    if not brands & MP4_BRANDS:
        raise _mismatch(context, describe(head))
    truncated = _("视频“%(name)s”不完整（文件被截断或未完整导出），%(advice)s") % context
    kinds: list[bytes] = []
    pos = 0
    while pos < size:
        if len(kinds) > 10000:
            raise Refused(truncated)
        upload.seek(pos)
        header = upload.read(16)
        if len(header) < 8:
            raise Refused(truncated)
        box_size, box_type = struct.unpack(">I4s", header[:8])
        if box_size == 1:
            if len(header) < 16:
                raise Refused(truncated)
            box_size = struct.unpack(">Q", header[8:16])[0]
        elif box_size == 0:
            box_size = size - pos
        if box_size < 8 or pos + box_size > size:
            raise Refused(truncated)
        kinds.append(box_type)
        pos += box_size
    if b"moov" not in kinds or b"mdat" not in kinds:
        raise Refused(truncated)
    return {}


def check_into(upload, slot: Slot, field: str, errors: dict[str, list[str]]) -> CheckedFile | None:
    """Check an optional upload for a form's `field`: None when there is none; a refusal goes into `errors` under the
    field (with the form's other problems, so that every one shows at once) and None comes back."""
    if upload is None:
        return None
    try:
        return check_file(upload, slot)
    except ValidationError as exc:
        errors[field] = exc.messages
        return None


class StoredFiles:
    """Files a service writes inside a transaction, deleted again when the block fails, so that a refusal or an
    error leaves no file behind: `with StoredFiles() as stored, transaction.atomic(): stored.save(row.file, checked)`.
    The file is stored under a random name: the shown name never reaches the file system."""

    def __init__(self):
        self.names: list[str] = []

    def save(self, field, checked: CheckedFile) -> str:
        field.save(f"{uuid.uuid4().hex}{checked.extension}", checked.content, save=False)
        self.names.append(field.name)
        return field.name

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            for name in self.names:
                default_storage.delete(name)
        return False


def stored_file_response(stored, *, content_type: str, filename: str = "", as_attachment: bool = False):
    """A stored file (a model's FieldFile, or a name in the default storage) as the response of a view that has
    checked who may read it; a file missing from the storage answers the same 404 as no file."""
    try:
        handle = default_storage.open(stored, "rb") if isinstance(stored, str) else stored.open("rb")
    except FileNotFoundError:
        raise NotFound()
    return FileResponse(handle, content_type=content_type, filename=filename, as_attachment=as_attachment)

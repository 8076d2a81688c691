"""Checks an uploaded file before any parser sees it: size, what kind of file it is, and the zip inside.

An .xlsx file is a zip archive. Before openpyxl opens it we refuse anything that is not a plain,
macro-free workbook of a sensible size: empty or oversized files, old .xls or password-protected
files (OLE2 compound files), CSV or other text, damaged or truncated archives, and archives that
would unpack to far more than they hold (zip bombs). XML entity attacks are stopped by defusedxml,
which openpyxl uses automatically when it is installed (``openpyxl.xml.DEFUSEDXML``).
"""

from __future__ import annotations

import io
import zipfile

from assessment.model import AssessmentError

# The one upload limit: the uploaders' text, Streamlit's server.maxUploadSize (.streamlit/config.toml, a test
# checks it), the importers and the command line all use it.
MAX_UPLOAD_MB = 5
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
UPLOAD_LIMIT_TEXT = f"At most {MAX_UPLOAD_MB} MB"
MAX_ENTRIES = 250
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
MAX_RATIO = 150
RATIO_CHECKED_FROM = 256 * 1024  # small parts compress wildly and harmlessly

ZIP_SIGNATURE = b"PK\x03\x04"
EMPTY_ZIP_SIGNATURE = b"PK\x05\x06"
OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
MACRO_CONTENT_TYPES = (b"macroEnabled", b"vbaProject")

FRESH_COPY = "Save it as an Excel Workbook (.xlsx) and upload it again."


class UploadRefused(AssessmentError):
    """The file is not one the app will open; the message says why and what to do."""


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_size(size: int) -> None:
    if size == 0:
        raise UploadRefused("The file is empty (0 bytes). Choose the filled-in .xlsx workbook and upload it again.")
    if size > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            f"The file is {megabytes(size)}; the largest file accepted is {MAX_UPLOAD_MB} MB. "
            "A filled-in return is usually well under 1 MB: check you chose the right file."
        )


def check_xlsx(data: bytes, filename: str | None = None) -> None:
    """Refuse, with a clear message, anything that is not a safe, macro-free .xlsx workbook."""
    check_size(len(data))
    name = (filename or "").lower()
    if name.endswith((".xlsm", ".xltm", ".xlam")):
        raise UploadRefused(_macro_message())
    if data.startswith(OLE2_SIGNATURE):
        raise UploadRefused(
            "The file is password-protected, or saved in the old Excel 97-2003 (.xls) format, so it cannot be read. "
            "Remove the password (in Excel: File > Info > Protect Workbook > Encrypt with Password, and clear it) "
            f"or {FRESH_COPY[0].lower()}{FRESH_COPY[1:]}"
        )
    if not data.startswith((ZIP_SIGNATURE, EMPTY_ZIP_SIGNATURE)):
        if _looks_like_text(data):
            raise UploadRefused(
                "The file is not an Excel workbook: it holds plain text, such as CSV. "
                "Open it in Excel and save it as an Excel Workbook (.xlsx), or fill in the template from the Start page."
            )
        raise UploadRefused(
            "The file is not an Excel workbook (.xlsx). Upload the template from the Start page, filled in and saved "
            "as .xlsx, or a report downloaded from the app."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise UploadRefused(
            f"The file is damaged or incomplete: it may not have finished saving or downloading. {FRESH_COPY}"
        ) from None
    with archive:
        entries = archive.infolist()
        _check_entries(entries)
        names = {entry.filename for entry in entries}
        if any(entry.flag_bits & 0x1 for entry in entries):
            raise UploadRefused(
                "The file is password-protected, so it cannot be read. Remove the password and upload it again."
            )
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise UploadRefused(_macro_message())
        if "[Content_Types].xml" in names:
            content_types = _read_small(archive, "[Content_Types].xml")
            if any(marker in content_types for marker in MACRO_CONTENT_TYPES):
                raise UploadRefused(_macro_message())
        if "xl/workbook.xml" not in names:
            raise UploadRefused(
                "The file is a zip archive but not an Excel workbook (it has no xl/workbook.xml). "
                "Upload the filled-in template or a report downloaded from the app."
            )


def _check_entries(entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ENTRIES:
        raise UploadRefused(
            f"The file holds {len(entries)} parts, more than a workbook from this app ever needs ({MAX_ENTRIES}), "
            "so it was refused as unsafe."
        )
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UploadRefused(
            f"The file would unpack to {megabytes(total)}, far more than a return needs "
            f"(at most {megabytes(MAX_UNCOMPRESSED_BYTES)}), so it was refused as unsafe."
        )
    for entry in entries:
        if entry.file_size >= RATIO_CHECKED_FROM:
            ratio = entry.file_size / max(entry.compress_size, 1)
            if ratio > MAX_RATIO:
                raise UploadRefused(
                    f"The file is compressed far more than a normal workbook (part {entry.filename!r} unpacks "
                    f"{ratio:,.0f} times larger), so it was refused as unsafe."
                )


def _read_small(archive: zipfile.ZipFile, name: str, limit: int = 1024 * 1024) -> bytes:
    try:
        with archive.open(name) as handle:
            return handle.read(limit)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
        raise UploadRefused(
            f"The file is damaged or incomplete: it may not have finished saving or downloading. {FRESH_COPY}"
        ) from None


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    try:
        text = sample.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return bool(text.strip()) and all(ch.isprintable() or ch in "\r\n\t" for ch in text)


def _macro_message() -> str:
    return (
        "The file contains macros (a macro-enabled .xlsm workbook). For safety the app only opens workbooks "
        "without macros: in Excel choose File > Save As > Excel Workbook (.xlsx), then upload that copy."
    )

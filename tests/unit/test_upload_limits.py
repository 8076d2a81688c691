"""Each upload limit holds exactly at its boundary: a file at the limit is opened, one past it is refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from assessment.files import safety
from assessment.files.safety import (
    MAX_ENTRIES,
    MAX_RATIO,
    MAX_UNCOMPRESSED_BYTES,
    MAX_UPLOAD_BYTES,
    RATIO_CHECKED_FROM,
    UploadRefused,
    check_size,
    check_xlsx,
)


def part(name: str = "xl/part.xml", size: int = 10, compressed: int = 10) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.file_size, info.compress_size = size, compressed
    return info


def refused(check, *args) -> str:
    with pytest.raises(UploadRefused) as caught:
        check(*args)
    message = str(caught.value)
    # Every refusal is plain sentences about the file: it starts "The file" and ends with a full stop.
    assert message.startswith("The file ") and message.endswith("."), message
    return message


def test_a_file_at_the_size_limit_is_accepted_and_one_byte_more_is_refused():
    check_size(MAX_UPLOAD_BYTES)
    check_size(1)
    message = refused(check_size, MAX_UPLOAD_BYTES + 1)
    assert f"the largest file accepted is {safety.MAX_UPLOAD_MB} MB" in message
    assert "The file is 5.0 MB;" in message  # 5 MB and one byte, to one decimal place
    assert "The file is 7.5 MB;" in refused(check_size, MAX_UPLOAD_BYTES * 3 // 2)
    assert "The file is empty (0 bytes)" in refused(check_size, 0)


def test_the_number_of_parts_is_limited():
    safety._check_entries([part(f"xl/p{n}.xml") for n in range(MAX_ENTRIES)])
    message = refused(safety._check_entries, [part(f"xl/p{n}.xml") for n in range(MAX_ENTRIES + 1)])
    assert f"holds {MAX_ENTRIES + 1} parts" in message
    assert f"({MAX_ENTRIES})" in message


def test_the_unpacked_size_is_limited():
    half = MAX_UNCOMPRESSED_BYTES // 2
    exact = [part("a", half, half), part("b", MAX_UNCOMPRESSED_BYTES - half, MAX_UNCOMPRESSED_BYTES - half)]
    safety._check_entries(exact)
    message = refused(safety._check_entries, [*exact, part("c", 1, 1)])
    assert "would unpack to 60.0 MB, far more than a return needs (at most 60.0 MB)" in message


def test_the_compression_ratio_is_limited_from_the_size_where_it_is_checked():
    size = RATIO_CHECKED_FROM
    safety._check_entries([part(size=size, compressed=size // MAX_RATIO + 1)])
    safety._check_entries([part(size=size - 1, compressed=1)])  # small parts may compress any amount
    assert "unpacks 262,144 times larger" in refused(safety._check_entries, [part(size=size, compressed=1)])
    # Exactly at the ratio is allowed; just past it is refused, and a part stored with no size is not a division by 0.
    safety._check_entries([part(size=MAX_RATIO * 4096, compressed=4096)])
    message = refused(safety._check_entries, [part("xl/big.xml", size=MAX_RATIO * 4096 + 1, compressed=4096)])
    assert "'xl/big.xml' unpacks" in message
    assert f"{MAX_RATIO * 4096:,}" in refused(safety._check_entries, [part(size=MAX_RATIO * 4096, compressed=0)])


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


WORKBOOK = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


def test_a_minimal_workbook_passes_every_check():
    check_xlsx(zipped(WORKBOOK), "return.xlsx")


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (zipped(WORKBOOK), "return.xlsm", "contains macros"),
        (zipped(WORKBOOK), "RETURN.XLTM", "contains macros"),
        (zipped(WORKBOOK), "Add-in.XLAM", "contains macros"),
        (zipped({**WORKBOOK, "xl/vbaProject.bin": b"x"}), "return.xlsx", "contains macros"),
        (zipped({"[Content_Types].xml": b"macroEnabled", "xl/workbook.xml": b""}), "r.xlsx", "contains macros"),
        (zipped({"[Content_Types].xml": b"<Types/>"}), "r.xlsx", "no xl/workbook.xml"),
        (bytes.fromhex("D0CF11E0A1B11AE1") + b"0" * 100, "r.xlsx", "password-protected, or saved in the old"),
        (b"area,year\nNorthshire,2026\n", "r.xlsx", "it holds plain text, such as CSV"),
        (b"\x00\x01\x02 not a workbook", "r.xlsx", "The file is not an Excel workbook (.xlsx)"),
        (b"PK\x03\x04 truncated", "r.xlsx", "damaged or incomplete"),
    ],
)
def test_each_unsafe_or_wrong_file_is_refused_with_its_own_message(data, filename, expected):
    assert expected in refused(check_xlsx, data, filename)


def test_an_encrypted_part_is_refused():
    data = bytearray(zipped(WORKBOOK))
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x1  # the "encrypted" flag of the first part, in the central directory
    data = bytes(data)
    assert "password-protected, so it cannot be read" in refused(check_xlsx, data, "r.xlsx")


def test_a_text_file_is_judged_by_its_first_4_kb():
    # A CSV is named as text from its first 4,096 bytes; what comes after them is not read.
    text = b"area,year\n" + b"x" * (4096 - 10)
    assert "it holds plain text" in refused(check_xlsx, text + b"\x00\x01", "r.csv")
    # A file that is not text within its first 4,096 bytes gets the general message.
    assert "not an Excel workbook (.xlsx). Upload" in refused(check_xlsx, text[:-1] + b"\x00", "r.csv")


def test_a_file_of_blank_space_or_with_a_byte_order_mark_is_still_told_apart():
    assert "it holds plain text" in refused(check_xlsx, "\ufeffarea,year\r\n\tNorthshire".encode(), "r.csv")
    assert "not an Excel workbook (.xlsx). Upload" in refused(check_xlsx, b" \r\n\t ", "r.csv")


def test_the_list_of_content_types_is_read_only_up_to_1_mb():
    # The part is read to look for macros; a part bigger than a workbook's ever is read no further than 1 MB.
    big = b"<Types>" + b"x" * (2 * 1024 * 1024)
    with zipfile.ZipFile(io.BytesIO(zipped({"[Content_Types].xml": big}))) as archive:
        assert len(safety._read_small(archive, "[Content_Types].xml")) == 1024 * 1024

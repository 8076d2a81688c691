"""`make print-check`: print the report's Board summary with LibreOffice and count its pages (at most two).

A developer's check, not part of `make test`: it needs LibreOffice Calc (`apt-get install libreoffice-calc`) and
poppler-utils (`pdftotext`), several hundred MB that the test run does not install. The unit tests check the print
set-up that keeps the summary to two pages (tests/unit/test_board_summary.py); this shows that LibreOffice agrees.
It prints the fictional example and a crowded summary (a long area name, a masked note, long owners), and keeps the
PDFs in test-artifacts/ to look at.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from assessment.files.excel.report import build_report
from assessment.services import example_assessment
from questions.loader import get_bank
from tests.unit.test_board_summary import crowded

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
MOST_PAGES = 2


def board_summary_pages(xlsx: bytes, keep: Path) -> int:
    """How many printed pages the Board summary takes: the pages headed by its title, which repeats on each."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder, "report.xlsx")
        source.write_bytes(xlsx)
        profile = Path(folder, "profile").as_uri()  # its own LibreOffice profile, so a running LibreOffice is no bother
        subprocess.run(
            ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", folder,
             str(source)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        pdf = Path(folder, "report.pdf")
        shutil.copy(pdf, keep)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    pages = text.stdout.split("\f")
    return sum(1 for page in pages if page.strip().startswith("Board summary:"))


def main() -> int:
    missing = [tool for tool in ("soffice", "pdftotext") if shutil.which(tool) is None]
    if missing:
        print(f"print-check needs {' and '.join(missing)}: apt-get install libreoffice-calc poppler-utils")
        return 2
    bank = get_bank()
    ARTIFACTS.mkdir(exist_ok=True)
    failed = False
    for name, assessment in (("example", example_assessment(bank, year=2026)), ("crowded", crowded())):
        keep = ARTIFACTS / f"board-summary-{name}.pdf"
        pages = board_summary_pages(build_report(bank, assessment), keep)
        ok = 1 <= pages <= MOST_PAGES
        failed |= not ok
        print(
            f"{'ok' if ok else 'FAIL'}: the {name} Board summary prints on {pages} A4 page(s) in LibreOffice ({keep})"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

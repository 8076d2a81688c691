"""AppTest helpers: every page test runs the real app on a real SQLite file in a temporary folder."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from assessment.store import Store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    path = tmp_path / "app.sqlite3"
    monkeypatch.setenv("IOM_DB_PATH", str(path))
    return Store(path)


def open_page(page: str, assessment_id: str | None = None, **params: str) -> AppTest:
    """Run the app's entry point on ``page`` (a path under app_pages/), as a browser following a link would."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    if assessment_id:
        at.query_params["a"] = assessment_id
    at.query_params.update(params)
    at.switch_page(page)
    return at.run()


def as_shown(markdown: str) -> str:
    """What a reader sees of Markdown that ``plain`` escaped: backslash escapes undone, hard breaks as line breaks."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("  \n", "\n").replace("\u2060", "")


def shown_table(element) -> pd.DataFrame:
    """An st.table's frame as the reader sees it: its text cells and headings with the Markdown escapes undone."""
    frame = element.value.rename(columns=lambda heading: as_shown(str(heading)))
    return frame.map(lambda value: as_shown(value) if isinstance(value, str) else value)


def texts(at: AppTest) -> str:
    """Everything the page wrote, as the reader sees it, as one string, for 'the page says ...' assertions."""
    parts = [
        e.value
        for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success")
        for e in getattr(at, kind)
    ]
    parts += [m.label + " " + str(m.value) for m in at.metric]
    # st.html's words (the survey's "Saved" note), without its scripts and tags.
    parts += [
        re.sub(r"<[^>]+>", "", re.sub(r"<(script|style).*?</\1>", "", h.proto.body, flags=re.S)) for h in at.get("html")
    ]
    return "\n".join(as_shown(str(p)) for p in parts)

"""Small pieces of screen that several pages show the same way."""

from __future__ import annotations

import streamlit as st

from assessment.privacy import find_personal_data


def personal_data_warnings(text: str) -> None:
    """A visible warning for each kind of personal detail a note seems to hold."""
    for warning in find_personal_data(text):
        st.warning(warning.message(), icon=":material/privacy_tip:")


def table(rows: list[dict], columns: dict[str, str]) -> None:
    """A read-only table of ``rows``, showing ``columns`` (row key -> heading) in that order.

    Built as an Arrow table directly: it is several times cheaper on each rerun than a pandas frame.
    """
    import pyarrow as pa

    data = {heading: [row[key] for row in rows] for key, heading in columns.items()}
    st.dataframe(
        pa.table(data) if rows else pa.table({h: pa.array([], pa.string()) for h in data}),
        hide_index=True,
        width="stretch",
    )

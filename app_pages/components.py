"""Small pieces of screen that several pages show the same way."""

from __future__ import annotations

import re
import textwrap

import altair as alt
import pandas as pd
import streamlit as st

from assessment.privacy import find_personal_data

# Every ASCII punctuation character: CommonMark lets a backslash escape any of them, and each starts some piece of
# Markdown (emphasis, links, images, lists, headings, tables, maths, HTML, entities, Streamlit's :colour[...]).
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Streamlit swaps :name: for an emoji, an icon or its logo after parsing, so escaping cannot stop it: an invisible
# word joiner after the first colon does.
_SHORTCODE = re.compile(r":(?=[\w+\-]+:)")


def plain(text: object) -> str:
    """Text from a user or a file, as Markdown that shows it exactly as written: nothing in it is ever read as
    Markdown (no bold, links, images, lists or icons). Every st.* call that shows such text passes it through this.
    Line breaks are kept as line breaks."""
    lines = str(text).replace("\r\n", "\n").split("\n")
    return "  \n".join(_PUNCTUATION.sub(r"\\\1", _SHORTCODE.sub(":\u2060", line)).strip() for line in lines)


def personal_data_warnings(text: str) -> None:
    """A visible warning for each kind of personal detail a note seems to hold; it says that exports mask it."""
    for warning in find_personal_data(text):
        st.warning(plain(warning.message()), icon=":material/privacy_tip:")


def table(rows: list[dict], columns: dict[str, str], *, caption: str | None = None) -> None:
    """A read-only table of ``rows``, showing ``columns`` (row key -> heading) in that order.

    A static table: every row shows and long text wraps, so nothing is cut off or hidden behind a scroll bar.
    It is built as an Arrow table directly, which is several times cheaper on each rerun than a pandas frame.
    """
    import pyarrow as pa

    data = {plain(heading): [_cell(row[key]) for row in rows] for key, heading in columns.items()}
    st.table(pa.table(data), hide_index=True, border="horizontal", alt=caption)


def literal_table(frame: pd.DataFrame, **kwargs) -> None:
    """``st.table`` of a frame whose text shows as written: st.table reads Markdown in its cells and headings, so an
    area's name or a note could otherwise show an image from anywhere."""
    shown = frame.rename(columns=lambda heading: plain(str(heading)))
    st.table(shown.map(lambda value: plain(value) if isinstance(value, str) else value), **kwargs)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str):
        return plain(value)  # st.table reads Markdown in its cells
    return str(value)


# Text in charts: the page's own dark grey-black, not Vega's lighter default grey (3.72:1 on white).
TEXT_COLOUR = "#0b0c0c"
BAND_COLOURS = ["#d4351c", "#f47738", "#ffdd00", "#85994b", "#00703c"]
LABEL_CHARACTERS = 40  # a label line fits a 320 px screen at 13 px
LINE_HEIGHT = 16


@st.cache_data(max_entries=64, show_spinner=False)
def principle_chart(rows: list[dict], band_labels: list[str]) -> dict:
    """The bar chart as a Vega-Lite spec: built and validated by altair once per set of scores, not on every rerun.

    Each principle's name, score, band and target are written above its bar, wrapped to fit a phone's width, so
    nothing is cut off however narrow the screen; a black mark on each bar shows its target.
    """
    data = pd.DataFrame(rows)
    wrapped = [
        textwrap.wrap(
            f"{row['Principle']}: {row['Score shown']}"
            + ("" if row["Band"] == row["Score shown"] else f" {row['Band']}")
            + f" (target {row['Target level']})",
            LABEL_CHARACTERS,
        )
        for row in rows
    ]
    lines = max(len(label) for label in wrapped)
    # Shorter labels start with blank lines, so every label's last line sits just above its own bar.
    data["Label"] = ["\n".join([""] * (lines - len(label)) + label) for label in wrapped]
    top_gap, bar_height = 10, 18
    step = top_gap + LINE_HEIGHT * lines + 4 + bar_height + 6
    base = alt.Chart(data).encode(
        y=alt.Y("Principle:N", sort=None, title=None, axis=None, scale=alt.Scale(paddingInner=0, paddingOuter=0))
    )
    bar_offset = -step / 2 + top_gap + LINE_HEIGHT * lines + 4 + bar_height / 2  # from the middle of the row
    bars = base.mark_bar(height=bar_height, yOffset=bar_offset).encode(
        x=alt.X(
            "Score:Q",
            scale=alt.Scale(domain=[0, 4]),
            axis=alt.Axis(
                values=[0, 1, 2, 3, 4],
                format="d",
                labelColor=TEXT_COLOUR,
                titleColor=TEXT_COLOUR,
                labelFontSize=12,
                titleFontSize=12,
                titleFontWeight="normal",
            ),
            title="Score (0 Not in place to 4 Embedded)",
        ),
        color=alt.Color("Band:N", scale=alt.Scale(domain=band_labels, range=BAND_COLOURS), legend=None),
        tooltip=["Principle", "Score shown", "Band", "Target", "Statements scored"],
    )
    targets = base.mark_tick(color=TEXT_COLOUR, thickness=3, size=26, yOffset=bar_offset).encode(x="Target level:Q")
    labels = base.mark_text(
        align="left",
        baseline="top",
        fontSize=13,
        lineHeight=LINE_HEIGHT,
        lineBreak="\n",
        color=TEXT_COLOUR,
        yOffset=-step / 2 + top_gap,
    ).encode(x=alt.datum(0), text="Label:N")
    chart = (bars + targets + labels).properties(height=alt.Step(step)).configure_view(stroke=None)
    return inline_data(chart.to_dict())


def inline_data(spec: dict) -> dict:
    """Put the chart's named dataset inline, so Streamlit sends the spec as it is instead of converting the data
    to Arrow on every rerun."""
    datasets = spec.pop("datasets", {})
    data = spec.get("data", {})
    if "name" in data and data["name"] in datasets:
        spec["data"] = {"values": datasets[data["name"]]}
    elif datasets:
        spec["datasets"] = datasets
    return spec

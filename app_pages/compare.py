"""Compare areas and years: inspectors set saved and uploaded self-assessments side by side."""

from __future__ import annotations

import functools
import textwrap
from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import state
from app_pages.components import literal_table, plain
from assessment import comparison as cmp
from assessment.files.safety import UPLOAD_LIMIT_TEXT
from assessment.free_text import clean_line
from assessment.services import get_assessment, import_returns, list_assessments
from assessment.wording import INSUFFICIENT

CHOSEN = "compare.chosen"
EXAMPLES = "compare.examples"
UPLOAD = "compare.upload"
OUTCOMES = "compare.outcomes"
BAND_COLOURS = ["#d4351c", "#f47738", "#ffdd00", "#85994b", "#00703c"]
NO_SCORE_COLOUR = "#dddddd"

bank = state.bank()
store = state.store()
actor = state.actor()


def include_examples_changed() -> None:
    """Showing the fictional examples adds them to the comparison; hiding them takes them out."""
    examples = {s.id for s in list_assessments(store, actor=actor) if s.is_example}
    chosen = [i for i in st.session_state.get(CHOSEN, []) if i not in examples]
    st.session_state[CHOSEN] = chosen + sorted(examples) if st.session_state[EXAMPLES] else chosen


def import_uploads() -> None:
    """Import every uploaded return, keep a note of what happened to each, and add them to the comparison."""
    files = st.session_state.get(UPLOAD) or []
    outcomes = import_returns(store, bank, [(file.name, file.getvalue()) for file in files], actor=actor)
    st.session_state[OUTCOMES] = outcomes
    added = [o.assessment_id for o in outcomes if o.assessment_id]
    if {s.id for s in list_assessments(store, actor=actor) if s.is_example} & set(added):
        st.session_state[EXAMPLES] = True
    chosen = st.session_state.get(CHOSEN, [])
    st.session_state[CHOSEN] = chosen + [i for i in dict.fromkeys(added) if i not in chosen]


@st.cache_data(max_entries=32, show_spinner=False)
def score_chart(cells: list[dict], band_labels: list[str]) -> dict:
    """The heat map as a Vega-Lite spec: built by altair once per set of scores, not on every rerun."""
    data = pd.DataFrame(cells)
    base = alt.Chart(data).encode(
        x=alt.X(
            "Principle:N",
            sort=None,
            title=None,
            axis=alt.Axis(
                orient="bottom",
                labelAngle=0,
                labelExpr="split(datum.label, '|')",
                labelFontSize=11,
                labelLimit=150,
                labelOverlap=False,
                labelPadding=6,
            ),
        ),
        y=alt.Y(
            "Assessment:N", sort=None, title=None, axis=alt.Axis(labelLimit=320, labelFontSize=13, labelOverlap=False)
        ),
    )
    cells_layer = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "Band:N",
            scale=alt.Scale(domain=[*band_labels, INSUFFICIENT], range=[*BAND_COLOURS, NO_SCORE_COLOUR]),
            legend=alt.Legend(title="Band", orient="bottom", columns=6),
        ),
        tooltip=[
            alt.Tooltip("Assessment:N"),
            alt.Tooltip("Principle name:N", title="Principle"),
            alt.Tooltip("Score shown:N", title="Score"),
            alt.Tooltip("Band:N"),
        ],
    )
    text_layer = base.mark_text(fontSize=13).encode(
        text="Score shown:N", color=alt.Color("Text colour:N", scale=None, legend=None)
    )
    return (cells_layer + text_layer).properties(height=alt.Step(40)).to_dict()


def chart_cells(comparison: cmp.Comparison) -> list[dict]:
    cells = []
    for row in comparison.rows:
        for principle, value, band in zip(bank.principles, row.principle_scores, row.principle_bands, strict=True):
            cells.append(
                {
                    "Assessment": row.label,
                    "Principle": "|".join(textwrap.wrap(f"{principle.number}. {principle.name}", 16)),
                    "Principle name": f"{principle.number}. {principle.name}",
                    "Score shown": "No score" if value is None else f"{value:.1f}",
                    "Band": INSUFFICIENT if band is None else bank.level_label(band),
                    "Text colour": "white" if band in (0, 4) else "#0b0c0c",
                }
            )
    return cells


SHORT_HEADINGS = {f"{p.number}. {p.name}": f"Principle {p.number}" for p in bank.principles}

st.title("Compare areas and years")
st.write(
    "Set IOM self-assessments side by side: the six principle scores, partner involvement beside the national "
    "survey, and how each area has changed from one year to the next. Every score is worked out by the same "
    "published method as the Results page."
)

# ---- choose what to compare -------------------------------------------------------------------------------------
saved = list_assessments(store, actor=actor)
st.header("Choose the assessments", divider="gray")
st.toggle(
    "Include the fictional example areas",
    key=EXAMPLES,
    on_change=include_examples_changed,
    help="Example areas are made up to show how the service works. Leave them out of a real comparison.",
)
options = {s.id: s for s in saved if st.session_state.get(EXAMPLES) or not s.is_example}
st.session_state.setdefault(CHOSEN, [s.id for s in saved if not s.is_example])
still_there = [i for i in st.session_state[CHOSEN] if i in options]
if still_there != st.session_state[CHOSEN]:
    st.session_state[CHOSEN] = still_there
total = len(bank.statements())
if options:
    st.multiselect(
        "Self-assessments to compare",
        options=list(options),
        format_func=lambda i: (
            f"{clean_line(options[i].area)} {options[i].year} ({options[i].answered} of {total} answered)"
        ),
        key=CHOSEN,
        placeholder="Choose areas and years",
        help="All saved self-assessments are chosen at first. Remove any you do not want to compare.",
    )
else:
    st.write(
        "Only fictional example areas have been saved so far: turn on 'Include the fictional example areas' to see "
        "how a comparison looks, or upload returns below."
        if saved
        else "No self-assessments have been saved yet. Upload returns below to compare them."
    )

with st.expander("Add returns from files", expanded=not saved, icon=":material/upload_file:"):
    st.write(
        "Upload filled-in templates, reports or JSON files, as many as you like at once. Each file is checked "
        "on its own, and a file with problems does not stop the others. A return for an area and year that is "
        "already saved is not imported again, so no area is counted twice."
    )
    uploads = st.file_uploader(
        "Returns to add (Excel or JSON)",
        type=["xlsx", "json"],
        accept_multiple_files=True,
        key=UPLOAD,
        help=f"{UPLOAD_LIMIT_TEXT} each. Every answer is checked before anything is saved.",
    )
    st.button(
        "Add these returns to the comparison",
        key="compare.import",
        type="primary",
        disabled=not uploads,
        on_click=import_uploads,
    )
    for outcome in st.session_state.get(OUTCOMES, []):
        name = f"**{plain(outcome.filename)}**"
        if outcome.status == "imported":
            st.success(f"{name}: {plain(outcome.message)}", icon=":material/check_circle:")
            for note in outcome.notes:
                st.info(f"{name}: {plain(note)}")
        elif outcome.status == "skipped":
            st.warning(f"{name}: {plain(outcome.message)}", icon=":material/content_copy:")
        else:
            st.error(f"{name}: {plain(outcome.message)}", icon=":material/error:")

chosen = st.session_state[CHOSEN]
if not chosen:
    st.info("Choose at least one self-assessment, or add returns from files, to see the comparison.")
    st.stop()

comparison = cmp.compare(bank, [get_assessment(store, i, actor=actor) for i in chosen])
for note in comparison.notes:
    st.warning(plain(note), icon=":material/info:")

areas = comparison.areas
st.write(
    f"Comparing {len(comparison.rows)} self-assessment{'s' if len(comparison.rows) != 1 else ''} "
    f"of {areas} area{'s' if areas != 1 else ''}."
)
st.download_button(
    "Download the comparison (CSV)",
    data=functools.partial(cmp.comparison_csv, comparison),
    file_name=f"IOM-comparison-{date.today():%Y-%m-%d}.csv",
    mime="text/csv",
    key="compare.csv",
    icon=":material/download:",
    on_click="ignore",
    help="One line per self-assessment: every score, the counts, and each partner's involvement at each level. "
    "A blank score means 'Insufficient evidence'.",
)

# ---- scores ---------------------------------------------------------------------------------------------------
st.header("Scores by principle", divider="gray")
st.write(
    "Each principle is scored from 0 (Not in place) to 4 (Embedded). 'Insufficient evidence' means fewer than "
    "half of the principle's applicable statements have a level, so there is no score."
)
described = ". ".join(
    f"{row.label}: "
    + ", ".join(
        f"principle {number} {'no score' if value is None else f'{value:.1f}'}"
        for number, value in enumerate(row.principle_scores, start=1)
    )
    for row in comparison.rows
)
st.vega_lite_chart(
    score_chart(chart_cells(comparison), [level.label for level in bank.levels]),
    width="stretch",
    alt=f"Heat map of the six principle scores of each self-assessment, coloured by band. {described}. "
    "The same figures are in the table below.",
)
overview = cmp.overview_rows(bank, comparison)
if len(comparison.rows) > 1:
    overview.append(cmp.mean_row(bank, comparison))
literal_table(pd.DataFrame(overview).rename(columns=SHORT_HEADINGS), hide_index=True)
st.caption(
    "Principles: "
    + "; ".join(comparison.principle_names)
    + ". The overall score is the mean of the six principle scores, shown only when all six have one. The mean "
    "of the assessments is taken over those with a score."
)

# ---- partners -------------------------------------------------------------------------------------------------
st.header("Partner involvement across areas", divider="gray")
st.write(
    "The share of the areas compared that involve each partner at strategic or operational level, beside the "
    "share of IOM areas that reported involving it in the Home Office's national survey (2013). Each area counts "
    "once, at its latest year; an area that answered 'Don't know' for a partner is left out of that partner's share."
)
literal_table(pd.DataFrame(cmp.partner_share_rows(comparison)), hide_index=True)
st.caption(
    "Source of the national figures: 003_05e4acfc6c020f2c.txt, 'Who is involved?'. "
    "Where the sources give no national figure, the table says so."
)
st.subheader("Each partner in each self-assessment")
grid = cmp.partner_grid_rows(comparison)
# Tall enough for every partner without scrolling; wide tables scroll sideways.
st.dataframe(
    pd.DataFrame(grid),
    hide_index=True,
    height=35 * (len(grid) + 1) + 3,
    column_config={"Partner": st.column_config.TextColumn("Partner", width="medium", pinned=True)},
)

# ---- year on year ---------------------------------------------------------------------------------------------
st.header("Change from year to year", divider="gray")
changes = cmp.change_rows(comparison)
if not changes:
    st.write(
        "None of the areas chosen has more than one year. Choose two or more years of the same area to see "
        "how its scores have changed."
    )
else:
    st.write(
        "For each area, the change in each score from one year it was assessed to the next: a positive number is "
        "a rise. 'Insufficient evidence' means one of the two years has no score for that principle."
    )
    literal_table(pd.DataFrame(changes).rename(columns=SHORT_HEADINGS), hide_index=True)

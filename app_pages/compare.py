"""Compare areas and years: inspectors set saved and uploaded self-assessments side by side."""

from __future__ import annotations

import functools
import textwrap
from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import state
from app_pages.components import TEXT_COLOUR, literal_table, plain
from assessment import comparison as cmp
from assessment import tables
from assessment.files.excel.comparison import build_comparison_workbook
from assessment.files.safety import UPLOAD_LIMIT_TEXT
from assessment.free_text import clean_line
from assessment.scoring import score
from assessment.services import (
    compare_saved,
    get_assessment,
    import_returns,
    import_summary,
    list_assessments,
    provenance_of,
)
from assessment.wording import INSUFFICIENT
from benchmarks.areas import get_register
from benchmarks.loader import get_library

CHOSEN = "compare.chosen"
EXAMPLES = "compare.examples"
UPLOAD = "compare.upload"
OUTCOMES = "compare.outcomes"
PROVENANCE = "compare.provenance"
CHOOSE = "compare.choose"
CONFIRMED = "compare.confirmed"
OPEN = "compare.open"
PAGE_SIZE = 25
ALL = "All"
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
    st.session_state.setdefault(PROVENANCE, {}).update(provenance_of(outcomes))
    added = [o.assessment_id for o in outcomes if o.assessment_id]
    if {s.id for s in list_assessments(store, actor=actor) if s.is_example} & set(added):
        st.session_state[EXAMPLES] = True
    chosen = st.session_state.get(CHOSEN, [])
    st.session_state[CHOSEN] = chosen + [i for i in dict.fromkeys(added) if i not in chosen]


@st.cache_data(max_entries=32, show_spinner=False)
def score_chart(cells: list[dict], band_labels: list[str]) -> dict:
    """The heat map as a Vega-Lite spec, principle numbers on top; clicking a row or cell selects its assessment.

    Columns are headed by the principle's number (the names are in the caption below the table) and long area
    names wrap onto more lines, so the map stays legible on a phone and no label is cut short.
    """
    data = pd.DataFrame(cells)
    axis_text = {"labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR, "labelFontSize": 13, "labelOverlap": False}
    base = alt.Chart(data).encode(
        x=alt.X(
            "Principle:N",
            sort=None,
            title="Principle",
            axis=alt.Axis(orient="top", labelAngle=0, titleFontWeight="normal", **axis_text),
        ),
        y=alt.Y(
            "Assessment label:N",
            sort=None,
            title=None,
            axis=alt.Axis(labelExpr="split(datum.label, '|')", labelLimit=0, **axis_text),
        ),
    )
    cells_layer = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "Band:N",
            scale=alt.Scale(domain=[*band_labels, INSUFFICIENT], range=[*BAND_COLOURS, NO_SCORE_COLOUR]),
            legend=alt.Legend(
                title="Band", orient="bottom", columns=1, labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR, labelLimit=0
            ),
        ),
        tooltip=[
            alt.Tooltip("Assessment:N"),
            alt.Tooltip("Principle name:N", title="Principle"),
            alt.Tooltip("Score shown:N", title="Score"),
            alt.Tooltip("Band:N"),
        ],
    )
    text_layer = base.mark_text(fontSize=13, lineBreak="|").encode(
        text="Cell text:N", color=alt.Color("Text colour:N", scale=None, legend=None)
    )
    pick = alt.selection_point(name="pick", fields=["Assessment"], on="click")
    lines = max(str(cell["Assessment label"]).count("|") + 1 for cell in cells)
    return (cells_layer.add_params(pick) + text_layer).properties(height=alt.Step(max(34, 16 * lines + 8))).to_dict()


def chart_cells(rows) -> list[dict]:
    cells = []
    for row in rows:
        for principle, value, band in zip(bank.principles, row.principle_scores, row.principle_bands, strict=True):
            cells.append(
                {
                    "Assessment": row.label,
                    "Assessment label": "|".join(textwrap.wrap(row.label, 18)),
                    "Principle": str(principle.number),
                    "Principle name": f"{principle.number}. {principle.name}",
                    "Score shown": "No score" if value is None else f"{value:.1f}",
                    "Cell text": "No|score" if value is None else f"{value:.1f}",  # two short lines fit a phone
                    "Band": INSUFFICIENT if band is None else bank.level_label(band),
                    "Text colour": "white" if band in (0, 4) else "#0b0c0c",
                }
            )
    return cells


SHORT_HEADINGS = {f"{p.number}. {p.name}": f"Principle {p.number}" for p in bank.principles}
register = get_register()


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def show_import_outcomes() -> None:
    """The summary first ('41 imported, 2 refused'), then each file's details in a box that scrolls."""
    outcomes = st.session_state.get(OUTCOMES, [])
    if not outcomes:
        return
    refused = any(o.status == "refused" for o in outcomes)
    (st.warning if refused else st.success)(plain(import_summary(outcomes)) + ".")
    with st.container(height=min(320, 80 + 60 * len(outcomes)), border=True):
        for outcome in outcomes:
            name = f"**{plain(outcome.filename)}**"
            if outcome.status == "imported":
                st.markdown(f":material/check_circle: {name}: {plain(outcome.message)}")
                for note in outcome.notes:
                    st.caption(f"{name}: {plain(note)}")
            elif outcome.status == "skipped":
                st.markdown(f":material/content_copy: {name}: {plain(outcome.message)}")
            else:
                st.error(f"{name}: {plain(outcome.message)}", icon=":material/error:")


def paged(items: list, key: str, noun: str) -> list:
    """One page of ``items`` (PAGE_SIZE a page) with a page chooser: long lists never fill dozens of screens."""
    if len(items) <= PAGE_SIZE:
        return items
    pages = -(-len(items) // PAGE_SIZE)
    number = st.number_input(
        f"Page of {noun} (1 to {pages}, {PAGE_SIZE} a page)", min_value=1, max_value=pages, step=1, key=key
    )
    start = (int(number) - 1) * PAGE_SIZE
    st.caption(f"Showing {start + 1} to {min(start + PAGE_SIZE, len(items))} of {len(items)} {noun}.")
    return items[start : start + PAGE_SIZE]


def show_answers(assessment_id: str) -> None:
    """One area's answers and evidence notes, read-only."""
    assessment = get_assessment(store, assessment_id, actor=actor)
    scorecard = score(bank, assessment)
    st.subheader(f"Answers of {plain(clean_line(assessment.title))} (read-only)", anchor=False)
    rows = tables.statement_rows(bank, assessment, scorecard.statement_results())
    st.dataframe(
        pd.DataFrame(rows)[["Principle", "Statement", "Answer", "Evidence note"]],
        hide_index=True,
        height=320,
        column_config={"Statement": st.column_config.TextColumn(width="large")},
    )
    partners = tables.partner_rows(scorecard)
    st.dataframe(
        pd.DataFrame(partners)[["Partner", "Strategic level", "Operational level", "Involved"]],
        hide_index=True,
    )


st.title("Compare areas and years", anchor=False)
st.write(
    "Set IOM self-assessments side by side: statistics for each year, each area's scores and rank, partner "
    "involvement beside the national survey, and how areas have changed over the years. Every score is worked "
    "out by the same published method as the Results page. Each area counts once a year."
)

# ---- choose what to compare -------------------------------------------------------------------------------------
saved = list_assessments(store, actor=actor)
st.header("Choose the assessments", divider="gray", anchor=False)
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
    with st.expander(
        f"Self-assessments chosen: {len(st.session_state[CHOSEN])} of {len(options)}", icon=":material/checklist:"
    ):
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
    show_import_outcomes()

chosen = st.session_state[CHOSEN]
if not chosen:
    st.info("Choose at least one self-assessment, or add returns from files, to see the comparison.")
    st.stop()

choose = st.session_state.setdefault(CHOOSE, {})
confirmed = st.session_state.setdefault(CONFIRMED, {})
comparison = compare_saved(
    store,
    bank,
    chosen,
    provenance=st.session_state.get(PROVENANCE),
    choose=choose,
    confirmed=confirmed,
    actor=actor,
)

# ---- notes, duplicates and names to confirm: summarised first ----------------------------------------------------
if comparison.notes:
    first, rest = comparison.notes[:2], comparison.notes[2:]
    for note in first:
        st.warning(plain(note), icon=":material/info:")
    if rest:
        with st.expander(f"{plural(len(rest), 'more note')} to read"):
            for note in rest:
                st.write(plain(note))
if comparison.duplicates:
    with st.expander(
        f"Choose which return stands: {plural(len(comparison.duplicates), 'area and year')} with more than one",
        icon=":material/content_copy:",
    ):
        for duplicate in comparison.duplicates:
            labels = {c.assessment_id: c.label + (f" ({c.file})" if c.file else "") for c in duplicate.candidates}
            picked = st.radio(
                plain(f"{duplicate.area} {duplicate.year}"),
                options=list(labels),
                index=list(labels).index(duplicate.standing.assessment_id),
                format_func=lambda i, labels=labels: clean_line(labels[i]),
                key=f"compare.dup.{duplicate.area_code}.{duplicate.year}",
            )
            if picked != duplicate.standing.assessment_id:
                choose[(duplicate.area_code, duplicate.year)] = picked
                st.rerun()
if comparison.to_confirm:
    with st.expander(f"Confirm {plural(len(comparison.to_confirm), 'area name')}", icon=":material/help:"):
        for match in comparison.to_confirm:
            own = "An area of its own"
            codes = {own: own, **{area.code: area.name for area in match.near}}
            picked = st.selectbox(
                plain(f"Which area is '{clean_line(match.written)}'?"),
                options=list(codes),
                format_func=lambda code, codes=codes: codes[code],
                key=f"compare.confirm.{match.area.code}",
            )
            if picked != own:
                confirmed[match.written] = picked
                st.rerun()

# ---- filters ---------------------------------------------------------------------------------------------------
all_rows = list(comparison.rows)
years = list(comparison.years)
st.header("Filter", divider="gray", anchor=False)
columns = st.columns(3)
year = columns[0].selectbox("Year", options=years[::-1], key="compare.year")
regions = columns[1].multiselect(
    "Regions", options=sorted({row.region for row in all_rows}), key="compare.regions", placeholder=ALL
)
forces = columns[2].multiselect(
    "Force areas",
    options=sorted({row.area for row in all_rows if not regions or row.region in regions}),
    key="compare.forces",
    placeholder=ALL,
)
columns = st.columns(3)
band_labels = [level.label for level in bank.levels]
bands = columns[0].multiselect(
    "Overall band", options=[*band_labels, INSUFFICIENT], key="compare.bands", placeholder=ALL
)
versions = columns[1].multiselect(
    "Question bank version",
    options=sorted({row.bank_version for row in all_rows}),
    key="compare.versions",
    placeholder=ALL,
)
partner_names = {p.id: p.name for p in bank.partners.partners}
partner = columns[2].selectbox(
    "Involves partner",
    options=[ALL, *partner_names],
    format_func=lambda i: partner_names.get(i, ALL),
    key="compare.partner",
)


def kept(row: cmp.AreaRow) -> bool:
    if regions and row.region not in regions:
        return False
    if forces and row.area not in forces:
        return False
    if bands and tables.band_text(bank, row.overall_band) not in bands:
        return False
    if versions and row.bank_version not in versions:
        return False
    if partner != ALL:
        involvement = next(i for p, i in row.partners if p.id == partner)
        if not involvement.involved:
            return False
    return True


filtered = [row for row in all_rows if kept(row)]
year_rows = [row for row in filtered if row.year == year]
st.write(
    f"Comparing {plural(len(filtered), 'self-assessment')} of {plural(len({r.area_key for r in filtered}), 'area')} "
    f"over {plural(len({r.year for r in filtered}), 'year')}; {len(year_rows)} in {year}."
)
downloads = st.columns(2)
downloads[0].download_button(
    "Download the comparison workbook (Excel)",
    data=functools.partial(build_comparison_workbook, bank, comparison),
    file_name=f"IOM-comparison-{date.today():%Y-%m-%d}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="compare.xlsx",
    icon=":material/download:",
    on_click="ignore",
    help="Statistics, scores with their bands, partners, year-on-year changes, the weakest statements and the "
    "source of every row, for every return chosen (the filters here do not apply).",
)
downloads[1].download_button(
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
if not year_rows:
    st.info("No self-assessment matches these filters in this year. Change the filters to see more.")
    st.stop()

# ---- statistics ------------------------------------------------------------------------------------------------
st.header(f"Statistics for {year}", divider="gray", anchor=False)
(stats,) = cmp.year_statistics(year_rows, len(bank.principles))
literal_table(
    pd.DataFrame(cmp.statistics_rows(comparison, [stats])).drop(columns=["Year"]).rename(columns=SHORT_HEADINGS),
    hide_index=True,
)
st.caption(
    f"Principles: {'; '.join(comparison.principle_names)}. {cmp.QUARTILE_METHOD} Ranks are among all the areas "
    "chosen in the year, 1 the highest."
)
distribution = pd.DataFrame(
    [
        {"Principle": str(i + 1), "Score": value}  # numbered, so six fit a phone's width
        for row in year_rows
        for i, value in enumerate(row.principle_scores)
        if value is not None
    ]
)
if not distribution.empty:
    st.vega_lite_chart(
        alt.Chart(distribution)
        .mark_boxplot(extent="min-max", size=30)
        .encode(
            x=alt.X(
                "Principle:N",
                title="Principle",
                axis=alt.Axis(labelAngle=0, labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR, titleFontWeight="normal"),
            ),
            # The axis's name is the chart's title: a turned title at the edge was drawn past the chart's edge.
            y=alt.Y("Score:Q", scale=alt.Scale(domain=[0, 4]), title=None, axis=alt.Axis(labelColor=TEXT_COLOUR)),
        )
        .properties(
            height=260,
            title=alt.TitleParams(
                "Score (0 to 4)", anchor="start", fontSize=12, fontWeight="normal", color=TEXT_COLOUR
            ),
        )
        .to_dict(),
        width="stretch",
        alt=f"Box plots of the scores of each principle in {year}: lowest, quartiles, median and highest. "
        "The same figures are in the table above.",
    )

# ---- scores: heat map and table, a page at a time --------------------------------------------------------------
st.header(f"Scores by area in {year}", divider="gray", anchor=False)
order = st.radio("Order areas by", ["Overall score", "Region"], horizontal=True, key="compare.order")
ordered = sorted(
    year_rows,
    key=(lambda r: (-(r.overall if r.overall is not None else -1), r.area))
    if order == "Overall score"
    else (lambda r: (r.region, r.area)),
)
shown = paged(ordered, "compare.page", "areas")
described = ". ".join(
    f"{row.label}: "
    + ", ".join(
        f"principle {number} {'no score' if value is None else f'{value:.1f}'}"
        for number, value in enumerate(row.principle_scores, start=1)
    )
    for row in shown
)
event = st.vega_lite_chart(
    score_chart(chart_cells(shown), band_labels),
    width="stretch",
    on_select="rerun",
    selection_mode="pick",
    key="compare.heatmap",
    alt=f"Heat map of the six principle scores of each self-assessment, coloured by band. {described}. "
    "The same figures are in the table below.",
)
picked = [item.get("Assessment") for item in (event.selection.get("pick") or [])] if event else []
by_label = {row.label: row.assessment_id for row in year_rows}
if picked and picked[0] in by_label:
    st.session_state[OPEN] = by_label[picked[0]]
literal_table(
    pd.DataFrame([*cmp.overview_rows(bank, comparison, shown), cmp.mean_row(bank, comparison, year, stats)]).rename(
        columns=SHORT_HEADINGS
    ),
    hide_index=True,
)
labels = {row.assessment_id: row.label for row in ordered}
opened = st.selectbox(
    "Open an area's answers (read-only)",
    options=[None, *labels],
    format_func=lambda i: "Choose an area" if i is None else clean_line(labels[i]),
    key=OPEN,
    help="Or click an area's row in the heat map.",
)
if opened:
    show_answers(opened)
if inspected := cmp.moderation_rows(bank, comparison, shown):  # issue 10: the inspector's levels, where recorded
    st.subheader("Self-assessed and inspected", anchor=False)
    literal_table(pd.DataFrame(inspected), hide_index=True)

# ---- outliers and weakest statements ---------------------------------------------------------------------------
st.header("Where areas differ most", divider="gray", anchor=False)
found = cmp.outliers(year_rows, comparison.principle_names)
st.write(
    "Areas more than one band (1.0) from the median of their region's areas this year, where the region has at "
    "least three areas with a score."
)
if found:
    literal_table(pd.DataFrame(cmp.outlier_rows(paged(list(found), "compare.outliers", "outliers"))), hide_index=True)
else:
    st.write("No area is more than a band from its region's median.")
st.subheader("Statements most often weak or 'Don't know'", anchor=False)
st.write("Where national guidance is most needed: the statements most areas rated at level 0 or 1, or did not know.")
weakest = cmp.weakest_statements(bank, year_rows, limit=10)
if weakest:
    literal_table(pd.DataFrame(cmp.weakest_rows(weakest)).drop(columns=["Year"]), hide_index=True)
else:
    st.write("No statement was rated at level 0 or 1, or answered 'Don't know', by these areas.")

# ---- partners -------------------------------------------------------------------------------------------------
st.header("Partner involvement across areas", divider="gray", anchor=False)
st.write(
    f"The share of the areas shown in {year} that involve each partner, at either level and at each level, beside "
    "the share of IOM areas that reported involving it in the Home Office's national survey (2013). An area that "
    "answered 'Don't know' for a partner is left out of that partner's share."
)
shares = cmp.partner_shares(bank, year_rows, get_library())
share_view = cmp.Comparison(comparison.principle_names, (), (), None, shares, (), ())
literal_table(pd.DataFrame(cmp.partner_share_rows(share_view)), hide_index=True)
st.caption(
    f"Source of the national figures: {get_library().survey.source.cite()}. "
    "Where the sources give no national figure, the table says so."
)

# ---- trends ---------------------------------------------------------------------------------------------------
st.header("Trends over the years", divider="gray", anchor=False)
area_options = sorted({(row.area_code, row.area) for row in filtered}, key=lambda item: item[1])
trend_choice = st.selectbox(
    "Show the trend for",
    options=[f"region:{r}" for r in sorted({row.region for row in filtered})] + [f"area:{c}" for c, _ in area_options],
    format_func=lambda value: (
        f"{value.removeprefix('region:')} (mean of its areas)"
        if value.startswith("region:")
        else dict(area_options)[value.removeprefix("area:")]
    ),
    key="compare.trend",
)
trend = cmp.trend_rows(
    filtered,
    comparison.principle_names,
    area_code=trend_choice.removeprefix("area:") if trend_choice.startswith("area:") else None,
    region=trend_choice.removeprefix("region:") if trend_choice.startswith("region:") else None,
)
trend_years = sorted({row["Year"] for row in trend})
if len(trend_years) < 2:
    st.write("Only one year is compared for this choice. Add more years to see a trend.")
else:
    st.vega_lite_chart(
        # One chart as wide as the screen (small multiples side by side were 1,000 px wide on a phone); each
        # principle's line has its own dash and point shape as well as its colour.
        alt.Chart(
            # "Principle 4", not its long name, so the legend fits a phone; the names are in the caption above.
            pd.DataFrame(trend).assign(Principle=lambda f: "Principle " + f["Principle"].str.split(".").str[0])
        )
        .mark_line(point=alt.OverlayMarkDef(size=60))
        .encode(
            x=alt.X("Year:O", title=None, axis=alt.Axis(labelAngle=0, labelColor=TEXT_COLOUR)),
            y=alt.Y("Score:Q", scale=alt.Scale(domain=[0, 4]), title=None, axis=alt.Axis(labelColor=TEXT_COLOUR)),
            color=alt.Color(
                "Principle:N",
                legend=alt.Legend(orient="bottom", columns=1, labelLimit=0, labelColor=TEXT_COLOUR, title=None),
            ),
            strokeDash=alt.StrokeDash("Principle:N", legend=None),
            shape=alt.Shape("Principle:N", legend=None),
            tooltip=["Year", "Principle", "Score"],
        )
        .properties(
            height=260,
            title=alt.TitleParams(
                "Score (0 to 4)", anchor="start", fontSize=12, fontWeight="normal", color=TEXT_COLOUR
            ),
        )
        .to_dict(),
        width="stretch",
        alt=f"Line charts, one per principle, of the scores from {trend_years[0]} to {trend_years[-1]}. "
        + "; ".join(f"{row['Principle']} {row['Year']}: {row['Score']:.1f}" for row in trend),
    )

# ---- year on year ---------------------------------------------------------------------------------------------
st.header("Change from year to year", divider="gray", anchor=False)
kept_areas = {row.area for row in filtered}
changes = [row for row in cmp.change_rows(comparison) if row["Area"] in kept_areas]
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
    literal_table(
        pd.DataFrame(paged(changes, "compare.changes", "changes")).rename(columns=SHORT_HEADINGS), hide_index=True
    )

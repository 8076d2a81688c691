"""The benchmark library: complete, traceable to the seed documents, and strict about broken files."""

from __future__ import annotations

import re
import shutil
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.loader import DATA_DIR, LibraryError, bank_partner_ids, get_library, load_library
from benchmarks.models import PracticeLibrary
from questions.models import PRINCIPLE_NUMBERS, SEED_FILES, Source

REPO = Path(__file__).resolve().parents[2]
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the seed documents are not at {SEEDS}")

PERCENT = re.compile(r"\d+(?:\.\d+)?%")
POUNDS = re.compile(r"£\d+(?:[.,]\d+)*")


@pytest.fixture(scope="module")
def library() -> PracticeLibrary:
    return load_library()


def _normal(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


@cache
def _seed_lines(file: str) -> tuple[str, ...]:
    return tuple(_normal(line).rstrip(":") for line in (SEEDS / file).read_text(encoding="utf-8").splitlines())


def _sources(library: PracticeLibrary) -> list[tuple[str, Source]]:
    found: list[tuple[str, Source]] = [("survey", library.survey.source)]
    found += [(f"national figure {f.partner_id}", f.source) for f in library.national_figures]
    found += [(f"example {e.id}", s) for e in library.examples for s in e.sources]
    found += [(f"enabling factor {f.id}", f.source) for f in library.enabling_factors]
    found += [(f"evidence {f.id}", f.source) for f in library.evidence]
    return found


def _section_text(library: PracticeLibrary, source: Source) -> str:
    """The text under a heading: from the heading line to the next heading the library cites in that file."""
    lines = _seed_lines(source.file)
    start = lines.index(_normal(source.section))
    headings = {_normal(s.section) for _, s in _sources(library) if s.file == source.file}
    end = next((i for i in range(start + 1, len(lines)) if lines[i] in headings), len(lines))
    return " ".join(lines[start:end])


def _cited_text(library: PracticeLibrary, sources: tuple[Source, ...]) -> str:
    return " ".join(_section_text(library, source) for source in sources)


# --- Completeness --------------------------------------------------------------------------------


def test_every_practice_example_the_briefing_names_is_present(library):
    areas = {example.area for example in library.examples}
    assert areas == {
        "Islington",
        "Cambridge and Peterborough",
        "Hampshire",
        "Brighton",
        "Bedfordshire",
        "Durham",
        "Cleveland",
        "Bristol",
        "West Yorkshire",
        "Manchester",
        "St Giles Trust",
        "London",
        "HMP Lewes",
        "Sussex",  # from the overview (003): its board, hubs and evaluation
    }
    titles = " ".join(e.title + " " + e.solution for e in library.examples)
    for name in ("IMPACT", "Spotlight", "Through the Gate", "Diamond Initiative", "HMP Leeds", "IAPT"):
        assert name in titles


def test_the_six_enabling_factors_for_mental_health_access_are_all_there(library):
    assert [f.id for f in library.enabling_factors] == [
        "co-location",
        "primary-care-access-routes",
        "named-mental-health-contact",
        "clear-communication",
        "joint-meetings",
        "mental-health-awareness-training",
    ]
    assert all(f.source.section == "Thinking about mental health" for f in library.enabling_factors)


def test_the_evidence_covers_every_topic_a_board_would_quote(library):
    for topic in ("short-sentence", "mental_health", "alcohol", "housing", "prison", "cost", "evaluation", "drugs"):
        assert any(topic in figure.topics for figure in library.evidence), topic


# --- National figures ----------------------------------------------------------------------------


def test_the_national_figures_are_exactly_the_eight_the_survey_gives(library):
    with_figure = {f.partner_id: f.percent for f in library.national_figures if f.percent is not None}
    assert with_figure == {
        "police": 96,
        "probation": 96,
        "local_authority": 88,
        "drug_treatment": 86,
        "alcohol_treatment": 86,
        "housing": 80,
        "youth_offending": 77,
        "prison": 66,
    }
    assert library.survey.year == 2013
    assert library.survey.source == Source(file="003_05e4acfc6c020f2c.txt", section="Who is involved?")


def test_every_partner_is_listed_and_those_without_a_figure_say_so(library):
    assert sorted(f.partner_id for f in library.national_figures) == sorted(bank_partner_ids())
    for partner_id in ("mental_health", "voluntary_sector", "employment", "primary_care"):
        figure = library.national_figure(partner_id)
        assert figure.percent is None
        assert "no national figure" in figure.note


def test_mental_health_has_no_national_figure(library):
    assert library.national_figure("mental_health").percent is None


def test_the_drug_and_alcohol_figure_is_flagged_as_shared(library):
    for partner_id in ("drug_treatment", "alcohol_treatment"):
        assert "drug and alcohol services together" in library.national_figure(partner_id).note


@needs_seeds
def test_every_national_percentage_appears_in_the_survey_text(library):
    for figure in library.national_figures:
        if figure.percent is not None:
            assert f"{figure.percent} per cent" in _section_text(library, figure.source), figure.partner_id


@given(st.text(max_size=30).filter(lambda text: text not in bank_partner_ids()))
def test_a_partner_the_library_does_not_list_has_no_national_figure(partner_id):
    assert get_library().national_figure(partner_id) is None


# --- Traceability to the seed documents ----------------------------------------------------------


def test_every_figure_and_example_cites_a_known_seed_file(library):
    for what, source in _sources(library):
        assert source.file in SEED_FILES, what


@needs_seeds
def test_every_cited_seed_file_exists():
    for file in SEED_FILES:
        assert (SEEDS / file).is_file(), file


@needs_seeds
def test_every_cited_section_heading_is_a_heading_line_of_the_cited_seed_file(library):
    for what, source in _sources(library):
        assert _normal(source.section) in _seed_lines(source.file), f"{what}: {source.cite()}"


@needs_seeds
def test_every_evidence_figure_is_quoted_exactly_as_its_section_gives_it(library):
    for figure in library.evidence:
        assert _normal(figure.figure) in _section_text(library, figure.source), figure.id


@needs_seeds
def test_every_percentage_and_sum_in_the_evidence_appears_in_the_cited_section(library):
    for figure in library.evidence:
        text = _section_text(library, figure.source)
        for number in PERCENT.findall(figure.statement) + POUNDS.findall(figure.statement):
            assert number in text, f"{figure.id}: {number}"


@needs_seeds
def test_every_percentage_in_a_practice_example_appears_in_the_cited_sections(library):
    for example in library.examples:
        text = _cited_text(library, example.sources)
        for field in (example.need, example.solution, example.outcome):
            for number in PERCENT.findall(field) + POUNDS.findall(field):
                assert number in text, f"{example.id}: {number}"


@needs_seeds
def test_the_briefing_is_reworded_not_copied(library):
    texts = {f"example {e.id}": " ".join((e.need, e.solution, e.outcome)) for e in library.examples}
    texts |= {f"factor {f.id}": f.text for f in library.enabling_factors}
    texts |= {f"evidence {f.id}": f.statement for f in library.evidence}
    seed = " ".join(_seed_lines("001_8e1431ee41747c83.txt"))
    for what, text in texts.items():
        words = _normal(text).split()
        for start in range(len(words) - 9):
            run = " ".join(words[start : start + 10])
            assert run not in seed, f"{what} copies the briefing: {run!r}"


def test_an_outcome_is_only_given_where_the_sources_report_one(library):
    with_outcome = {e.id for e in library.examples if e.outcome}
    assert with_outcome == {
        "brighton-hostels-alcohol-nurse",
        "manchester-spotlight",
        "st-giles-through-the-gate",
        "london-diamond-initiative",
        "hmp-lewes-resettlement",
        "sussex-iom-board-and-hubs",
    }


# --- Practice examples: partners, principles and cost --------------------------------------------


def test_the_briefing_links_islington_and_bristol_to_principle_five(library):
    assert 5 in library.example("islington-iapt-in-probation").principles
    assert 5 in library.example("bristol-impact-prison-officers").principles


def test_every_principle_has_a_practice_example_and_lookups_by_id_work(library):
    for number in PRINCIPLE_NUMBERS:
        assert any(number in e.principles for e in library.examples), f"no example for principle {number}"
    assert {e.id for e in library.examples if "mental_health" in e.partners} == {
        "islington-iapt-in-probation",
        "cambridge-peterborough-mental-health",
    }
    assert "primary_care" in library.enabling_factor("primary-care-access-routes").partners
    assert library.evidence_figure("sussex-cost-benefit").figure == "£1.71"


def test_an_unknown_id_raises_a_key_error(library):
    with pytest.raises(KeyError, match="no practice example"):
        library.example("nowhere")


def test_a_partner_id_the_bank_does_not_have_is_refused_naming_the_file_and_field(tmp_path):
    data = _copy(tmp_path)
    with pytest.raises(LibraryError) as caught:
        load_library(data, partner_ids=tuple(p for p in bank_partner_ids() if p != "housing"))
    assert "'housing' is not a partner in the question bank" in str(caught.value)
    assert "national_figures.toml: field figures[" in str(caught.value)


def test_no_example_is_called_low_cost_because_no_source_states_the_cost_of_any(library):
    # The briefing says many of its examples are cost-neutral but never which; nothing may be inferred.
    assert [e for e in library.examples if e.cost != "not stated"] == []
    assert {e.cost for e in library.examples} == {"not stated"}


def test_a_cost_note_never_guesses_at_a_cost(library):
    for example in library.examples:
        note = example.cost_note.lower()
        assert note.startswith("the sources do not state"), example.id
        for guess in ("likely", "costs little", "costs money", "no new service", "is a cost"):
            assert guess not in note, (example.id, guess)


def test_every_evidence_figure_says_the_year_its_data_comes_from(library):
    for figure in library.evidence:
        if figure.year == "year not given":
            assert "does not give" in figure.statement, figure.id
        else:
            for year in re.findall(r"\d{4}", figure.year):
                assert year in figure.statement, (figure.id, year)


def test_every_outcome_figure_of_a_practice_example_says_when_or_that_no_year_is_given(library):
    for example in library.examples:
        if re.search(r"\d+%|£", example.outcome):
            assert re.search(r"\b(19|20)\d\d\b", example.outcome) or "not give" in example.outcome, example.id


# --- Loading ---------------------------------------------------------------------------------------


def test_the_library_is_read_once_and_cached():
    assert get_library() is get_library()


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "field"),
    [
        ("practice_examples.toml", "principles = [1, 5]", "principles = [1, 7]", "examples[0].principles"),
        ("practice_examples.toml", 'level = "operational"', 'level = "tactical"', "examples[0].level"),
        ("practice_examples.toml", 'cost = "not stated"', 'cost = "likely"', "examples[0].cost"),
        (
            "evidence_figures.toml",
            'partners = ["police", "probation", "prison"]',
            'partners = ["fire"]',
            "figures[0].partners[0]",
        ),
        ("evidence_figures.toml", 'figure = "60%"\n', "", "figures[0].figure"),
        ("enabling_factors.toml", 'level = "operational"', 'level = "both"', "factors[0].level"),
        ("national_figures.toml", "percent = 96", "percent = 196", "figures[0].percent"),
        ("national_figures.toml", "year = 2013", 'year = "recent"', "survey.year"),
        ("national_figures.toml", 'partner_id = "police"', 'partner_id = "probation"', "figures.partner_id"),
        (
            "practice_examples.toml",
            'id = "hampshire-alcohol-needs-analysis"',
            'id = "islington-iapt-in-probation"',
            "examples.id",
        ),
        ("practice_examples.toml", 'outcome = ""', 'outcome = ""\nrating = 5', "examples[0].rating"),
        ("evidence_figures.toml", 'id = "previous-convictions"', 'id = "further-offences-after-release"', "figures.id"),
        ("practice_examples.toml", 'file = "001_8e1431ee41747c83.txt"', 'file = "999.txt"', "sources[0].file"),
    ],
)
def test_an_invalid_data_file_raises_library_error_naming_the_file_and_field(tmp_path, file, old, new, field):
    data = _copy(tmp_path)
    _edit(data / file, old, new)
    with pytest.raises(LibraryError) as caught:
        load_library(data)
    message = str(caught.value)
    assert file in message
    assert field in message


def test_a_file_that_is_not_toml_raises_library_error_naming_the_file(tmp_path):
    data = _copy(tmp_path)
    (data / "enabling_factors.toml").write_text("[[factors]\nid = ", encoding="utf-8")
    with pytest.raises(LibraryError, match=r"enabling_factors\.toml: not valid TOML"):
        load_library(data)


def test_a_missing_file_raises_library_error_naming_the_file(tmp_path):
    data = _copy(tmp_path)
    (data / "evidence_figures.toml").unlink()
    with pytest.raises(LibraryError, match=r"evidence_figures\.toml: the file is missing"):
        load_library(data)


def test_a_validation_error_names_the_item_by_its_id(tmp_path):
    data = _copy(tmp_path)
    _edit(data / "practice_examples.toml", 'partners = ["alcohol_treatment", "voluntary_sector"]', "partners = []")
    with pytest.raises(LibraryError, match=r"examples\[2\]\.partners \(id 'hampshire-alcohol-needs-analysis'\)"):
        load_library(data)


# --- Boundaries -------------------------------------------------------------------------------------

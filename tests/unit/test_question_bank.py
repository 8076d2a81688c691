"""The real question bank loads, is complete, traces to the seeds, and local questions plug in."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from assessment.scoring import score
from questions.loader import BANK_DIR, LOCAL_EXAMPLE, BankError, load_bank
from tests.factories import make_assessment

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
BANK = load_bank()

PRINCIPLE_NAMES = (
    "All partners manage offenders together",
    "Delivering a local response to local problems",
    "All offenders potentially in scope",
    "Offenders face up to their responsibility or face the consequences",
    "Making best use of existing programmes and governance",
    "Supporting desistance from crime",
)


def test_the_bank_has_the_six_principles_by_their_2015_names():
    assert tuple(p.name for p in BANK.principles) == PRINCIPLE_NAMES


def test_each_principle_has_four_to_seven_statements():
    assert all(4 <= len(p.statements) <= 7 for p in BANK.principles)


def test_every_statement_has_five_level_descriptions_evidence_and_a_source():
    for _, statement in BANK.statements():
        assert len(statement.levels) == 5
        assert len(set(statement.levels)) == 5, f"{statement.id}: two levels are described the same way"
        assert statement.evidence
        assert statement.sources


def test_the_partner_grid_covers_the_partners_the_product_benchmarks_at_both_levels():
    ids = {p.id for p in BANK.partners.partners}
    assert {"police", "probation", "mental_health", "alcohol_treatment", "housing", "prison"} <= ids
    assert {"local_authority", "drug_treatment", "youth_offending", "voluntary_sector", "employment"} <= ids
    levels = [i.level for i in BANK.partners.indicators]
    assert levels.count("strategic") >= 2 and levels.count("operational") >= 2


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("’", "'")).strip().casefold()


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repository")
def test_every_cited_section_is_in_the_cited_seed_file():
    texts = {path.name: _normalise(path.read_text(encoding="utf-8")) for path in SEEDS.glob("*.txt")}
    sources = [s for _, st in BANK.statements() for s in st.sources]
    sources += [p.source for p in BANK.principles]
    sources += [p.source for p in BANK.partners.partners] + [i.source for i in BANK.partners.indicators]
    for source in sources:
        assert source.file in texts, source
        assert _normalise(source.section) in texts[source.file], source.cite()


def test_the_example_local_questions_join_their_principles_and_are_scored():
    bank = load_bank(local_file=LOCAL_EXAMPLE)
    local = [(p.number, s) for p in bank.principles for s in p.statements if s.local]
    assert len(local) >= 2
    assert all(s.id.startswith("local-") for _, s in local)
    assert bank.version == f"{BANK.version}+local"
    number, statement = local[0]
    principle = bank.principles[number - 1]
    choices = {s.id: "2" for s in principle.statements}
    choices[statement.id] = "4"
    card = score(bank, make_assessment(choices, bank_version=bank.version))
    assert card.principle(number).exact > 2.0
    assert statement.sources[0].cite().startswith("Local question")


def test_a_local_file_with_a_mistake_names_the_file_and_the_field(tmp_path):
    broken = tmp_path / "ours.toml"
    broken.write_text(
        'name = "Ours"\n[[statements]]\nprinciple = 9\nid = "x1"\ntext = "Something we do locally"\n', encoding="utf-8"
    )
    with pytest.raises(BankError, match=r"(?s)ours.toml: statements\[0\]: field principle"):
        load_bank(local_file=broken)
    broken.write_text(
        'name = "Ours"\n[[statements]]\nprinciple = 2\nid = "x1"\ntext = "Something we do locally"\n'
        'levels = ["a", "b"]\nevidence = ["Minutes"]\n',
        encoding="utf-8",
    )
    with pytest.raises(BankError, match=r"(?s)ours.toml.*field levels"):
        load_bank(local_file=broken)


def test_a_broken_bank_file_stops_the_load_naming_the_file_and_field(tmp_path):
    copy = tmp_path / "bank"
    shutil.copytree(BANK_DIR, copy)
    path = copy / "principle_3.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("number = 3", 'number = "three"', 1), encoding="utf-8")
    with pytest.raises(BankError, match=r"(?s)principle_3.toml.*field number"):
        load_bank(copy)


def test_a_principle_with_too_few_statements_is_refused(tmp_path):
    copy = tmp_path / "bank"
    shutil.copytree(BANK_DIR, copy)
    path = copy / "principle_4.toml"
    text = path.read_text(encoding="utf-8")
    first_statement = text.index("[[statements]]")
    second_statement = text.index("[[statements]]", first_statement + 1)
    path.write_text(text[:second_statement], encoding="utf-8")
    with pytest.raises(BankError, match="4 to 7 statements"):
        load_bank(copy)

"""JSON export and import: the pydantic models in an envelope with a format version, checked against the bank."""

from __future__ import annotations

import json

import pytest

from assessment.files.json import FORMAT_VERSION, export_json, read_json, scorecard_dict
from assessment.model import ActionEdit, AssessmentError
from assessment.scoring import score
from assessment.services import example_assessment
from questions.loader import get_bank

BANK = get_bank()


def example():
    assessment = example_assessment(BANK, year=2026)
    assessment.plan = {"own-1": ActionEdit(action_id="own-1", own=True, what="Invite housing", owner="Chair")}
    return assessment


def test_the_export_names_its_format_and_version():
    raw = json.loads(export_json(example()))
    assert raw["format"] == "iom-self-assessment"
    assert raw["format_version"] == FORMAT_VERSION
    assert raw["assessment"]["area"] == example().area


def test_an_export_reads_back_as_a_new_assessment_with_the_same_answers_and_plan():
    original = example()
    imported = read_json(BANK, export_json(original).encode())
    assert imported.kind == "json"
    assert imported.assessment.answers == original.answers
    assert imported.assessment.partner_answers == original.partner_answers
    assert imported.assessment.plan == original.plan
    assert imported.assessment.id != original.id
    assert not imported.assessment.is_example


def test_a_newer_format_is_refused():
    raw = json.loads(export_json(example()))
    raw["format_version"] = FORMAT_VERSION + 1
    with pytest.raises(AssessmentError, match="newer than this app reads"):
        read_json(BANK, json.dumps(raw).encode())


def test_an_older_bank_drops_unknown_statements_and_says_so():
    raw = json.loads(export_json(example()))
    raw["assessment"]["bank_version"] = "2025.1"
    raw["assessment"]["answers"]["p1-retired"] = {"choice": "2"}
    imported = read_json(BANK, json.dumps(raw).encode())
    assert "p1-retired" not in imported.assessment.answers
    assert any("p1-retired" in change for change in imported.changes)


def test_the_scorecard_as_json_matches_the_scorecard():
    scorecard = score(BANK, example())
    data = scorecard_dict(BANK, scorecard)
    assert data["overall"] == scorecard.overall
    assert [p["score"] for p in data["principles"]] == [p.score for p in scorecard.principles]
    assert len(data["partners"]) == len(BANK.partners.partners)
    json.dumps(data)  # plain data only

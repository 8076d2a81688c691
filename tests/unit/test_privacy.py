"""Notes that look like personal data about an individual get a warning; ordinary notes do not."""

from __future__ import annotations

import pytest

from assessment.privacy import find_personal_data


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Offender 12/345678A was discussed", "PNC"),
        ("NI number QQ 12 34 56 C", "National Insurance"),
        ("NI AB123456C on file", "National Insurance"),
        ("DOB 03/04/1988", "date of birth"),
        ("born on 3 April 1988", "date of birth"),
        ("seen 14/02/1991 at the hostel", "date of birth"),
        ("contact j.smith@example.org for details", "email"),
        ("ring 07700 900123", "phone"),
        ("call +44 7700 900123", "phone"),
        ("office 0113 496 0000", "phone"),
    ],
)
def test_personal_details_are_spotted(text, kind):
    kinds = [w.kind for w in find_personal_data(text)]
    assert any(kind.lower() in k.lower() for k in kinds), kinds


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Information-sharing agreement signed by all partners in 2024",
        "Minutes of the operational meeting, 12/03/2025",
        "About 40% of the cohort have a named contact; 12 of 30 cases reviewed",
        "Strategic board meets every 6 weeks; see board paper 2025/07",
    ],
)
def test_ordinary_partnership_notes_get_no_warning(text):
    assert find_personal_data(text) == []


def test_the_warning_masks_the_detail_it_found():
    [warning] = find_personal_data("email j.smith@example.org")
    assert "j.smith@example.org" not in warning.message()
    assert "partnership" in warning.message()

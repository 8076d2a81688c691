"""Statistics per year checked by hand on a small set: mean, median, quartiles (inclusive method), ranks,
outliers from a region's median, and the statements most often weak or "Don't know"."""

from __future__ import annotations

import statistics

from assessment.comparison import compare, flat_rows, statistics_rows, summarise, trend_rows, weakest_rows
from tests.factories import make_assessment, make_bank

BANK = make_bank()


def every(choice: str, **overrides: str) -> dict[str, str]:
    return {**{f"s{n}-{m}": choice for n in range(1, 7) for m in range(1, 5)}, **overrides}


def south_east(year: int = 2026):
    # Four force areas of the South East, every principle at one level: overall scores 1.0, 2.0, 3.0 and 4.0.
    return [
        make_assessment(every("1", **{"s1-1": "dont_know"}), area="Kent", year=year),
        make_assessment(every("2", **{"s1-1": "dont_know"}), area="Surrey", year=year),
        make_assessment(every("3"), area="Sussex", year=year),
        make_assessment(every("4"), area="Hampshire", year=year),
    ]


def test_summary_by_hand_inclusive_quartiles():
    # Sorted 1, 2, 3, 4. Inclusive method: the lower quartile sits at position (4 - 1) x 0.25 = 0.75 between the
    # first and second scores: 1 + 0.75 x (2 - 1) = 1.75, shown 1.8 (halves up). Median (2 + 3) / 2 = 2.5. Upper
    # quartile at position 2.25: 3 + 0.25 x (4 - 3) = 3.25, shown 3.3. (The exclusive method would give 1.25.)
    summary = summarise([4.0, None, 1.0, 3.0, 2.0])
    assert (summary.count, summary.mean, summary.median) == (4, 2.5, 2.5)
    assert (summary.lower_quartile, summary.upper_quartile) == (1.8, 3.3)
    assert (summary.minimum, summary.maximum) == (1.0, 4.0)
    assert statistics.quantiles([1.0, 2.0, 3.0, 4.0], n=4, method="exclusive")[0] == 1.25  # not the one used


def test_one_score_is_its_own_median_and_quartiles_and_none_is_no_summary():
    summary = summarise([2.7])
    assert (summary.lower_quartile, summary.median, summary.upper_quartile, summary.mean) == (2.7, 2.7, 2.7, 2.7)
    assert summarise([None, None]) is None


def test_the_year_s_statistics_and_ranks():
    comparison = compare(BANK, south_east())
    (stats,) = comparison.statistics
    assert (stats.year, stats.areas) == (2026, 4)
    assert (stats.overall.mean, stats.overall.median, stats.overall.lower_quartile) == (2.5, 2.5, 1.8)
    ranks = {row.area: row.overall_rank for row in comparison.rows}
    assert ranks == {"Hampshire": 1, "Sussex": 2, "Surrey": 3, "Kent": 4}
    rows = statistics_rows(comparison)
    overall = next(row for row in rows if row["Measure"] == "Overall")
    assert overall["Lower quartile"] == "1.8" and overall["Upper quartile"] == "3.3"
    assert overall["Areas with a score"] == 4


def test_equal_scores_share_a_rank():
    areas = south_east()
    areas[1] = make_assessment(every("3"), area="Surrey", year=2026)
    ranks = {row.area: row.overall_rank for row in compare(BANK, areas).rows}
    assert ranks == {"Hampshire": 1, "Sussex": 2, "Surrey": 2, "Kent": 4}


def test_an_area_more_than_a_band_from_its_region_s_median_is_an_outlier():
    areas = south_east()
    areas[1] = make_assessment(every("3"), area="Surrey", year=2026)
    # South East overall scores 1, 3, 3, 4: median 3.0. Kent is 2.0 below it; Hampshire only 1.0 above.
    found = [o for o in compare(BANK, areas).outliers if o.measure == "Overall"]
    assert [(o.label, o.region, o.score, o.region_median, o.difference) for o in found] == [
        ("Kent 2026", "South East", 1.0, 3.0, -2.0)
    ]


def test_a_region_with_fewer_than_three_areas_has_no_outliers():
    areas = south_east()[:1] + south_east()[3:]
    assert compare(BANK, areas).outliers == ()


def test_the_statements_most_often_weak_or_don_t_know_come_first():
    comparison = compare(BANK, south_east())
    first = comparison.weakest[0]
    # s1-1: 'Don't know' in Kent and Surrey; every other statement is weak only in Kent (level 1).
    assert (first.statement_id, first.weak, first.dont_know, first.areas) == ("s1-1", 0, 2, 4)
    assert weakest_rows([first])[0]["Share weak or Don't know"] == "50%"
    assert {c.statement_id for c in comparison.weakest[1:]} == {
        f"s{n}-{m}" for n in range(1, 7) for m in range(1, 5)
    } - {"s1-1"}


def test_trends_for_one_area_and_a_region():
    areas = [*south_east(2024), *south_east(2025), *south_east(2026)]
    comparison = compare(BANK, areas)
    kent = trend_rows(comparison.rows, comparison.principle_names, area_code="E23000032")
    assert [(row["Year"], row["Score"]) for row in kent if row["Principle"].startswith("2.")] == [
        (2024, 1.0),
        (2025, 1.0),
        (2026, 1.0),
    ]
    region = trend_rows(comparison.rows, comparison.principle_names, region="South East")
    assert {row["Score"] for row in region if row["Principle"].startswith("2.")} == {2.5}
    assert len(comparison.changes) == 8  # four areas, two changes each


def test_each_area_s_rank_on_each_principle_is_in_the_flat_table():
    comparison = compare(BANK, south_east())
    first = comparison.principle_names[0]
    ranks = {row["Area"]: row[f"{first}: rank in the year"] for row in flat_rows(comparison)}
    # Kent and Surrey answered 'Don't know' to s1-1, which leaves their principle 1 scores at 1.0 and 2.0.
    assert ranks == {"Hampshire": 1, "Sussex": 2, "Surrey": 3, "Kent": 4}

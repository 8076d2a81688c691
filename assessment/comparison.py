"""Comparing areas and years, for inspectors: one row per assessment, partner involvement across areas beside
the national survey, and each area's change from one year to the next.

Every score comes from ``scoring.score``, so a comparison can never disagree with an area's own results.
Pure: adding uploaded returns to the store is ``services.import_returns``.
"""

from __future__ import annotations

import csv
import io
import itertools
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from assessment import tables
from assessment.model import Assessment
from assessment.partnership import difference_text
from assessment.scoring import (
    PartnerCoverage,
    PartnerLevel,
    band_for,
    percent_text,
    round_percent,
    round_score,
    score,
)
from assessment.wording import INSUFFICIENT, NO_NATIONAL_FIGURE, NO_NATIONAL_FIGURE_NOTE, NOT_KNOWN, yes_no
from benchmarks.areas import NOT_IN_REGISTER, AreaMatch, AreaRegister, get_register
from benchmarks.loader import get_library
from benchmarks.models import PracticeLibrary
from questions.models import Partner, QuestionBank

LOCAL_SUFFIX = "+local"
_LEVELS: tuple[PartnerLevel, ...] = ("strategic", "operational")


def national_version(bank_version: str) -> str:
    """The national question bank version an assessment was answered against, without ``+local``."""
    return bank_version.removesuffix(LOCAL_SUFFIX)


def has_local_questions(bank_version: str) -> bool:
    return bank_version.endswith(LOCAL_SUFFIX)


@dataclass(frozen=True)
class PartnerInvolvement:
    """Whether one area involves one partner; ``None`` where the board did not know."""

    strategic: bool | None
    operational: bool | None

    @classmethod
    def from_coverage(cls, coverage: PartnerCoverage) -> PartnerInvolvement:
        def at(level: PartnerLevel) -> bool | None:
            return None if coverage.coverage(level) is None else coverage.involved_at(level)

        return cls(strategic=at("strategic"), operational=at("operational"))

    @property
    def involved(self) -> bool | None:
        """Involved at either level, as the scoring method says (``PartnerCoverage.involved``): ``None`` (not
        known) when no known level shows it and a level is not known."""
        if self.strategic or self.operational:
            return True
        if self.strategic is None or self.operational is None:
            return None
        return False

    def text(self) -> str:
        if self.involved is None:
            return NOT_KNOWN
        if self.strategic and self.operational:
            return "Strategic and operational"
        if self.strategic:
            return "Strategic only"
        if self.operational:
            return "Operational only"
        return "Not involved"


@dataclass(frozen=True)
class Provenance:
    """Where a return came from: its file, the question bank version it was made on (with any '+local'), and the
    notes its import made (migrations, answers left out, personal-data warnings). Empty for one made in the app."""

    file: str = ""
    bank_version: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class AreaRow:
    """One assessment in the comparison: what the inspector reads across a line of the table."""

    assessment_id: str
    label: str
    area: str  # the area as the register names it
    year: int
    bank_version: str  # the version the return was made on, '+local' kept
    is_example: bool
    overall: float | None
    overall_band: int | None
    principle_scores: tuple[float | None, ...]
    principle_bands: tuple[int | None, ...]
    answered: int
    statements: int
    evidence_gaps: int
    partners: tuple[tuple[Partner, PartnerInvolvement], ...]
    area_code: str = ""
    region: str = NOT_IN_REGISTER
    written_area: str = ""  # the area as the return wrote it
    file: str = ""
    notes: tuple[str, ...] = ()
    updated_at: datetime | None = None
    weak: frozenset[str] = frozenset()  # statements at level 0 or 1
    dont_know: frozenset[str] = frozenset()
    overall_rank: int | None = None
    principle_ranks: tuple[int | None, ...] = ()
    inspected: tuple[int | None, ...] = ()  # the inspector's level for each principle, where recorded (issue 10)
    inspected_reasons: tuple[str, ...] = ()  # and the inspector's reason for it

    @property
    def area_key(self) -> str:
        return self.area_code or _area_year(self.area, self.year)[0]

    @property
    def has_local_questions(self) -> bool:
        return has_local_questions(self.bank_version)

    @property
    def partners_involved(self) -> int:
        return sum(1 for _, involvement in self.partners if involvement.involved)


@dataclass(frozen=True)
class PartnerShare:
    """How many of the compared areas involve a partner, at each level, beside the national survey figure."""

    partner: Partner
    involved: int
    answered: int
    national_percent: int | None
    national_note: str
    strategic: tuple[int, int] = (0, 0)  # (involved, answered) at strategic level
    operational: tuple[int, int] = (0, 0)

    @property
    def share(self) -> float | None:
        """The percentage of areas with an answer for this partner that involve it."""
        return None if self.answered == 0 else 100.0 * self.involved / self.answered


@dataclass(frozen=True)
class YearChange:
    """One area's change between two consecutive years it was assessed, later minus earlier."""

    area: str
    from_year: int
    to_year: int
    principle_changes: tuple[float | None, ...]
    overall_change: float | None
    comparable: bool
    region: str = NOT_IN_REGISTER


@dataclass(frozen=True)
class Summary:
    """One column of scores in one year: how many, mean, median, quartiles, lowest and highest (rounded as shown)."""

    count: int
    mean: float
    median: float
    lower_quartile: float
    upper_quartile: float
    minimum: float
    maximum: float


@dataclass(frozen=True)
class YearStatistics:
    """The statistics of one year: one area counts once. ``None`` where no area has a score."""

    year: int
    areas: int
    overall: Summary | None
    principles: tuple[Summary | None, ...]


@dataclass(frozen=True)
class Outlier:
    """An area more than a band (1.0) from the median of its region's areas in the same year."""

    label: str
    region: str
    year: int
    measure: str  # a principle's name, or 'Overall'
    score: float
    region_median: float

    @property
    def difference(self) -> float:
        return round_score(self.score - self.region_median)


@dataclass(frozen=True)
class StatementCount:
    """How many areas rated a statement weak (level 0 or 1) or answered "Don't know", in one year."""

    year: int
    statement_id: str
    reference: str
    principle: str
    text: str
    weak: int
    dont_know: int
    areas: int

    @property
    def total(self) -> int:
        return self.weak + self.dont_know


@dataclass(frozen=True)
class Candidate:
    assessment_id: str
    label: str
    file: str
    updated_at: datetime


@dataclass(frozen=True)
class Duplicate:
    """Several returns for one area and year: only ``standing`` counts."""

    area: str
    area_code: str
    year: int
    candidates: tuple[Candidate, ...]
    standing: Candidate

    def text(self) -> str:
        listed = "; ".join(f"{c.label} ({c.file or 'saved in the app'})" for c in self.candidates)
        return (
            f"{len(self.candidates)} returns for {self.area} {self.year}: {listed}. Each area counts once a year, so "
            f"only {self.standing.file or self.standing.label} is compared."
        )


@dataclass(frozen=True)
class Comparison:
    """One row per area and year, statistics per year, partner shares, year-on-year changes, and notes to read first.

    ``principle_means`` and ``overall_mean`` are of the latest year compared (statistics never mix years).
    """

    principle_names: tuple[str, ...]
    rows: tuple[AreaRow, ...]
    principle_means: tuple[float | None, ...]
    overall_mean: float | None
    partner_shares: tuple[PartnerShare, ...]
    changes: tuple[YearChange, ...]
    notes: tuple[str, ...]
    statistics: tuple[YearStatistics, ...] = ()
    duplicates: tuple[Duplicate, ...] = ()
    to_confirm: tuple[AreaMatch, ...] = ()
    outliers: tuple[Outlier, ...] = ()
    weakest: tuple[StatementCount, ...] = ()

    @property
    def areas(self) -> int:
        return len({row.area_key for row in self.rows})

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({row.year for row in self.rows}))

    def year_statistics(self, year: int) -> YearStatistics | None:
        return next((stats for stats in self.statistics if stats.year == year), None)


def _change(later: float | None, earlier: float | None) -> float | None:
    return None if later is None or earlier is None else round_score(later - earlier)


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round_score(sum(known) / len(known)) if known else None


QUARTILE_METHOD = (
    "Quartiles use the inclusive method (as Excel's QUARTILE.INC): the scores are put in order and the lower "
    "quartile is the value a quarter of the way from the lowest to the highest, the upper quartile three "
    "quarters of the way, interpolating between neighbouring scores. The median is the middle score (the mean of "
    "the two middle scores when there is an even number). Each area counts once a year; an area with "
    "'Insufficient evidence' is left out of that column. Figures are rounded to one decimal place, halves up."
)


def summarise(values: Iterable[float | None]) -> Summary | None:
    """The summary of the scores given, leaving out ``None``; ``None`` when there is no score at all."""
    known = sorted(v for v in values if v is not None)
    if not known:
        return None
    if len(known) == 1:
        lower = median = upper = known[0]
    else:
        lower, median, upper = statistics.quantiles(known, n=4, method="inclusive")
    return Summary(
        count=len(known),
        mean=round_score(sum(known) / len(known)),
        median=round_score(median),
        lower_quartile=round_score(lower),
        upper_quartile=round_score(upper),
        minimum=known[0],
        maximum=known[-1],
    )


def _ranks(values: Sequence[float | None]) -> list[int | None]:
    """Standard competition ranking, highest first (1, 2, 2, 4); no rank without a score."""
    known = sorted((v for v in values if v is not None), reverse=True)
    first = {}
    for position, value in enumerate(known, start=1):
        first.setdefault(value, position)
    return [None if v is None else first[v] for v in values]


def year_statistics(rows: Sequence[AreaRow], principles: int) -> tuple[YearStatistics, ...]:
    """Statistics for each year of ``rows`` (each area once a year, as ``compare`` leaves them)."""
    by_year: dict[int, list[AreaRow]] = {}
    for row in rows:
        by_year.setdefault(row.year, []).append(row)
    return tuple(
        YearStatistics(
            year=year,
            areas=len(year_rows),
            overall=summarise(row.overall for row in year_rows),
            principles=tuple(summarise(row.principle_scores[i] for row in year_rows) for i in range(principles)),
        )
        for year, year_rows in sorted(by_year.items())
    )


def partner_shares(bank: QuestionBank, rows: Sequence[AreaRow], library: PracticeLibrary) -> tuple[PartnerShare, ...]:
    """Each partner's share of the areas in ``rows`` (one area and year each) beside the national figure."""
    shares = []
    for index, partner in enumerate(bank.partners.partners):
        involvements = [row.partners[index][1] for row in rows]
        figure = library.national_figure(partner.id)

        def at(level: str, involvements=involvements) -> tuple[int, int]:
            known = [getattr(i, level) for i in involvements if getattr(i, level) is not None]
            return sum(1 for value in known if value), len(known)

        shares.append(
            PartnerShare(
                partner=partner,
                involved=sum(1 for i in involvements if i.involved),
                answered=sum(1 for i in involvements if i.involved is not None),
                national_percent=figure.percent if figure else None,
                national_note=figure.note if figure else NO_NATIONAL_FIGURE_NOTE,
                strategic=at("strategic"),
                operational=at("operational"),
            )
        )
    return tuple(shares)


def outliers(rows: Sequence[AreaRow], principle_names: Sequence[str], *, min_areas: int = 3) -> tuple[Outlier, ...]:
    """Areas more than a band (1.0) from their region's median, per year, principle and overall.

    A region needs at least ``min_areas`` areas with a score in that year for its median to mean something.
    """
    found = []
    groups: dict[tuple[int, str], list[AreaRow]] = {}
    for row in rows:
        if row.region != NOT_IN_REGISTER:
            groups.setdefault((row.year, row.region), []).append(row)
    measures = [("Overall", lambda row: row.overall)] + [
        (name, lambda row, i=i: row.principle_scores[i]) for i, name in enumerate(principle_names)
    ]
    for (year, region), group in sorted(groups.items()):
        for name, value_of in measures:
            known = [value_of(row) for row in group if value_of(row) is not None]
            if len(known) < min_areas:
                continue
            median = round_score(statistics.median(known))
            for row in group:
                value = value_of(row)
                if value is not None and abs(value - median) > 1.0 + 1e-9:
                    found.append(Outlier(row.label, region, year, name, value, median))
    return tuple(found)


def weakest_statements(bank: QuestionBank, rows: Sequence[AreaRow], *, limit: int | None = None) -> tuple:
    """Per year, the statements most often rated weak (level 0 or 1) or "Don't know", most first."""
    refs = {
        s.id: (f"{p.number}.{n}", f"{p.number}. {p.name}", s.text)
        for p in bank.principles
        for n, s in enumerate(p.statements, start=1)
    }
    counts = []
    for year in sorted({row.year for row in rows}):
        year_rows = [row for row in rows if row.year == year]
        weak: Counter[str] = Counter()
        dont_know: Counter[str] = Counter()
        for row in year_rows:
            weak.update(row.weak)
            dont_know.update(row.dont_know)
        year_counts = [
            StatementCount(year, sid, ref, principle, text, weak[sid], dont_know[sid], len(year_rows))
            for sid, (ref, principle, text) in refs.items()
            if weak[sid] or dont_know[sid]
        ]
        year_counts.sort(key=lambda c: (-c.total, -c.weak, c.reference))
        counts.extend(year_counts[:limit] if limit else year_counts)
    return tuple(counts)


def trend_rows(
    rows: Sequence[AreaRow], principle_names: Sequence[str], *, area_code: str | None = None, region: str | None = None
) -> list[dict]:
    """Scores year by year for one area, or the mean of a region's areas each year: one row per year and measure."""
    chosen = [
        r for r in rows if (area_code is None or r.area_code == area_code) and (region is None or r.region == region)
    ]
    out = []
    for year in sorted({r.year for r in chosen}):
        year_rows = [r for r in chosen if r.year == year]
        for index, name in enumerate(principle_names):
            value = _mean(r.principle_scores[index] for r in year_rows)
            if value is not None:
                out.append({"Year": year, "Principle": name, "Score": value, "Areas": len(year_rows)})
    return out


def _row(bank: QuestionBank, assessment: Assessment, label: str, match: AreaMatch, provenance: Provenance) -> AreaRow:
    scorecard = score(bank, assessment)
    results = scorecard.statement_results()
    return AreaRow(
        assessment_id=assessment.id,
        label=label,
        area=match.area.name,
        year=assessment.year,
        bank_version=provenance.bank_version or assessment.bank_version,
        is_example=assessment.is_example,
        overall=scorecard.overall,
        overall_band=scorecard.overall_band,
        principle_scores=tuple(p.score for p in scorecard.principles),
        principle_bands=tuple(p.band for p in scorecard.principles),
        answered=scorecard.answered_count(),
        statements=len(results),
        evidence_gaps=len(scorecard.evidence_gaps()),
        partners=tuple((c.partner, PartnerInvolvement.from_coverage(c)) for c in scorecard.partners),
        area_code=match.area.code,
        region=match.area.region,
        written_area=assessment.area,
        file=provenance.file,
        notes=provenance.notes,
        updated_at=assessment.updated_at,
        weak=frozenset(r.statement.id for r in results if r.level is not None and r.level <= 1),
        dont_know=frozenset(r.statement.id for r in results if r.status == "dont_know"),
        inspected=tuple(
            (m.level if (m := assessment.moderated(p.principle.number)) else None) for p in scorecard.principles
        ),
        inspected_reasons=tuple(
            (m.reason if (m := assessment.moderated(p.principle.number)) else "") for p in scorecard.principles
        ),
    )


def _area_year(area: str, year: int) -> tuple[str, int]:
    return " ".join(area.split()).casefold(), year


def _notes(
    bank: QuestionBank, rows: Sequence[AreaRow], duplicates: Sequence[Duplicate], to_confirm: Sequence[AreaMatch]
) -> list[str]:
    notes: list[str] = []
    versions: dict[str, list[str]] = {}
    for row in rows:
        versions.setdefault(national_version(row.bank_version), []).append(row.label)
    if len(versions) > 1:
        listed = "; ".join(f"version {v}: {', '.join(labels)}" for v, labels in sorted(versions.items()))
        notes.append(
            "These assessments were answered against different versions of the national question bank "
            f"({listed}). Scores are comparable only within the same version. Every assessment here is scored "
            f"against the questions of version {national_version(bank.version)}, so a statement added since an "
            "assessment was made counts as unanswered in it."
        )
    local = [row.label for row in rows if row.has_local_questions]
    if local:
        notes.append(
            f"{', '.join(local)} included local questions (question bank version ending '+local'). Local questions "
            "are not part of the national bank, so they are not compared; the Sources list which answers were "
            "left out."
        )
    if has_local_questions(bank.version):
        notes.append(
            f"This app is running with local questions ({bank.local_name or 'a local file'}). They are scored for "
            "every assessment, and count as unanswered in any assessment that did not answer them."
        )
    examples = [row.label for row in rows if row.is_example]
    if examples:
        one = len(examples) == 1
        notes.append(
            f"{', '.join(examples)} {'is a fictional example' if one else 'are fictional examples'}, made up to show "
            f"how the service works. Leave {'it' if one else 'them'} out of any real comparison."
        )
    for duplicate in duplicates:
        notes.append(duplicate.text())
    for match in to_confirm:
        near = " or ".join(area.name for area in match.near)
        notes.append(
            f"The area '{match.written}' is not in the register of police force areas; it may be {near}. "
            "Confirm which it is, or it is compared as an area of its own."
        )
    return notes


def compare(
    bank: QuestionBank,
    assessments: Iterable[Assessment],
    *,
    library: PracticeLibrary | None = None,
    provenance: Mapping[str, Provenance] | None = None,
    choose: Mapping[tuple[str, int], str] | None = None,
    confirmed: Mapping[str, str] | None = None,
    register: AreaRegister | None = None,
) -> Comparison:
    """Compare assessments of any areas and years, each scored by the published method.

    Each area (matched to the area register) counts once a year: of several returns for one area and year the
    one in ``choose`` (keyed by area code and year) stands, otherwise the most recently saved. ``provenance``
    (by assessment id) keeps each return's file, own bank version and import notes. ``confirmed`` maps a name
    as written to a register code, for names the register only found close matches for.
    """
    library = library or get_library()
    register = register or get_register()
    provenance = provenance or {}
    choose = choose or {}
    confirmed = confirmed or {}
    matches: dict[str, AreaMatch] = {}
    to_confirm: list[AreaMatch] = []
    assessments = list(assessments)
    for assessment in assessments:
        if assessment.area in matches:
            continue
        match = register.match(assessment.area)
        code = confirmed.get(assessment.area)
        if code and register.get(code):
            match = AreaMatch(assessment.area, register.get(code))  # type: ignore[arg-type]
        elif match.needs_confirming:
            to_confirm.append(match)
        matches[assessment.area] = match
    groups: dict[tuple[str, int], list[Assessment]] = {}
    for assessment in sorted(assessments, key=lambda a: (a.updated_at, a.id)):
        groups.setdefault((matches[assessment.area].area.code, assessment.year), []).append(assessment)
    standing: list[Assessment] = []
    duplicates: list[Duplicate] = []
    for (code, year), group in groups.items():
        wanted = choose.get((code, year))
        chosen = next((a for a in group if a.id == wanted), group[-1])
        standing.append(chosen)
        if len(group) > 1:
            name = matches[chosen.area].area.name
            candidates = tuple(
                Candidate(
                    a.id,
                    f"{name} {year} (saved {a.updated_at:%d %b %Y %H:%M})",
                    provenance.get(a.id, Provenance()).file,
                    a.updated_at,
                )
                for a in group
            )
            duplicates.append(Duplicate(name, code, year, candidates, candidates[group.index(chosen)]))
    standing.sort(key=lambda a: (matches[a.area].area.name.casefold(), a.year))
    rows = [
        _row(bank, a, f"{matches[a.area].area.name} {a.year}", matches[a.area], provenance.get(a.id, Provenance()))
        for a in standing
    ]
    # Ranks within each year, highest score first.
    for year in {row.year for row in rows}:
        indexes = [i for i, row in enumerate(rows) if row.year == year]
        overall = _ranks([rows[i].overall for i in indexes])
        by_principle = [_ranks([rows[i].principle_scores[p] for i in indexes]) for p in range(len(bank.principles))]
        for position, i in enumerate(indexes):
            rows[i] = replace(
                rows[i],
                overall_rank=overall[position],
                principle_ranks=tuple(ranks[position] for ranks in by_principle),
            )
    rows_t = tuple(rows)
    names = tuple(f"{p.number}. {p.name}" for p in bank.principles)

    # Partner shares are of the latest year compared: each area once, in one year, as the survey counted them.
    latest_year = max((row.year for row in rows_t), default=None)
    latest_rows = [row for row in rows_t if row.year == latest_year]

    changes = []
    by_area: dict[str, list[AreaRow]] = {}
    for row in sorted(rows_t, key=lambda r: (r.area_key, r.year)):
        by_area.setdefault(row.area_key, []).append(row)
    for area_rows in by_area.values():
        for earlier, later in itertools.pairwise(area_rows):
            changes.append(
                YearChange(
                    area=later.area,
                    from_year=earlier.year,
                    to_year=later.year,
                    principle_changes=tuple(
                        _change(b, a) for a, b in zip(earlier.principle_scores, later.principle_scores, strict=True)
                    ),
                    overall_change=_change(later.overall, earlier.overall),
                    comparable=earlier.bank_version == later.bank_version,
                    region=later.region,
                )
            )
    stats = year_statistics(rows_t, len(bank.principles))
    latest_stats = stats[-1] if stats else None
    return Comparison(
        principle_names=names,
        rows=rows_t,
        principle_means=tuple(s.mean if s else None for s in latest_stats.principles)
        if latest_stats
        else (None,) * len(bank.principles),
        overall_mean=latest_stats.overall.mean if latest_stats and latest_stats.overall else None,
        partner_shares=partner_shares(bank, latest_rows, library),
        changes=tuple(changes),
        notes=tuple(_notes(bank, rows_t, duplicates, to_confirm)),
        statistics=stats,
        duplicates=tuple(duplicates),
        to_confirm=tuple(to_confirm),
        outliers=outliers(rows_t, names),
        weakest=weakest_statements(bank, rows_t),
    )


# ---- the comparison as tables: the page, the CSV download and the command line share them -----------------------


def change_text(value: float | None) -> str:
    if value is None:
        return INSUFFICIENT
    return "No change" if value == 0 else f"{value:+.1f}"


def share_text(share: PartnerShare) -> str:
    if share.answered == 0:
        return NOT_KNOWN
    return f"{percent_text(share.share)} ({share.involved} of {share.answered})"


def national_text(share: PartnerShare) -> str:
    return NO_NATIONAL_FIGURE if share.national_percent is None else f"{share.national_percent}%"


def overall_text(bank: QuestionBank, value: float | None) -> str:
    """'2.9 Established', or 'Insufficient evidence'."""
    return INSUFFICIENT if value is None else f"{value:.1f} {bank.level_label(band_for(value))}"


def _year_count(comparison: Comparison, year: int) -> int:
    stats = comparison.year_statistics(year)
    return stats.overall.count if stats and stats.overall else 0


def overview_rows(bank: QuestionBank, comparison: Comparison, rows: Sequence[AreaRow] | None = None) -> list[dict]:
    """One row per assessment: scores as text, as the page shows them; rank is among the year's areas."""
    return [
        {
            "Assessment": row.label
            + (" (fictional example)" if row.is_example and "fictional" not in row.label else ""),
            "Region": row.region,
            "Overall": overall_text(bank, row.overall),
            "Rank": rank_text(row.overall_rank, _year_count(comparison, row.year)),
            **{
                name: tables.score_text(value)
                for name, value in zip(comparison.principle_names, row.principle_scores, strict=True)
            },
            "Statements answered": f"{row.answered} of {row.statements}",
            "Evidence gaps": str(row.evidence_gaps),
            "Partners involved": f"{row.partners_involved} of {len(row.partners)}",
            "Question bank": row.bank_version,
        }
        for row in (comparison.rows if rows is None else rows)
    ]


def mean_row(
    bank: QuestionBank, comparison: Comparison, year: int | None = None, stats: YearStatistics | None = None
) -> dict:
    """The mean of each column of scores in one year (by default the latest), laid out like a row of
    ``overview_rows``: statistics never mix years. ``stats`` are the year's statistics of a filtered set."""
    year = year if year is not None else (comparison.years[-1] if comparison.years else None)
    if stats is None:
        stats = comparison.year_statistics(year) if year is not None else None
    principles = stats.principles if stats else (None,) * len(comparison.principle_names)
    count = stats.areas if stats else 0
    return {
        "Assessment": f"Mean of {count} area{'' if count == 1 else 's'} in {year}",
        "Region": "",
        "Overall": overall_text(bank, stats.overall.mean if stats and stats.overall else None),
        "Rank": "",
        **{
            name: tables.score_text(summary.mean if summary else None)
            for name, summary in zip(comparison.principle_names, principles, strict=True)
        },
        "Statements answered": "",
        "Evidence gaps": "",
        "Partners involved": "",
        "Question bank": "",
    }


def rank_text(rank: int | None, of: int) -> str:
    return "" if rank is None else f"{rank} of {of}"


STATISTICS = (
    ("Areas with a score", "count"),
    ("Mean", "mean"),
    ("Lowest", "minimum"),
    ("Lower quartile", "lower_quartile"),
    ("Median", "median"),
    ("Upper quartile", "upper_quartile"),
    ("Highest", "maximum"),
)


def statistics_rows(comparison: Comparison, stats: Sequence[YearStatistics] | None = None) -> list[dict]:
    """One row per year and measure (overall, then each principle): the statistics as the page and workbook show."""
    rows = []
    for year_stats in comparison.statistics if stats is None else stats:
        measures = [
            ("Overall", year_stats.overall),
            *list(zip(comparison.principle_names, year_stats.principles, strict=True)),
        ]
        for name, summary in measures:
            row: dict[str, object] = {"Year": year_stats.year, "Measure": name}
            for heading, field in STATISTICS:
                value = getattr(summary, field) if summary else None
                row[heading] = (
                    (value if field == "count" else tables.score_text(value))
                    if summary
                    else (0 if field == "count" else INSUFFICIENT)
                )
            rows.append(row)
    return rows


def outlier_rows(found: Sequence[Outlier]) -> list[dict]:
    return [
        {
            "Area": o.label,
            "Region": o.region,
            "Measure": o.measure,
            "Score": tables.score_text(o.score),
            "Region's median": tables.score_text(o.region_median),
            "Difference": change_text(o.difference),
        }
        for o in found
    ]


def weakest_rows(counts: Sequence[StatementCount]) -> list[dict]:
    return [
        {
            "Year": c.year,
            "Statement": c.reference,
            "Principle": c.principle,
            "Text": c.text,
            "Weak (level 0 or 1)": c.weak,
            "Don't know": c.dont_know,
            "Areas": c.areas,
            "Share weak or Don't know": percent_text(100.0 * c.total / c.areas) if c.areas else NOT_KNOWN,
        }
        for c in counts
    ]


def level_share_text(involved_answered: tuple[int, int]) -> str:
    involved, answered = involved_answered
    return NOT_KNOWN if answered == 0 else f"{percent_text(100.0 * involved / answered)} ({involved} of {answered})"


def source_rows(comparison: Comparison) -> list[dict]:
    """Where each compared row came from: its file, area as written, bank version made on, and its import notes."""
    rows = [
        {
            "Assessment": row.label,
            "File": row.file or "Saved in the app",
            "Area as written": row.written_area or row.area,
            "Area code": row.area_code,
            "Region": row.region,
            "Question bank version": row.bank_version,
            "Local questions": yes_no(row.has_local_questions),
            "Import notes": "\n".join(row.notes) or "None",
        }
        for row in comparison.rows
    ]
    for duplicate in comparison.duplicates:
        for candidate in duplicate.candidates:
            if candidate is not duplicate.standing:
                rows.append(
                    {
                        "Assessment": f"{candidate.label}: not compared",
                        "File": candidate.file or "Saved in the app",
                        "Area as written": duplicate.area,
                        "Area code": duplicate.area_code,
                        "Region": "",
                        "Question bank version": "",
                        "Local questions": "",
                        "Import notes": duplicate.text(),
                    }
                )
    return rows


def partner_share_rows(comparison: Comparison) -> list[dict]:
    return [
        {
            "Partner": share.partner.name,
            "Areas involving it": share_text(share),
            "Strategic level": level_share_text(share.strategic),
            "Operational level": level_share_text(share.operational),
            "National survey (2013)": national_text(share),
            "About the national figure": share.national_note,
        }
        for share in comparison.partner_shares
    ]


def moderation_rows(bank: QuestionBank, comparison: Comparison, rows: Sequence[AreaRow] | None = None) -> list[dict]:
    """Each inspected principle beside its self-assessed score, and the difference (inspected - self-assessed),
    in the words the Results page and the report use for the same figures."""
    found = []
    for row in comparison.rows if rows is None else rows:
        reasons = row.inspected_reasons or ("",) * len(row.inspected)
        for name, own, inspected, reason in zip(
            comparison.principle_names, row.principle_scores, row.inspected, reasons, strict=False
        ):
            if inspected is None:
                continue
            difference = None if own is None else round_score(inspected - own)
            found.append(
                {
                    "Assessment": row.label,
                    "Principle": name,  # already numbered: "1. All partners ..."
                    "Self-assessed": tables.score_text(own),
                    "Inspected": f"{inspected} {bank.level_label(inspected)}",
                    "Difference": difference_text(difference),
                    "Inspector's reason": reason,
                }
            )
    return found


def partner_grid_rows(comparison: Comparison) -> list[dict]:
    """Partners down, assessments across: how each area involves each partner."""
    if not comparison.rows:
        return []
    partners = [partner for partner, _ in comparison.rows[0].partners]
    return [
        {"Partner": partner.name, **{row.label: row.partners[index][1].text() for row in comparison.rows}}
        for index, partner in enumerate(partners)
    ]


def change_rows(comparison: Comparison) -> list[dict]:
    return [
        {
            "Area": change.area,
            "Region": change.region,
            "Years": f"{change.from_year} to {change.to_year}",
            "Overall": change_text(change.overall_change),
            **{
                name: change_text(value)
                for name, value in zip(comparison.principle_names, change.principle_changes, strict=True)
            },
            "Same question bank": yes_no(change.comparable) + ("" if change.comparable else ": compare with care"),
        }
        for change in comparison.changes
    ]


def _csv_cell(value: object) -> object:
    # A text cell opened in a spreadsheet must never run as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def flat_rows(comparison: Comparison) -> list[dict]:
    """Every figure of every assessment in one flat row each, as numbers where they are numbers."""
    rows = []
    for row in comparison.rows:
        flat: dict[str, object] = {
            "Area": row.area,
            "Area code": row.area_code,
            "Region": row.region,
            "Year": row.year,
            "File": row.file,
            "Question bank version": row.bank_version,
            "Local questions": yes_no(row.has_local_questions),
            "Fictional example": yes_no(row.is_example),
            "Overall score": row.overall,
            "Overall rank in the year": row.overall_rank,
        }
        for name, value in zip(comparison.principle_names, row.principle_scores, strict=True):
            flat[name] = value
        for name, rank in zip(comparison.principle_names, row.principle_ranks, strict=False):
            flat[f"{name}: rank in the year"] = rank
        flat["Statements answered"] = row.answered
        flat["Statements"] = row.statements
        flat["Evidence gaps"] = row.evidence_gaps
        flat["Partners involved"] = row.partners_involved
        flat["Partners"] = len(row.partners)
        for partner, involvement in row.partners:
            for level in _LEVELS:
                value = getattr(involvement, level)
                flat[f"{partner.name}: {level}"] = (
                    NOT_KNOWN if value is None else ("Involved" if value else "Not involved")
                )
        rows.append(flat)
    return rows


def comparison_csv(comparison: Comparison) -> str:
    """The comparison as CSV, one line per assessment; a blank score means 'Insufficient evidence'."""
    rows = flat_rows(comparison)
    if not rows:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _csv_cell(value) for key, value in row.items()})
    return buffer.getvalue()


def comparison_dict(comparison: Comparison) -> dict:
    """The comparison as plain data, for the command line's JSON."""
    return {
        "assessments": flat_rows(comparison),
        "principle_means": dict(zip(comparison.principle_names, comparison.principle_means, strict=True)),
        "statistics": statistics_rows(comparison),
        "quartile_method": QUARTILE_METHOD,
        "duplicates": [duplicate.text() for duplicate in comparison.duplicates],
        "partners": [
            {
                "partner": share.partner.name,
                "areas_involving": share.involved,
                "areas_answered": share.answered,
                "share_percent": None if share.share is None else round_percent(share.share),
                "national_percent": share.national_percent,
                "national_note": share.national_note,
            }
            for share in comparison.partner_shares
        ],
        "year_on_year": [
            {
                "area": change.area,
                "from_year": change.from_year,
                "to_year": change.to_year,
                "overall_change": change.overall_change,
                "principle_changes": dict(zip(comparison.principle_names, change.principle_changes, strict=True)),
                "same_question_bank": change.comparable,
            }
            for change in comparison.changes
        ],
        "notes": list(comparison.notes),
    }

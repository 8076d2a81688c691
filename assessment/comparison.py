"""Comparing areas and years, for inspectors: one row per assessment, partner involvement across areas beside
the national survey, and each area's change from one year to the next.

Every score comes from ``scoring.score``, so a comparison can never disagree with an area's own results.
Pure: adding uploaded returns to the store is ``services.import_returns``.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assessment import tables
from assessment.model import Assessment
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
    def known(self) -> bool:
        return self.strategic is not None or self.operational is not None

    @property
    def involved(self) -> bool | None:
        """Involved at either level, as the scoring method says; ``None`` when neither level is known."""
        return bool(self.strategic or self.operational) if self.known else None

    def text(self) -> str:
        if not self.known:
            return NOT_KNOWN
        if self.strategic and self.operational:
            return "Strategic and operational"
        if self.strategic:
            return "Strategic only"
        if self.operational:
            return "Operational only"
        return "Not involved"


@dataclass(frozen=True)
class AreaRow:
    """One assessment in the comparison: what the inspector reads across a line of the table."""

    assessment_id: str
    label: str
    area: str
    year: int
    bank_version: str
    is_example: bool
    overall: float | None
    overall_band: int | None
    principle_scores: tuple[float | None, ...]
    principle_bands: tuple[int | None, ...]
    answered: int
    statements: int
    evidence_gaps: int
    partners: tuple[tuple[Partner, PartnerInvolvement], ...]

    @property
    def area_key(self) -> str:
        return _area_year(self.area, self.year)[0]

    @property
    def has_local_questions(self) -> bool:
        return has_local_questions(self.bank_version)

    @property
    def partners_involved(self) -> int:
        return sum(1 for _, involvement in self.partners if involvement.involved)


@dataclass(frozen=True)
class PartnerShare:
    """How many of the compared areas involve a partner, beside the national survey figure."""

    partner: Partner
    involved: int
    answered: int
    national_percent: int | None
    national_note: str

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


@dataclass(frozen=True)
class Comparison:
    """One row per assessment, the means across them, partner shares, year-on-year changes, and notes to read first.

    A mean is of the assessments that have a score; it is ``None`` when none has.
    """

    principle_names: tuple[str, ...]
    rows: tuple[AreaRow, ...]
    principle_means: tuple[float | None, ...]
    overall_mean: float | None
    partner_shares: tuple[PartnerShare, ...]
    changes: tuple[YearChange, ...]
    notes: tuple[str, ...]

    @property
    def areas(self) -> int:
        return len({row.area_key for row in self.rows})


def _change(later: float | None, earlier: float | None) -> float | None:
    return None if later is None or earlier is None else round_score(later - earlier)


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round_score(sum(known) / len(known)) if known else None


def _row(bank: QuestionBank, assessment: Assessment, label: str) -> AreaRow:
    scorecard = score(bank, assessment)
    return AreaRow(
        assessment_id=assessment.id,
        label=label,
        area=assessment.area,
        year=assessment.year,
        bank_version=assessment.bank_version,
        is_example=assessment.is_example,
        overall=scorecard.overall,
        overall_band=scorecard.overall_band,
        principle_scores=tuple(p.score for p in scorecard.principles),
        principle_bands=tuple(p.band for p in scorecard.principles),
        answered=scorecard.answered_count(),
        statements=len(scorecard.statement_results()),
        evidence_gaps=len(scorecard.evidence_gaps()),
        partners=tuple((c.partner, PartnerInvolvement.from_coverage(c)) for c in scorecard.partners),
    )


def _area_year(area: str, year: int) -> tuple[str, int]:
    return " ".join(area.split()).casefold(), year


def _labels(assessments: Sequence[Assessment]) -> list[str]:
    """'Area year', unique: the date saved is added where two assessments share an area and year."""
    keys = [_area_year(a.area, a.year) for a in assessments]
    labels = [
        a.title if keys.count(key) == 1 else f"{a.title} (saved {a.updated_at:%d %b %Y %H:%M})"
        for key, a in zip(keys, assessments, strict=True)
    ]
    # Saved in the same minute: number the repeats, so every label still names one row.
    return [
        label if labels[:i].count(label) == 0 else f"{label} ({labels[:i].count(label) + 1})"
        for i, label in enumerate(labels)
    ]


def _latest_per_area_year(rows: Sequence[AreaRow]) -> dict[tuple[str, int], AreaRow]:
    chosen: dict[tuple[str, int], AreaRow] = {}
    for row in rows:  # rows are in order of saving within an area and year, so the last one wins
        chosen[(row.area_key, row.year)] = row
    return chosen


def _notes(bank: QuestionBank, rows: Sequence[AreaRow], duplicates: list[str]) -> list[str]:
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
            "are part of their principle scores, so compare those scores with care."
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
    for title in duplicates:
        notes.append(
            f"More than one assessment of {title} is included. The year-on-year changes and the partner figures "
            "use the one saved most recently."
        )
    return notes


def compare(
    bank: QuestionBank, assessments: Iterable[Assessment], *, library: PracticeLibrary | None = None
) -> Comparison:
    """Compare assessments of any areas and years, each scored by the published method."""
    library = library or get_library()
    ordered = sorted(assessments, key=lambda a: (*_area_year(a.area, a.year), a.updated_at, a.id))
    rows = tuple(_row(bank, a, label) for a, label in zip(ordered, _labels(ordered), strict=True))
    keys = [_area_year(row.area, row.year) for row in rows]
    # Named once each, as first spelled.
    duplicates = [
        f"{row.area} {row.year}"
        for index, (key, row) in enumerate(zip(keys, rows, strict=True))
        if keys.count(key) > 1 and keys.index(key) == index
    ]
    by_area_year = _latest_per_area_year(rows)

    # Each area counts once in the partner figures, at its latest year, as an area counted once in the survey.
    latest: dict[str, AreaRow] = {}
    for (area_key, _year), row in sorted(by_area_year.items(), key=lambda item: item[0][1]):
        latest[area_key] = row
    shares = []
    for index, partner in enumerate(bank.partners.partners):
        involvements = [row.partners[index][1] for row in latest.values()]
        figure = library.national_figure(partner.id)
        shares.append(
            PartnerShare(
                partner=partner,
                involved=sum(1 for i in involvements if i.involved),
                answered=sum(1 for i in involvements if i.known),
                national_percent=figure.percent if figure else None,
                national_note=figure.note if figure else NO_NATIONAL_FIGURE_NOTE,
            )
        )

    changes = []
    years_by_area: dict[str, list[AreaRow]] = {}
    for (area_key, _year), row in sorted(by_area_year.items(), key=lambda item: (item[0][0], item[0][1])):
        years_by_area.setdefault(area_key, []).append(row)
    for area_rows in years_by_area.values():
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
                    comparable=national_version(earlier.bank_version) == national_version(later.bank_version),
                )
            )

    return Comparison(
        principle_names=tuple(f"{p.number}. {p.name}" for p in bank.principles),
        rows=rows,
        principle_means=tuple(_mean(row.principle_scores[i] for row in rows) for i in range(len(bank.principles))),
        overall_mean=_mean(row.overall for row in rows),
        partner_shares=tuple(shares),
        changes=tuple(changes),
        notes=tuple(_notes(bank, rows, duplicates)),
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


def overview_rows(bank: QuestionBank, comparison: Comparison) -> list[dict]:
    """One row per assessment: scores as text, as the page shows them."""
    return [
        {
            "Assessment": row.label
            + (" (fictional example)" if row.is_example and "fictional" not in row.label else ""),
            "Overall": overall_text(bank, row.overall),
            **{
                name: tables.score_text(value)
                for name, value in zip(comparison.principle_names, row.principle_scores, strict=True)
            },
            "Statements answered": f"{row.answered} of {row.statements}",
            "Evidence gaps": str(row.evidence_gaps),
            "Partners involved": f"{row.partners_involved} of {len(row.partners)}",
            "Question bank": row.bank_version,
        }
        for row in comparison.rows
    ]


def mean_row(bank: QuestionBank, comparison: Comparison) -> dict:
    """The mean of each column of scores, laid out like a row of ``overview_rows``."""
    return {
        "Assessment": f"Mean of these {len(comparison.rows)} assessments",
        "Overall": overall_text(bank, comparison.overall_mean),
        **{
            name: tables.score_text(value)
            for name, value in zip(comparison.principle_names, comparison.principle_means, strict=True)
        },
        "Statements answered": "",
        "Evidence gaps": "",
        "Partners involved": "",
        "Question bank": "",
    }


def partner_share_rows(comparison: Comparison) -> list[dict]:
    return [
        {
            "Partner": share.partner.name,
            "Areas involving it": share_text(share),
            "National survey (2013)": national_text(share),
            "About the national figure": share.national_note,
        }
        for share in comparison.partner_shares
    ]


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
            "Year": row.year,
            "Question bank version": row.bank_version,
            "Local questions": yes_no(row.has_local_questions),
            "Fictional example": yes_no(row.is_example),
            "Overall score": row.overall,
        }
        for name, value in zip(comparison.principle_names, row.principle_scores, strict=True):
            flat[name] = value
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

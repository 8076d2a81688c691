"""Copy every assessment from one database to another (a local SQLite file to the shared PostgreSQL).

``python -m assessment copy-db SOURCE_URL TARGET_URL``: both databases are brought up to the current schema,
everything is copied in one transaction on the target, and the rows are counted on both sides before it is
committed. An assessment already in the target (the same id) is refused, so a copy is never made twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Table, func, insert, select

from assessment.database import (
    agreements,
    areas,
    assessments,
    audit_events,
    make_engine,
    memberships,
    migrate,
    moderations,
    partner_answers,
    plan_actions,
    respondent_answers,
    respondent_partner_answers,
    respondents,
    statement_answers,
    users,
)
from assessment.model import AssessmentError

# In this order: a respondent's answers need the respondent.
ANSWER_TABLES: tuple[Table, ...] = (
    statement_answers,
    partner_answers,
    plan_actions,
    respondents,
    respondent_answers,
    respondent_partner_answers,
    agreements,
    moderations,
)


@dataclass(frozen=True)
class CopyReport:
    """How many rows of each kind were copied (and found in the target afterwards)."""

    counts: dict[str, int]

    def summary(self) -> str:
        return ", ".join(
            f"{count} {LABELS.get(name, name)}"
            for name, count in self.counts.items()
            if count or name not in SAID_WHEN_COPIED
        )


# Respondents, agreed answers and moderation (issue 10) are named in the summary only when there are some.
SAID_WHEN_COPIED = frozenset(
    {"respondents", "respondent_answers", "respondent_partner_answers", "agreements", "moderations"}
)
LABELS = {
    "assessments": "assessments",
    "statement_answers": "statement answers",
    "partner_answers": "partner answers",
    "plan_actions": "plan records",
    "respondents": "respondents",
    "respondent_answers": "respondents' answers",
    "respondent_partner_answers": "respondents' partner answers",
    "agreements": "agreed answers",
    "moderations": "moderated levels",
    "audit_events": "changes in their history",
    "memberships": "roles",
}


def copy_database(source_url: str, target_url: str) -> CopyReport:
    """Copy every assessment with its answers, plan, area and history, and the people and their roles."""
    if source_url == target_url:
        raise AssessmentError("The source and the target are the same database: nothing to copy.")
    source_engine, target_engine = make_engine(source_url), make_engine(target_url)
    try:
        migrate(source_engine)
        migrate(target_engine)
        with source_engine.connect() as source, target_engine.begin() as target:
            return _copy(source, target)
    finally:
        source_engine.dispose()
        target_engine.dispose()


def _rows(connection: Connection, table: Table, *where) -> list[dict]:
    return [dict(row._mapping) for row in connection.execute(select(table).where(*where))]


def _copy(source: Connection, target: Connection) -> CopyReport:
    wanted = _rows(source, assessments)
    ids = [row["id"] for row in wanted]
    already = set(target.execute(select(assessments.c.id).where(assessments.c.id.in_(ids))).scalars()) if ids else set()
    if already:
        raise AssessmentError(
            f"{len(already)} of the {len(ids)} assessments are already in the target database (copied before?). "
            "Nothing was copied."
        )
    # Areas: one per code; an area the target already has keeps the target's record. An area whose name the
    # target already uses under another code joins that record.
    target_areas = {row["code"]: row for row in _rows(target, areas)}
    by_name = {row["name"].casefold(): code for code, row in target_areas.items()}
    code_map: dict[str, str] = {}
    new_areas = []
    for row in _rows(source, areas):
        if row["code"] in target_areas:
            code_map[row["code"]] = row["code"]
        elif row["name"].casefold() in by_name:
            code_map[row["code"]] = by_name[row["name"].casefold()]
        else:
            code_map[row["code"]] = row["code"]
            new_areas.append(row)
    _insert(target, areas, new_areas)
    for row in wanted:
        if row["area_code"]:
            row["area_code"] = code_map[row["area_code"]]
    _insert(target, assessments, wanted)
    counts = {"assessments": len(wanted)}
    for table in ANSWER_TABLES:
        rows = _rows(source, table)
        _insert(target, table, rows)
        counts[table.name] = len(rows)
    history = [
        {k: v for k, v in row.items() if k != "id"}
        for row in _rows(source, audit_events, audit_events.c.assessment_id.in_(ids))
    ]
    _insert(target, audit_events, history)
    counts["audit_events"] = len(history)
    # People and roles: added where the target does not have them yet.
    known_people = set(target.execute(select(users.c.email)).scalars())
    _insert(target, users, [r for r in _rows(source, users) if r["email"] not in known_people])
    held = {(r["email"], r["role"], r["area_code"], r["region"]) for r in _rows(target, memberships)}
    roles = []
    for row in _rows(source, memberships):
        row.pop("id")
        row["area_code"] = code_map.get(row["area_code"], row["area_code"])
        if (row["email"], row["role"], row["area_code"], row["region"]) not in held:
            roles.append(row)
    _insert(target, memberships, roles)
    counts["memberships"] = len(roles)
    _check_counts(source, target, ids)
    return CopyReport(counts)


def _insert(connection: Connection, table: Table, rows: list[dict]) -> None:
    if rows:
        connection.execute(insert(table), rows)


def _check_counts(source: Connection, target: Connection, ids: list[str]) -> None:
    """Every copied assessment has as many answers, partner answers, plan records and changes in both."""
    for table in (assessments, *ANSWER_TABLES, audit_events):
        column = table.c.id if table is assessments else table.c.assessment_id
        expected, found = (
            side.execute(select(func.count()).select_from(table).where(column.in_(ids))).scalar_one() if ids else 0
            for side in (source, target)
        )
        if found != expected:
            raise AssessmentError(
                f"The copy did not check out: {table.name} has {expected} rows in the source but {found} in the "
                "target. Nothing was copied."
            )

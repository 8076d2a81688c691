"""The command line: a blank template, the scorecard of a return, and its report, for scripting many returns.

    python -m assessment template -o blank.xlsx
    python -m assessment score RETURN.xlsx [--json]
    python -m assessment report RETURN.xlsx -o report.xlsx
    python -m assessment export RETURN.xlsx -o return.json
    python -m assessment compare DIR/ 'returns/*.json' ... [--latest] [--json] [-o comparison.xlsx|.csv]
    python -m assessment merge POLICE.xlsx HOUSING.xlsx ... -o agreed.json
    python -m assessment users add EMAIL --role coordinator --area "Testshire"
    python -m assessment users list
    python -m assessment users remove EMAIL [--role ROLE] [--area AREA]
    python -m assessment copy-db SOURCE_URL TARGET_URL
    python -m assessment areas add NAME [--region REGION] | areas list | areas rename CODE NAME | areas region CODE REGION

RETURN may be a filled-in template, a report, or a JSON export; ``score`` and ``compare`` also take a folder (every
.xlsx and .json file in it) or a quoted glob. Problems go to stderr with the same messages as the app, and the exit
code is 1 (2 for a wrong command line). ``compare`` counts each area once a year: two returns for one area and
year are refused, naming both files, unless ``--latest`` picks the one saved most recently (by file time).

``users`` and ``areas`` work on the shared database named by IOM_DATABASE_URL (or --database URL), else on
the local SQLite file. Whoever can reach the database can already change anything in it, so the command
line acts with every right; what it changes is recorded as done by the command line.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from assessment import services, tables
from assessment.access import ROLES, operator
from assessment.comparison import Provenance, compare, comparison_csv, comparison_dict
from assessment.files.excel.comparison import build_comparison_workbook
from assessment.files.excel.report import build_report
from assessment.files.excel.template import build_template
from assessment.files.imported import ImportedAssessment
from assessment.files.json import export_json, scorecard_dict
from assessment.files.safety import check_size
from assessment.model import AssessmentError
from assessment.privacy import MASKED_NOTE, mask_assessment
from assessment.scoring import score
from assessment.services import read_upload
from assessment.store import Store
from questions.loader import get_bank


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m assessment", description="IOM partnership self-assessment: templates, scores and reports."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    template = commands.add_parser("template", help="write the blank template to fill in offline")
    template.add_argument("-o", "--output", required=True, type=Path, help="where to write the .xlsx file")
    scored = commands.add_parser("score", help="print the scorecard of a filled-in template, report or JSON export")
    scored.add_argument("file", type=Path)
    scored.add_argument("--json", action="store_true", help="print the scorecard as JSON")
    report = commands.add_parser("report", help="write the Excel report of a return")
    report.add_argument("file", type=Path)
    report.add_argument("-o", "--output", required=True, type=Path)
    export = commands.add_parser("export", help="write a return as JSON")
    export.add_argument("file", type=Path)
    export.add_argument("-o", "--output", required=True, type=Path)
    compared = commands.add_parser(
        "compare", help="compare many returns (files, folders or globs): a workbook (.xlsx), CSV or JSON"
    )
    compared.add_argument("files", nargs="+", type=Path)
    compared.add_argument("--json", action="store_true", help="write the comparison as JSON, with partner shares")
    compared.add_argument(
        "--latest", action="store_true", help="of two returns for one area and year, compare the most recently saved"
    )
    compared.add_argument(
        "-o", "--output", type=Path, help="where to write it: .xlsx for the workbook (default: CSV on standard output)"
    )

    merged = commands.add_parser(
        "merge",
        help="merge several agencies' returns for one area and year into one assessment, with the proposed agreement",
    )
    merged.add_argument("files", nargs="+", type=Path)
    merged.add_argument("-o", "--output", required=True, type=Path, help="where to write the JSON file")

    copied = commands.add_parser(
        "copy-db", help="copy every assessment from one database to another, for example SQLite to PostgreSQL"
    )
    copied.add_argument("source", help="for example sqlite:///data/iom.sqlite3")
    copied.add_argument("target", help="for example postgresql+psycopg://iom@db.example/iom")

    database = argparse.ArgumentParser(add_help=False)
    database.add_argument(
        "--database", metavar="URL", help="the database (default: IOM_DATABASE_URL, else the local SQLite file)"
    )
    people = commands.add_parser("users", help="who may use the shared service, and their roles")
    people_commands = people.add_subparsers(dest="action", required=True)
    added = people_commands.add_parser("add", parents=[database], help="give a person a role")
    added.add_argument("email", help="the email address the person signs in with")
    added.add_argument("--role", required=True, choices=ROLES)
    added.add_argument("--area", help="the area (name or code) of a coordinator or contributor; made if new")
    added.add_argument("--region", help="for an inspector of one region only")
    people_commands.add_parser("list", parents=[database], help="list everyone's roles")
    removed = people_commands.add_parser("remove", parents=[database], help="take away a person's roles")
    removed.add_argument("email")
    removed.add_argument("--role", choices=ROLES, help="only this role")
    removed.add_argument("--area", help="only their role in this area")

    places = commands.add_parser("areas", help="the IOM areas of the shared service")
    place_commands = places.add_subparsers(dest="action", required=True)
    place_added = place_commands.add_parser("add", parents=[database], help="add an area")
    place_added.add_argument("name")
    place_added.add_argument("--region", default="", help="the region, for inspectors of one region")
    place_commands.add_parser("list", parents=[database], help="list the areas and their codes")
    renamed = place_commands.add_parser("rename", parents=[database], help="rename an area (its code stays)")
    renamed.add_argument("code")
    renamed.add_argument("name")
    regioned = place_commands.add_parser("region", parents=[database], help="set an area's region")
    regioned.add_argument("code")
    regioned.add_argument("region")
    return parser


RETURN_SUFFIXES = (".xlsx", ".json")


def expand(paths: list[Path]) -> list[Path]:
    """Files as given, every return in a folder, and what a quoted glob matches, each once, in order."""
    found: list[Path] = []
    for path in paths:
        text = str(path)
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in RETURN_SUFFIXES)
        elif any(char in text for char in "*?[") and not path.exists():
            found += sorted(
                p
                for p in Path(path.anchor or ".").glob(str(path.relative_to(path.anchor)) if path.anchor else text)
                if p.is_file()
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def _open_store(url: str | None) -> Store:
    return Store(url) if url else Store()


def _people(arguments: argparse.Namespace) -> int:
    store = _open_store(arguments.database)
    actor = operator(getpass_user())
    if arguments.command == "users":
        if arguments.action == "add":
            membership = services.add_member(
                store,
                actor=actor,
                email=arguments.email,
                role=arguments.role,
                area=arguments.area,
                region=arguments.region,
            )
            print(f"{membership.email} is now {membership.describe(_areas(store, actor))}.")
        elif arguments.action == "list":
            areas = _areas(store, actor)
            members = services.list_members(store, actor=actor)
            for membership in members:
                print(f"{membership.email}\t{membership.describe(areas)}")
            if not members:
                print(
                    "Nobody has a role yet. Add the first admin with: python -m assessment users add EMAIL --role admin"
                )
        else:
            count = services.remove_member(
                store, actor=actor, email=arguments.email, role=arguments.role, area=arguments.area
            )
            if not count:
                print(f"{arguments.email} had no such role: nothing was removed.", file=sys.stderr)
                return 1
            print(f"Removed {count} role{'s' if count != 1 else ''} of {arguments.email}.")
        return 0
    if arguments.action == "add":
        area = services.add_area(store, actor=actor, name=arguments.name, region=arguments.region)
        print(f"Added {area.name} (code {area.code}).")
    elif arguments.action == "list":
        for area in services.list_areas(store, actor=actor):
            print(f"{area.code}\t{area.name}\t{area.region}")
    elif arguments.action == "rename":
        area = services.change_area(store, actor=actor, code=arguments.code, name=arguments.name)
        print(f"{area.code} is now called {area.name}.")
    else:
        area = services.change_area(store, actor=actor, code=arguments.code, region=arguments.region)
        print(f"{area.name} is in the region {area.region or '(none)'}.")
    return 0


def _areas(store: Store, actor) -> dict:
    return {area.code: area for area in services.list_areas(store, actor=actor)}


def getpass_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _compare(arguments: argparse.Namespace) -> int:
    """Read every return, report each bad one on stderr, and compare the rest; exit 1 if any could not be read."""
    assessments, provenance, failed = [], {}, 0
    paths = expand(arguments.files)
    if not paths:
        print("No returns found: give .xlsx or .json files, a folder holding them, or a glob.", file=sys.stderr)
        return 1
    for path in paths:
        try:
            imported = _read(path)
        except AssessmentError as error:
            print(f"{path.name}: {error}", file=sys.stderr)
            failed += 1
            continue
        notes = (*imported.changes, *imported.warnings)
        for note in notes:
            print(f"{path.name}: {note}", file=sys.stderr)
        # 'Saved' is the file's time: the one an inspector can see, and the same whatever the order of the files.
        saved = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
        assessment = imported.assessment.model_copy(update={"updated_at": saved})
        assessments.append(assessment)
        provenance[assessment.id] = Provenance(path.name, imported.made_on, notes)
    if not assessments:
        return 1
    comparison = compare(get_bank(), assessments, provenance=provenance)
    if comparison.duplicates and not arguments.latest:
        for duplicate in comparison.duplicates:
            files = " and ".join(c.file for c in duplicate.candidates)
            print(
                f"{duplicate.area} {duplicate.year} has {len(duplicate.candidates)} returns ({files}). Each area "
                "counts once a year: remove all but one, or add --latest to compare the most recently saved.",
                file=sys.stderr,
            )
        return 1
    for note in comparison.notes:
        print(note, file=sys.stderr)
    output = arguments.output
    if output is not None and output.suffix.lower() == ".xlsx":
        content: bytes | str = build_comparison_workbook(get_bank(), comparison)
    elif arguments.json:
        content = json.dumps(comparison_dict(comparison), indent=2, ensure_ascii=False)
    else:
        content = comparison_csv(comparison)
    try:
        if output:
            _write(output, content)
        else:
            sys.stdout.write(content if isinstance(content, str) else "")
    except AssessmentError as error:
        print(error, file=sys.stderr)
        return 1
    return 1 if failed else 0


def _merge(arguments: argparse.Namespace) -> int:
    """Each agency's return as a respondent of one assessment, written as JSON with the proposed agreement."""
    from assessment.agreement import statement_agreements
    from assessment.merging import merge_returns

    bank = get_bank()
    paths = expand(arguments.files)
    returns, failed = [], False
    for path in paths:
        try:
            returns.append((path.name, _read(path)))
        except AssessmentError as error:
            print(f"{path.name}: {error}", file=sys.stderr)
            failed = True
    if failed:
        print("Nothing was merged: put the files above right, then merge again.", file=sys.stderr)
        return 1
    try:
        merged = merge_returns(bank, returns)
    except AssessmentError as error:
        print(error, file=sys.stderr)
        return 1
    _write(arguments.output, export_json(merged))
    flagged = sum(1 for row in statement_agreements(bank, merged) if row.flagged)
    print(
        f"Merged {len(returns)} returns for {merged.title} into {arguments.output}: "
        f"{len(merged.respondents)} respondents, {flagged} statement{'' if flagged == 1 else 's'} flagged for "
        "discussion. "
        "Every statement is proposed, not yet agreed: upload the file on the Start page to agree the position."
    )
    return 0


def _read(path: Path) -> ImportedAssessment:
    try:
        check_size(path.stat().st_size)  # before reading it: the same limit and message as the app
        data = path.read_bytes()
    except OSError as error:
        raise AssessmentError(f"cannot be read ({error.strerror or error}).") from None
    return read_upload(get_bank(), data, filename=path.name)


def _write(path: Path, content: bytes | str) -> None:
    try:
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    except OSError as error:
        raise AssessmentError(f"{path} cannot be written ({error.strerror or error}).") from None


def _print_scorecard(name: str, imported: ImportedAssessment) -> None:
    bank = get_bank()
    assessment = imported.assessment
    scorecard = score(bank, assessment)
    print(f"{assessment.area} {assessment.year} ({name}, question bank {bank.version})")
    overall = tables.score_text(scorecard.overall)
    if scorecard.overall is not None:  # "Insufficient evidence" is said once, not twice
        overall += f" {tables.band_text(bank, scorecard.overall_band)}"
    print(f"Overall: {overall}")
    for row in tables.principle_rows(bank, scorecard):
        print(f"  {row['Score shown']:>22}  {row['Band']:<22} {row['Principle']}")
    involved = [c.partner.name for c in scorecard.partners if c.involved]
    print(f"Partners involved: {len(involved)} of {len(scorecard.partners)}")
    print(f"Evidence gaps: {len(scorecard.evidence_gaps())}")


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    if arguments.command == "copy-db":
        from sqlalchemy.exc import SQLAlchemyError

        from assessment.transfer import copy_database

        try:
            report = copy_database(arguments.source, arguments.target)
        except AssessmentError as error:
            print(error, file=sys.stderr)
            return 1
        except SQLAlchemyError as error:  # a database that cannot be reached: say so, without a traceback
            print(f"The copy failed and nothing was copied: {error.orig or error}", file=sys.stderr)
            return 1
        print(f"Copied {report.summary()}. The counts match in both databases.")
        return 0
    if arguments.command in ("users", "areas"):
        try:
            return _people(arguments)
        except AssessmentError as error:
            print(error, file=sys.stderr)
            return 1
    bank = get_bank()
    try:
        if arguments.command == "template":
            _write(arguments.output, build_template(bank))
            print(f"Wrote the blank template to {arguments.output}")
            return 0
        if arguments.command == "compare":
            return _compare(arguments)
        if arguments.command == "merge":
            return _merge(arguments)
        matched = expand([arguments.file])
        if len(matched) != 1:
            raise AssessmentError(f"matches {len(matched)} files: give exactly one return.")
        arguments.file = matched[0]
        imported = _read(arguments.file)
        for note in (*imported.changes, *imported.warnings):
            print(f"{arguments.file.name}: {note}", file=sys.stderr)
        if arguments.command == "score":
            if arguments.json:
                data = {
                    "file": arguments.file.name,
                    "area": imported.assessment.area,
                    "year": imported.assessment.year,
                    **scorecard_dict(bank, score(bank, imported.assessment)),
                }
                print(json.dumps(data, indent=2, ensure_ascii=False))
            else:
                _print_scorecard(arguments.file.name, imported)
        elif arguments.command == "report":
            _write(arguments.output, build_report(bank, imported.assessment))
            print(f"Wrote the report to {arguments.output}")
        elif arguments.command == "export":
            _write(arguments.output, export_json(imported.assessment))
            print(f"Wrote {arguments.output}")
        if arguments.command in ("report", "export") and mask_assessment(imported.assessment).any_masked:
            print(f"{arguments.output.name}: {MASKED_NOTE}", file=sys.stderr)
    except AssessmentError as error:
        name = getattr(arguments, "file", None) or getattr(arguments, "output", "")
        print(f"{Path(str(name)).name}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

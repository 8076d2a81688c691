"""Brings an assessment's answers from an older question bank version to the one in use, saying what changed.

One code path for every way an older assessment arrives: a saved assessment opened in the app, an Excel
workbook and a JSON file. The mapping is data (``questions/bank/migrations/``); this module applies it:
answers move to their new statement ids (a split statement's answer goes to each part), answers to removed
statements are left out, the board's records of suggested actions follow their statement, and every change
the board should know about becomes a plain sentence, with the answers that need a fresh look listed.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.model import ActionEdit, Agreed, Choice, Moderation, Respondent, StatementAnswer
from questions.migrations import Migration, base_version, old_bank, path_between
from questions.models import QuestionBank


@dataclass(frozen=True)
class Migrated:
    """The answers and action records on the newer version, what changed, and which answers need a fresh look."""

    answers: dict[str, StatementAnswer]
    plan: dict[str, ActionEdit]
    changes: tuple[str, ...]
    fresh_look: tuple[str, ...]


def can_migrate(from_version: str, bank: QuestionBank) -> bool:
    """Whether the app holds the mapping from ``from_version`` to the bank in use."""
    return path_between(from_version, bank.version) is not None


def known_statement_ids(version: str) -> frozenset[str]:
    """The statement ids of an older bank version the app keeps a copy of (empty when it keeps none)."""
    kept = old_bank(version)
    return frozenset(kept.statement_ids()) if kept else frozenset()


def _order(refs: dict[str, str], statement_id: str) -> str:
    """A sort key that puts statement 1.10 after 1.9."""
    principle, _, number = refs.get(statement_id, "9.99").partition(".")
    return f"{int(principle):02d}.{int(number):03d}"


def _refs(bank: QuestionBank) -> dict[str, str]:
    return {s.id: f"{p.number}.{n}" for p in bank.principles for n, s in enumerate(p.statements, start=1)}


def _old_refs(version: str) -> dict[str, str]:
    kept = old_bank(version)
    if kept is None:
        return {}
    refs: dict[str, str] = {}
    counts: dict[int, int] = {}
    for item in kept.statements:
        number = int(item["principle"])
        counts[number] = counts.get(number, 0) + 1
        refs[str(item["id"])] = f"{number}.{counts[number]}"
    return refs


@dataclass(frozen=True)
class _Note:
    old_id: str
    new_ids: tuple[str, ...]
    fresh: bool
    reason: str


def _step(
    migration: Migration, answers: dict[str, StatementAnswer], plan: dict[str, ActionEdit]
) -> tuple[dict[str, StatementAnswer], dict[str, ActionEdit], list[_Note]]:
    """One version step: the moved answers and action records, and a note for each answered statement that changed."""
    moved: dict[str, StatementAnswer] = {}
    notes: list[_Note] = []
    for old_id, answer in answers.items():
        change = migration.change(old_id)
        if change is None:  # a local question, or an id this step does not touch
            moved.setdefault(old_id, answer)
            continue
        fresh = change.needs_fresh_look(answer.choice)
        for new_id in change.new:
            moved[new_id] = answer.model_copy()
        if change.change != "levels" or fresh:  # a levels-only change that asks nothing of this answer is not news
            notes.append(_Note(old_id, change.new, fresh, change.reason))
    # The board's records of suggested actions follow their statement (to the first part of a split one).
    renames = {change.old: change.new[0] for change in migration.statements if change.new}
    new_plan: dict[str, ActionEdit] = {}
    for action_id, edit in plan.items():
        rule, _, gap = action_id.partition("@")
        kind, _, rest = gap.partition(":")
        if kind in ("statement", "dont-know") and rest in renames and not edit.own:
            action_id = f"{rule}@{kind}:{renames[rest]}"
            edit = edit.model_copy(update={"action_id": action_id})
        new_plan.setdefault(action_id, edit)
    return moved, new_plan, notes


def migrate(
    bank: QuestionBank,
    from_version: str,
    answers: dict[str, StatementAnswer],
    plan: dict[str, ActionEdit] | None = None,
    *,
    partner_ids: set[str] | None = None,
) -> Migrated:
    """Bring answers (and the board's action records) made on ``from_version`` up to ``bank``'s version.

    ``partner_ids`` are the partners the assessment answered; partners new in the bank are named in the changes.
    Raises ``KeyError`` when the app holds no migration path from ``from_version``.
    """
    steps = path_between(from_version, bank.version)
    if steps is None:
        raise KeyError(f"no migration from question bank {from_version} to {bank.version}")
    refs = _refs(bank)
    current = dict(answers)
    records = dict(plan or {})
    changes: list[str] = []
    fresh: list[str] = []
    if steps:
        changes.append(
            f"This self-assessment was made on question bank {base_version(from_version)}; it is now on "
            f"{bank.version}. Answers were moved to the new statements. The changes to your answers are listed "
            "below."
        )
    for step in steps:
        kept = old_bank(step.from_version)
        old_refs = _old_refs(step.from_version)
        current, records, notes = _step(step, current, records)
        lines: list[tuple[str, str]] = []  # (sort key, sentence): the changes in the new bank's order
        for note in notes:
            was = old_refs.get(note.old_id, note.old_id)
            if not note.new_ids:
                old_text = kept.text(note.old_id) if kept else note.old_id
                lines.append(("~", f"Removed: statement {was}, ‘{old_text}’ Its answer was left out. {note.reason}"))
                continue
            new_ids = sorted(note.new_ids, key=lambda new_id: _order(refs, new_id))
            now = " and ".join(refs.get(new_id, new_id) for new_id in new_ids)
            label = f"Statement {now}" if now == was else f"Statement {now} (was {was})"
            ask = " Your answer was kept: take a fresh look at it." if note.fresh else " Your answer was kept."
            if len(new_ids) > 1:
                label = f"Statements {now} (were {was})"
                ask = " Your answer was copied to each of them: take a fresh look at them."
            lines.append((_order(refs, new_ids[0]), f"{label}: {note.reason}{ask}"))
            if note.fresh:
                fresh.extend(note.new_ids)
        for item in step.added:
            if item.kind == "statement" and bank.has_statement(item.id):
                text = f"Statement {refs[item.id]} is new: ‘{bank.statement(item.id).text}’ It has no answer yet."
                lines.append((_order(refs, item.id), text))
            elif item.kind == "partner" and (partner_ids is None or item.id not in partner_ids):
                lines.append(("~~", f"{item.reason} It has no answers yet."))
        changes += [sentence for _, sentence in sorted(lines, key=lambda line: line[0])]
    # Whatever is still not a statement of the bank in use (an id from an unknown version) is left out, and said.
    for statement_id in [s for s in current if not bank.has_statement(s)]:
        del current[statement_id]
        changes.append(f"Statement {statement_id!r} is not in question bank {bank.version}; its answer was left out.")
    return Migrated(current, records, tuple(changes), tuple(dict.fromkeys(fresh)))


# ---- issue 10: each agency's own answers, the agreed answers and the inspector's statements --------------------


@dataclass(frozen=True)
class MigratedPartnership:
    """Respondents, agreed answers and moderation on the newer version, and what the board should know of it."""

    respondents: list[Respondent]
    agreed: dict[str, Agreed]
    moderation: list[Moderation]
    changes: tuple[str, ...]


def _moved(bank: QuestionBank, from_version: str, statement_id: str, choice: Choice | None) -> tuple[list[str], bool]:
    """Where one answered statement goes on the newer version, and whether its answer needs a fresh look there."""
    migrated = migrate(bank, from_version, {statement_id: StatementAnswer(choice=choice)})
    return sorted(migrated.answers), bool(migrated.fresh_look)


def migrate_partnership(
    bank: QuestionBank,
    from_version: str,
    respondents: list[Respondent],
    agreed: dict[str, Agreed],
    moderation: list[Moderation],
) -> MigratedPartnership:
    """Bring each agency's own answers, the agreed answers and the inspector's statement levels up to ``bank``.

    Each agency's answers move exactly as the partnership's answers do (``migrate``). An agreed answer moves with
    its statement while the statement asks nothing new of it; where the statement was split, or its answer needs a
    fresh look, or it was removed, the agreement is set back to the proposal, to be agreed again, and the changes
    say so. An inspector's level for a statement follows it (to the first part of a split one), or is left out
    with a note when the statement was removed. Raises ``KeyError`` like ``migrate``.
    """
    refs = _refs(bank)
    moved = [r.model_copy(update={"answers": migrate(bank, from_version, r.answers).answers}) for r in respondents]
    kept: dict[str, Agreed] = {}
    again: list[str] = []
    for statement_id, decision in agreed.items():
        new_ids, fresh = _moved(bank, from_version, statement_id, decision.choice)
        if len(new_ids) == 1 and not fresh:
            kept[new_ids[0]] = decision
        else:
            again.extend(new_ids or [statement_id])
    changes = []
    if again:
        numbers = [refs.get(s, s) for s in sorted(set(again), key=lambda s: _order(refs, s))]
        listed = numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} and {numbers[-1]}"
        changes.append(
            f"The agreed answer{'s' if len(numbers) > 1 else ''} to statement{'s' if len(numbers) > 1 else ''} "
            f"{listed} went back to the proposed level{'s' if len(numbers) > 1 else ''}: the statement"
            f"{'s' if len(numbers) > 1 else ''} changed, so agree {'them' if len(numbers) > 1 else 'it'} again."
        )
    inspected: list[Moderation] = []
    for item in moderation:
        if not item.statement_id:
            inspected.append(item)
            continue
        new_ids, _ = _moved(bank, from_version, item.statement_id, None)
        new_ids = [s for s in new_ids if bank.principle_of(s).number == item.principle]
        if new_ids:
            inspected.append(item.model_copy(update={"statement_id": min(new_ids, key=lambda s: _order(refs, s))}))
        else:
            was = _old_refs(from_version).get(item.statement_id, item.statement_id)
            changes.append(
                f"The inspector's level for statement {was} (on question bank {base_version(from_version)}) was "
                f"left out: that statement is no longer part of principle {item.principle}."
            )
    return MigratedPartnership(moved, kept, inspected, tuple(changes))

"""The report's sheets for an assessment that agencies answer separately, or that an inspector moderated (issue 10).

Respondents (who answered, when, how far), Agreement (each statement: every respondent's level, the proposal,
the flag, the agreed answer and its reason), Answers by agency (every respondent's answers with their notes, and
their partner answers, so reading the report back keeps them all) and Inspection (self-assessed beside inspected).
The sheets are added only when there is something to show, so any other report is as before.
"""

from __future__ import annotations

from datetime import UTC, datetime

from openpyxl import Workbook

from assessment import wording
from assessment.agreement import respondent_label, statement_agreements
from assessment.files.excel import layout, style
from assessment.model import Assessment
from assessment.partnership import difference_text, moderated_principles, progress
from assessment.scoring import Scorecard
from questions.models import QuestionBank

NOT_FLAGGED = "No"
NO_PROPOSAL = "None yet (nobody has answered)"  # as the Agree the position page says


def stamp(value: datetime) -> str:
    """A time as the sheets write it and the reader reads it back: '2026-11-26 09:30:05 UTC'."""
    return value.astimezone(UTC).strftime(layout.STAMP_FORMAT)


def write_partnership_sheets(
    workbook: Workbook, writer: style.SheetWriter, bank: QuestionBank, assessment: Assessment, scorecard: Scorecard
) -> None:
    if assessment.respondents:
        _respondents(workbook.create_sheet(layout.RESPONDENTS), writer, bank, assessment)
        _agreement(workbook.create_sheet(layout.AGREEMENT), writer, bank, assessment)
        _answers(workbook.create_sheet(layout.AGENCY_ANSWERS), writer, bank, assessment)
    if assessment.moderation:
        _inspection(workbook.create_sheet(layout.INSPECTION), writer, bank, assessment, scorecard)


def _finish(sheet, name: str, last_row: int, columns: int, widths: dict[str, float]) -> None:
    style.wrap_block(sheet, layout.FIRST_DATA_ROW, last_row, columns)
    style.ref_column(sheet, columns, layout.FIRST_DATA_ROW, last_row)
    style.widths(sheet, widths)
    style.data_table(sheet, name, layout.HEADER_ROW, last_row, columns)
    sheet.freeze_panes = f"A{layout.FIRST_DATA_ROW}"
    style.print_setup(sheet, title_rows=f"{layout.HEADER_ROW}:{layout.HEADER_ROW}", last_column=columns - 1)


def _respondents(sheet, writer, bank: QuestionBank, assessment: Assessment) -> None:
    style.title(
        sheet,
        "Respondents",
        "Who answered for each agency, when, and how far they got. Each agency's answers are kept apart; the "
        "partnership's answers are agreed from them (see Agreement).",
    )
    style.header(sheet, layout.HEADER_ROW, layout.RESPONDENT_COLUMNS)
    row = layout.HEADER_ROW
    for item in progress(bank, assessment):
        r = item.respondent
        row += 1
        writer.row(
            sheet,
            row,
            [
                r.agency_name if r.agency == "other" else bank.partner(r.agency).name,
                r.name,
                r.role,
                f"{item.statements} of {item.statements_total}",
                f"{item.partner_answers} of {item.partner_total}",
                stamp(r.created_at),
                stamp(r.updated_at),
                r.user,
                r.agency,
                r.id,
            ],
        )
    _finish(sheet, "Respondents", row, len(layout.RESPONDENT_COLUMNS), {"A": 28, "B": 22, "C": 20, "F": 22, "G": 22})


def _agreement(sheet, writer, bank: QuestionBank, assessment: Assessment) -> None:
    style.title(
        sheet,
        "Agreement",
        "For each statement: every agency's answer, the proposed level (the median; of two middle levels, the "
        "lower), whether it is flagged for discussion, and the agreed answer with its reason.",
    )
    labels = [respondent_label(bank, r) for r in assessment.respondents]
    columns = [*layout.AGREEMENT_FIXED, *labels, *layout.AGREEMENT_AFTER]
    style.header(sheet, layout.HEADER_ROW, columns)
    row = layout.HEADER_ROW
    for item in statement_agreements(bank, assessment):
        row += 1
        agreed = item.agreed
        writer.row(
            sheet,
            row,
            [
                item.number,
                item.statement.text,
                # An agency that has not answered says so (blank would print as "Not known", which is not it).
                *(wording.choice_word(bank, a.choice) or wording.NOT_ANSWERED for _, a in item.answers),
                wording.choice_word(bank, item.proposed) or NO_PROPOSAL,
                "; ".join(item.flags) or NOT_FLAGGED,
                wording.choice_word(bank, agreed.choice) if agreed else layout.NOT_YET_AGREED_WORDS,
                "" if not agreed else layout.ACCEPTED if agreed.choice == agreed.proposed else layout.SET_WITH_REASON,
                agreed.reason if agreed else "",
                agreed.by if agreed else "",
                stamp(agreed.at) if agreed else "",
                item.statement.id,
            ],
        )
        # Nothing to say yet about how, why, by whom or when: "Not needed", as the report says of a reason that
        # no one has to give (an accepted proposal needs no reason either). The reader skips these rows' words.
        after = len(columns) - len(layout.AGREEMENT_AFTER)
        needless = ("How agreed", "Reason", "Agreed by", "Agreed on") if not agreed else ("Reason",)
        for heading in needless:
            cell = sheet.cell(row, after + layout.AGREEMENT_AFTER.index(heading) + 1)
            if cell.value in (None, ""):
                cell.value = layout.NOT_NEEDED
                cell.font = style.PLACEHOLDER_FONT
    widths = {"A": 5, "B": 50}
    _finish(sheet, "Agreement", row, len(columns), widths)


def _answers(sheet, writer, bank: QuestionBank, assessment: Assessment) -> None:
    style.title(
        sheet,
        "Answers by agency",
        "Every answer each agency gave, with its evidence notes, then its answers about each partner.",
    )
    style.header(sheet, layout.HEADER_ROW, layout.AGENCY_ANSWER_COLUMNS)
    refs = layout.statement_refs(bank)
    words = wording.partner_words(bank)
    row = layout.HEADER_ROW
    for respondent in assessment.respondents:
        label = respondent_label(bank, respondent)
        for _, statement in bank.statements():
            answer = respondent.answers.get(statement.id)
            if answer is None or answer.is_empty:
                continue
            row += 1
            writer.row(
                sheet,
                row,
                [
                    label,
                    refs[statement.id],
                    statement.text,
                    wording.choice_word(bank, answer.choice),
                    answer.evidence,
                    answer.na_reason,
                    respondent.id,
                    statement.id,
                ],
            )
        for partner in bank.partners.partners:
            for indicator in bank.partners.indicators:
                value = respondent.partner_answer(partner.id, indicator.id)
                if value is None:
                    continue
                row += 1
                writer.row(
                    sheet,
                    row,
                    [
                        label,
                        "",
                        f"Partner coverage: {partner.name}: {indicator.text}",
                        words[value],
                        "",
                        "",
                        respondent.id,
                        f"{layout.PARTNER_REF_PREFIX}{partner.id}:{indicator.id}",
                    ],
                )
    _finish(sheet, "AnswersByAgency", row, len(layout.AGENCY_ANSWER_COLUMNS), {"A": 24, "B": 5, "C": 50, "E": 40})


def _inspection(sheet, writer, bank: QuestionBank, assessment: Assessment, scorecard: Scorecard) -> None:
    style.title(
        sheet,
        "Inspection",
        "The inspector's level beside the self-assessed score, with the difference (inspected minus self-assessed) "
        "and the reason. The board's own answers are not changed by it.",
    )
    style.header(sheet, layout.HEADER_ROW, layout.INSPECTION_COLUMNS)
    refs = layout.statement_refs(bank)
    scores = {m.number: m for m in moderated_principles(bank, assessment, scorecard)}
    row = layout.HEADER_ROW
    for moderation in sorted(assessment.moderation, key=lambda m: m.key):
        row += 1
        principle = bank.principles[moderation.principle - 1]
        if moderation.statement_id:
            own = assessment.answer(moderation.statement_id).choice
            self_assessed = wording.choice_word(bank, own) or wording.NOT_ANSWERED
            difference = "" if own not in ("0", "1", "2", "3", "4") else f"{moderation.level - int(own):+d}"
        else:
            self_assessed = (
                ""
                if scores[principle.number].self_assessed is None
                else (f"{scores[principle.number].self_assessed:.1f}")
            )
            self_assessed = self_assessed or wording.INSUFFICIENT
            difference = difference_text(scores[principle.number].difference)
        writer.row(
            sheet,
            row,
            [
                f"{principle.number}. {principle.name}",
                refs.get(moderation.statement_id, "") if moderation.statement_id else "All",  # the whole principle
                self_assessed,
                wording.level_word(bank, moderation.level),
                difference,
                moderation.reason,
                moderation.by,
                stamp(moderation.at),
                moderation.statement_id or "",
            ],
        )
    _finish(sheet, "Inspection", row, len(layout.INSPECTION_COLUMNS), {"A": 36, "B": 6, "F": 44, "H": 22})

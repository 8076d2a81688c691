"""What free text may hold: the one cleaning rule for every string a user or a file gives the app.

Names, notes, owners and reasons reach pages, Excel workbooks (XML, which forbids most control
characters), JSON and CSV. Invisible characters do harm there: a control character makes openpyxl
refuse to write the report, and a text-direction override (U+202E) shows "2026" as "6202" on another
page. ``clean_text`` removes them; ``clean_line`` also folds a name onto one line. The domain model's
validators call these, so no stored or imported assessment holds such characters; the Start form uses
``hidden_characters`` to refuse them with a message instead.
"""

from __future__ import annotations

import re
import unicodedata

# Characters XML 1.0 forbids (controls other than tab, line feed and carriage return; DEL and the C1 controls,
# which Excel shows as boxes; lone surrogates, which cannot be encoded; U+FFFE and U+FFFF), and the marks that
# change the direction of the text around them (embeddings, overrides, isolates, and the direction marks).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_DIRECTION = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_text(value: str) -> str:
    """``value`` without characters that cannot be stored in a workbook or that reverse the text around them.

    Line breaks and tabs are kept (a note may have several lines); Windows line ends become plain line breaks.
    """
    return _UNSAFE.sub("", value.replace("\r\n", "\n"))


def clean_line(value: str) -> str:
    """A name on one line: cleaned as ``clean_text``, with every run of spaces, tabs and line breaks one space."""
    return " ".join(clean_text(value).split())


def hidden_characters(value: str) -> list[str]:
    """Each kind of unsafe character ``value`` holds, described for a message: 'U+202E (reverses the text)'."""
    found = dict.fromkeys(_UNSAFE.findall(value))
    return [f"U+{ord(ch):04X} ({_describe(ch)})" for ch in found]


def hidden_characters_message(value: str, *, what: str) -> str | None:
    """A message refusing ``value`` (typed into a form) if it holds unsafe characters; None if it is fine."""
    found = hidden_characters(value)
    if not found:
        return None
    return (
        f"{what} contains hidden characters that cannot be shown or saved: {_listed(found)}. "
        "They often come with text copied from another program. Type it again, or paste it as plain text."
    )


def removed_note(value: str, *, what: str) -> str | None:
    """A note for an import that cleaned ``value``: which hidden characters went and what it now reads."""
    found = hidden_characters(value)
    if not found:
        return None
    return f"{what} held hidden characters ({_listed(found)}); they were removed, so it reads “{clean_line(value)}”."


def _listed(found: list[str]) -> str:
    return ", ".join(found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")


def _describe(ch: str) -> str:
    if ch in _DIRECTION:
        return "changes the direction of the text"
    if unicodedata.category(ch) == "Cs":
        return "half of a broken character"
    return "a control character"

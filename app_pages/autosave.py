"""Saving what the widgets show: every run compares each widget with the saved answer and saves the difference.

Why not ``on_change`` callbacks: Streamlit runs them at the start of a rerun, and a click that arrives while
they run stops the next callback at its first ``st.session_state`` read (a yield point). The widget's new
value is then taken as already seen (``SessionState._widget_changed`` compares it with the state of the run
that was stopped), so its callback never runs again and the answer is lost without a word. A save missed
this way cannot happen here: a comparison interrupted by a click is simply made again on the next run.

Each field keeps a *base*: the saved value this session last showed in the widget. A widget that differs
from its base was changed here, and is saved; a widget still at its base whose saved value has moved on was
changed elsewhere (another tab, an import), and is shown the saved value. A widget seen for the first time
in a session (after a reconnect, the browser sends what it showed before the server restarted) is saved if
it is the only one that differs; if several differ the page was out of date, so it shows what is saved and
says so. "Saved" is shown only for a value read back from the database.

The passes assume that one session's runs never overlap. Streamlit's default ``runner.fastReruns`` breaks that:
a click starts a new run at once, in a new thread, while the last run is still inside a save. Both runs then
compare and save the same field, and the older save can land last, leaving the database behind the page (a lost
answer under load, found with IOM_AUTOSAVE_TRACE). The option is off in .streamlit/config.toml, and
streamlit_app.py turns it off for a server started any other way.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import streamlit as st

from assessment.model import AssessmentError

MISSING: Any = object()

# IOM_AUTOSAVE_TRACE=<file> writes one line per comparison that found a difference and per save: for tracing a
# lost answer in the saving bench. Off by default.
TRACE = logging.getLogger("iom.autosave")
if os.environ.get("IOM_AUTOSAVE_TRACE") and not TRACE.handlers:
    _handler = logging.FileHandler(os.environ["IOM_AUTOSAVE_TRACE"])
    _handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    TRACE.addHandler(_handler)
    TRACE.setLevel(logging.DEBUG)
    TRACE.propagate = False


def _trace(message: str, *args: Any) -> None:
    if TRACE.isEnabledFor(logging.DEBUG):
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        TRACE.debug("%s " + message, ctx.session_id[:8] if ctx else "-", *args)


def widget_value(key: str) -> Callable[[], Any]:
    return lambda: st.session_state.get(key, MISSING)


def set_widget(key: str) -> Callable[[Any], None]:
    def push(value: Any) -> None:
        st.session_state[key] = value

    return push


@dataclass
class Field:
    """One saved value and the widget that shows it."""

    id: str  # unique on the page; the widget's key for ordinary widgets
    widget: str  # the widget's key in st.session_state
    group: str  # what "Saved" and a failed save are shown against (a statement, an action)
    stored: Callable[[], Any]  # the value saved now, as the page holds it
    save: Callable[[Any], Any]  # saves a value; returns the value read back from the database
    read: Callable[[], Any] | None = None  # the widget's value, or MISSING (default: st.session_state[widget])
    push: Callable[[Any], None] | None = None  # makes the widget show a value (default: set st.session_state)
    normal: Callable[[Any], Any] = field(default=lambda value: value)  # e.g. text is saved without edge spaces

    def value(self) -> Any:
        value = (self.read or widget_value(self.widget))()
        return value if value is MISSING else self.normal(value)

    def show(self, value: Any) -> None:
        (self.push or set_widget(self.widget))(value)


class Autosave:
    """The saving of one page's widgets, for one session."""

    def __init__(self, scope: str) -> None:
        pages = st.session_state.setdefault("_autosave", {})
        self.memory = pages.setdefault(scope, {"bases": {}, "saved": {}, "errors": {}, "reset": set(), "notice": None})
        self.fresh: list[Field] = []

    # ---- what the page shows ---------------------------------------------------------------------------------
    def saved_at(self, group: str) -> datetime | None:
        """When a value of ``group`` was last saved and read back, unless a later save failed."""
        return None if group in self.memory["errors"] else self.memory["saved"].get(group)

    def changed_elsewhere(self, group: str) -> bool:
        """True once, after an answer this session saved was replaced by a later save made elsewhere."""
        elsewhere = self.memory.setdefault("elsewhere", set())
        if group in elsewhere:
            elsewhere.discard(group)
            return True
        return False

    def error(self, group: str) -> str | None:
        return self.memory["errors"].get(group)

    def errors(self) -> dict[str, str]:
        return dict(self.memory["errors"])

    def notice(self) -> str | None:
        notice, self.memory["notice"] = self.memory["notice"], None
        return notice

    # ---- the passes ------------------------------------------------------------------------------------------
    def before(self, fields: Iterable[Field]) -> None:
        """Before the page draws anything: save what was changed here, and take in what was saved elsewhere."""
        bases = self.memory["bases"]
        reset = self.memory["reset"]
        # Which widgets the browser holds, read once: each read of st.session_state takes a lock, and a page has
        # hundreds of fields, most of whose widgets are not on the screen.
        present = set(st.session_state.keys())
        fields = list(fields)
        if TRACE.isEnabledFor(logging.DEBUG):
            _trace(
                "run %s",
                {
                    f.id: st.session_state[f.widget]
                    for f in fields
                    if f.read is None and f.widget in present and f.id.endswith(".choice")
                },
            )
        for item in fields:
            base = bases.get(item.id, MISSING)
            if base is MISSING:
                continue  # not drawn yet in this session: see drawing() and after()
            if item.read is None and item.widget not in present and item.id not in reset:
                continue  # not on the page: nothing to compare (its base is brought up to date when it is drawn)
            if item.id in reset:
                reset.discard(item.id)
                bases[item.id] = item.stored()
                item.show(bases[item.id])
                continue
            value = item.value()
            if value is MISSING:
                continue
            stored = item.stored()
            if value != base or stored != base:
                _trace("before %s base=%r value=%r stored=%r", item.id, base, value, stored)
            if value != base:
                if value == stored:
                    bases[item.id] = stored
                else:
                    self._save(item, value, push=True)
            elif stored != base:
                bases[item.id] = stored
                if self.memory["saved"].pop(item.group, None) is not None:
                    # This session saved it, and a later save elsewhere replaced it: the later wins, and this
                    # session is told (see changed_elsewhere).
                    self.memory.setdefault("elsewhere", set()).add(item.group)
                item.show(stored)

    def waiting(self, fields: Iterable[Field]) -> bool:
        """True if a widget among ``fields`` differs from its base: a change not yet saved, which ``before``
        would save. Read only: a page that runs part of itself (a fragment) asks this of the fields it does not
        run, and runs the whole page if so."""
        bases = self.memory["bases"]
        present = set(st.session_state.keys())
        for item in fields:
            base = bases.get(item.id, MISSING)
            if base is MISSING:
                continue
            if item.id in self.memory["reset"]:
                return True
            if item.read is None and item.widget not in present:
                continue
            value = item.value()
            if value is not MISSING and value != base and value != item.stored():
                return True
        return False

    def drawing(self, item: Field) -> None:
        """Call just before drawing the widget, with its value or index taken from the saved value."""
        if item.widget not in st.session_state:
            self.fresh.append(item)
            _trace("fresh %s stored=%r", item.id, item.stored())
        self.memory["bases"][item.id] = item.stored()

    def after(self) -> None:
        """After the page is drawn: a widget drawn for the first time may hold what the browser showed before a
        reconnect. One difference is the user's answer and is saved; several mean the page was out of date."""
        changed = [(item, value) for item in self.fresh if (value := item.value()) is not MISSING]
        changed = [(item, value) for item, value in changed if value != item.stored()]
        self.fresh = []
        _trace("after changed=%r", [(item.id, value) for item, value in changed])
        if not changed:
            return
        if len(changed) == 1:
            item, value = changed[0]
            self._save(item, value, push=False)
        else:
            self.memory["reset"].update(item.id for item, _ in changed)
            self.memory["notice"] = (
                "The connection to the server was lost, and this page no longer matched the saved answers, so it "
                "now shows them as saved. Check the answers you gave just before, and give any that are missing again."
            )
        st.rerun()

    def _save(self, item: Field, value: Any, *, push: bool) -> None:
        _trace("save %s value=%r", item.id, value)
        try:
            back = item.save(value)
        except AssessmentError as error:  # StorageError and NotFound say what went wrong and what to do
            self.memory["errors"][item.group] = str(error)
            _trace("failed %s %s", item.id, error)
            return
        _trace("saved %s back=%r", item.id, back)
        back = item.normal(back)
        self.memory["bases"][item.id] = back
        self.memory["errors"].pop(item.group, None)
        if back == value:
            self.memory["saved"][item.group] = datetime.now().astimezone()
        else:
            self.memory["saved"].pop(item.group, None)
        if push and back != value:
            item.show(back)

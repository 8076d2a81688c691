"""What every page shares: the store, the bank, and the assessment this session is working on.

The assessment's id lives in the URL (``?a=…``), so a refresh, a closed tab or a server restart
brings the user back to it; the assessment itself is read from the store once per session.

The acting user: in local mode the implicit local user; in shared mode (``IOM_DATABASE_URL`` set) the person
signed in with ``st.login``, and nobody else: every page waits behind ``sign_in``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from app_pages.components import plain
from assessment import services
from assessment.access import LOCAL_USER, User, normalise_email
from assessment.database import database_url, is_shared_mode
from assessment.model import Assessment, AssessmentError
from assessment.plan import ActionPlan, build_plan
from assessment.scoring import Scorecard, score
from assessment.services import bring_up_to_date, open_saved
from assessment.store import StorageError, Store
from benchmarks.loader import get_action_rules, get_library
from questions.loader import get_bank
from questions.models import QuestionBank

PARAM = "a"
T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return Store(path)  # not kept if it raises, so the next run tries again once the fault is put right


def store() -> Store:
    """The store; if its database cannot be used, the page says which path and what to do, and stops."""
    try:
        return _store(database_url())
    except StorageError as error:
        st.error(f"The app cannot start. {error}", icon=":material/database:")
        st.stop()
        raise  # st.stop() ends the run; this line is never reached


def storage_fault(error: StorageError) -> None:
    """The database went out of reach part way through a run: a plain message, never a traceback."""
    st.error(
        f'{error} Anything changed on this page since its last "Saved at" note may not have been saved.',
        icon=":material/database:",
    )


def actor() -> User:
    """The person acting in this session (see ``sign_in``)."""
    return st.session_state.get("actor") or LOCAL_USER


def sign_in() -> User:
    """Local mode: the local user. Shared mode: the signed-in person with a role, or a page saying what to do.

    In shared mode this is the only way past the top of ``streamlit_app.py``: a visitor who is not signed in,
    or is signed in with no role, sees a page that says so, and the script stops there.
    """
    if not is_shared_mode():
        st.session_state["actor"] = LOCAL_USER
        return LOCAL_USER
    st.session_state.pop("actor", None)
    if not _sign_in_configured():
        st.title("IOM partnership self-assessment")
        st.error(
            "Sign-in is not set up for this service, so nobody can use it yet. Whoever runs the service should add "
            "an [auth] section to .streamlit/secrets.toml (see docs/deploy.md)."
        )
        st.stop()
    if not st.user.is_logged_in:
        st.title("IOM partnership self-assessment")
        st.write(
            "This service is shared by IOM partnerships and inspectors. Sign in with your work account to see "
            "the self-assessments of your area."
        )
        if st.button("Sign in", type="primary", icon=":material/login:", key="sign_in"):
            st.login()
        st.stop()
    email = str(st.user.get("email") or st.user.get("preferred_username") or "")
    name = str(st.user.get("name") or "")
    if not email:
        st.error("Your account did not give this service an email address, so it cannot tell who you are.")
        _sign_out_button()
        st.stop()
    try:
        if st.session_state.get("signed_in_as") != email:
            user = services.signed_in(store(), email=email, name=name)
            st.session_state["signed_in_as"] = email
        else:
            user = services.who(store(), email=email, name=name)
    except StorageError as error:
        # The database cannot be used just now. Someone already signed in this session keeps the roles read at
        # their last page, so the page still shows their answers and says plainly that a change was not saved;
        # someone new is told to come back later.
        user = st.session_state.get("known_user")
        if user is None or user.email != normalise_email(email):
            st.title("IOM partnership self-assessment")
            st.error(f"The service cannot be used just now. {error}", icon=":material/database:")
            st.stop()
    st.session_state["known_user"] = user
    with st.sidebar:
        st.caption(f"Signed in as {plain(user.email)}")
        _sign_out_button()
    if not user.has_role:
        st.title("IOM partnership self-assessment")
        admins = services.admins(store())
        ask = (
            f"Ask an admin of this service ({plain(', '.join(admins))}) to add you"
            if admins
            else "Ask whoever runs this service to add you"
        )
        st.warning(
            f"You are signed in as {plain(user.email)}, but you have no role in this service yet, so there is nothing to "
            f"show you. {ask}: give them your email address, your area and your role (coordinator or contributor "
            "for an area, or inspector)."
        )
        st.stop()
    st.session_state["actor"] = user
    return user


def bank() -> QuestionBank:
    return get_bank()


def _sign_in_configured() -> bool:
    try:
        return "auth" in st.secrets
    except StreamlitSecretNotFoundError:  # no secrets.toml at all
        return False


def _sign_out_button() -> None:
    if st.button("Sign out", key="sign_out", icon=":material/logout:"):
        st.session_state.clear()
        st.logout()


def bootstrap() -> None:
    """Run before every page: keep the URL and the session pointing at the same assessment."""
    wanted = st.query_params.get(PARAM)
    held: Assessment | None = st.session_state.get("assessment")
    if wanted and (held is None or held.id != wanted):
        try:
            st.session_state["assessment"] = open_saved(store(), bank(), wanted, actor=actor())
        except StorageError as error:  # the link is right; the database cannot be read just now
            st.error(f"This self-assessment cannot be opened just now. {error}", icon=":material/database:")
            st.stop()
        except AssessmentError as error:
            st.session_state.pop("assessment", None)
            del st.query_params[PARAM]
            st.session_state["notice"] = str(error)
    elif held is not None and not wanted:
        st.query_params[PARAM] = held.id
    if held is not None and held.id == st.query_params.get(PARAM):
        _follow_other_tabs(held)


def _follow_other_tabs(held: Assessment) -> None:
    """If the assessment was saved elsewhere (another tab, an import), read it again before showing it.

    If the database cannot be read just now, the page goes on with what it holds: a change made on it is then
    tried, and the page says plainly that it was not saved."""
    try:
        stored = store().updated_at(held.id)
    except StorageError:
        return
    if stored == held.updated_at:
        return
    if stored is None:
        close_assessment()
        st.session_state["notice"] = "That self-assessment is no longer saved. Start or choose another."
        return
    st.session_state["assessment"] = store().get(held.id)
    # The widgets are brought in line by app_pages/autosave: a widget this tab has not changed shows the new
    # saved value, and one it has changed is saved.


@st.fragment(run_every=timedelta(seconds=5))
def _watch(assessment_id: str, seen: datetime) -> None:
    if store().updated_at(assessment_id) != seen:
        st.rerun(scope="app")


def follow_saves() -> None:
    """For pages that only show results: when the open assessment is saved elsewhere, the page shows it within
    seconds, without the user doing anything (a cheap check of the time it was last saved).

    Never on a page with answer widgets: a click that arrives while a timed fragment reruns is applied in the
    fragment's run, which does not run the page, so the answer would sit unsaved until the next click (seen
    with Streamlit 1.67 under load; tests/bench_saves.py would count it as lost).
    """
    assessment = current()
    if assessment is not None:
        _watch(assessment.id, assessment.updated_at)


def from_saved(build: Callable[[Assessment], T]) -> Callable[[], T]:
    """A download's content, built when the button is clicked from the assessment as saved at that moment,
    so it holds every answer saved so far, in this tab or another."""
    saved, assessment_id = store(), require_assessment().id
    return lambda: build(saved.get(assessment_id))


def current() -> Assessment | None:
    return st.session_state.get("assessment")


def open_assessment(assessment: Assessment) -> None:
    # An assessment made on an older question bank is brought up to this one first, with its list of changes.
    assessment = bring_up_to_date(store(), bank(), assessment)
    st.session_state["assessment"] = assessment
    st.query_params[PARAM] = assessment.id


def close_assessment() -> None:
    st.session_state.pop("assessment", None)
    st.query_params.pop(PARAM, None)


def may(right: str) -> bool:
    """Whether the acting user may use ``right`` on the open assessment (pages show edit widgets only if so)."""
    assessment = current()
    if assessment is None:
        return False
    known: dict[tuple[str, str, str], bool] = st.session_state.setdefault("rights", {})
    key = (actor().email, assessment.id, right)
    try:
        known[key] = services.may(store(), actor(), right, assessment)  # type: ignore[arg-type]
    except StorageError:  # the database cannot be read just now: what this session was last told stands
        return known.get(key, False)
    return known[key]


def require_assessment() -> Assessment:
    """The open assessment, or a pointer to the Start page and a stop."""
    assessment = current()
    if assessment is None:
        if notice := st.session_state.pop("notice", None):
            st.warning(notice)  # for example: "You do not have access to this assessment."
        st.info("Start a new self-assessment, or resume one, on the Start page first.")
        st.page_link("app_pages/start.py", label="Go to the Start page", icon=":material/arrow_forward:")
        st.stop()
    return assessment


def per_revision(name: str, build: Callable[[], T]) -> T:
    """``build()`` once per saved revision of the open assessment, kept for this session.

    Every change is saved through the services, which move ``updated_at`` on, so a result keyed on the
    assessment's id and ``updated_at`` is never stale and reruns that change nothing cost nothing.
    """
    assessment = current()
    revision = (assessment.id, assessment.updated_at) if assessment else None
    cache = st.session_state.setdefault("_per_revision", {})
    held = cache.get(name)
    if held is None or held[0] != revision:
        held = (revision, build())
        cache[name] = held
    return held[1]


def scorecard() -> Scorecard:
    """The open assessment's scorecard."""
    return per_revision("scorecard", lambda: score(bank(), require_assessment()))


def plan() -> ActionPlan:
    """The open assessment's action plan."""
    return per_revision(
        "plan", lambda: build_plan(bank(), get_library(), require_assessment(), scorecard(), rules=get_action_rules())
    )


def history() -> list:
    """The open assessment's audit trail, read once per saved revision."""
    return per_revision("history", lambda: services.history(store(), require_assessment(), actor=actor()))


def link_params() -> dict[str, str]:
    """Query parameters that keep the assessment when following a page link."""
    assessment = current()
    return {PARAM: assessment.id} if assessment else {}


def bank_update_notice() -> None:
    """If the open assessment was brought up to a newer question bank, say what changed until the board hides it."""
    assessment = current()
    if assessment is None:
        return
    try:
        update = store().bank_update(assessment.id)
    except StorageError:  # a note for the board, not worth stopping a page for when the database is out of reach
        return
    if update is None:
        return
    fresh = len(update.fresh_look)
    look = f" {fresh} answer{'s need' if fresh != 1 else ' needs'} a fresh look." if fresh else ""
    st.info(
        f"This self-assessment was started on question bank {update.from_version} and now uses "
        f"{update.to_version}.{look} The list below says what changed.",
        icon=":material/update:",
    )
    with st.expander("What changed in the question bank", key="bank_update.open"):
        # Written by the app from the bank's data, but shown as plain text all the same.
        st.text("\n\n".join(update.changes))
        if st.button("I have read this: hide the list", key="bank_update.dismiss"):
            store().dismiss_bank_update(assessment.id)
            st.rerun()

"""Small scripts the survey runs in the browser, for keyboard and screen-reader users (WCAG 2.4.3, 4.1.3).

- ``request_focus`` / ``focus_heading``: after "Next" (a section, a partner), the keyboard focus and the scroll
  go to the new section's heading, instead of staying on the button (or falling to the page's body when the
  button has gone) thousands of pixels below it.
- ``saved_note``: the "Saved" note under an answer, in GOV.UK green (5.9:1 on white, not Streamlit's 3.1:1),
  and said by a screen reader through one polite live region that stays on the page.
- ``keep_focus``: when a rerun draws a control afresh, the focus goes back to it instead of to the page's body.
- ``keep_typed_notes``: a note typed but not yet sent (Streamlit sends a text box's value when it loses focus)
  is sent before a page link is followed, and the browser asks before a tab with one is closed or reloaded.

Streamlit runs a ``st.html`` script each time its text changes, so each script carries what makes it new (a
counter, the words to say). The scripts take no space on the page (house_style.css hides their blocks).
"""

from __future__ import annotations

import html
import json
import uuid

import streamlit as st

FOCUS = "_focus_heading"


def _script(body: str) -> None:
    st.html(f'<script data-iom="script">{body}</script>', unsafe_allow_javascript=True)


def request_focus(heading: str) -> None:
    """From a button's on_click: on the run that follows, move the focus to the heading with this text."""
    count = st.session_state.get(FOCUS, (None, 0))[1] + 1
    st.session_state[FOCUS] = (heading, count)


def focus_heading() -> None:
    """If a focus was requested, draw the script that moves it (once: the request is used up)."""
    request = st.session_state.pop(FOCUS, None)
    if request is None:
        return
    heading, count = request
    _script(
        f"/* {count} */ (() => {{ const want = {json.dumps(heading)}; let tries = 0;"
        " const go = () => {"
        "  const app = document.querySelector('[data-testid=stApp]');"
        "  const h = [...document.querySelectorAll('h1, h2, h3')].find(e => e.textContent.trim() === want);"
        "  if (!h || (app && app.getAttribute('data-test-script-state') === 'running')) {"
        "    if (tries++ < 600) setTimeout(go, 50); return; }"
        "  h.setAttribute('tabindex', '-1'); h.focus({preventScroll: true});"
        "  h.scrollIntoView({block: 'start'});"
        "  if (document.activeElement !== h && tries++ < 600) setTimeout(go, 50);"
        " }; setTimeout(go, 0); })();"
    )


def saved_note(text: str) -> None:
    """The visible "Saved" note, also said by a screen reader (polite: after what it is saying now)."""
    _ANNOUNCER = (
        "(() => { let r = document.getElementById('iom-live');"
        " if (!r) { r = document.createElement('div'); r.id = 'iom-live'; r.setAttribute('role', 'status');"
        " r.setAttribute('aria-live', 'polite'); r.className = 'iom-visually-hidden'; document.body.appendChild(r); }"
        f" const words = {json.dumps(text)}; setTimeout(() => {{ r.textContent = words; }}, 150); }})();"
    )
    st.html(
        f'<p class="iom-saved"><span aria-hidden="true">&#10003;</span> {html.escape(text)}</p>'
        f'<script data-iom="script">{_ANNOUNCER}</script>',
        unsafe_allow_javascript=True,
    )


def live_region() -> None:
    """The page's polite live region, made early so that a screen reader is watching it before the first save."""
    _script(
        "(() => { if (document.getElementById('iom-live')) return;"
        " const r = document.createElement('div'); r.id = 'iom-live'; r.setAttribute('role', 'status');"
        " r.setAttribute('aria-live', 'polite'); r.className = 'iom-visually-hidden'; document.body.appendChild(r);"
        " })();"
    )


def keep_focus() -> None:
    """When a rerun draws a widget afresh (an action's heading changes as its record is saved, a card grows a
    warning), the browser drops the focus to the page's body: put it back on the same control (WCAG 2.4.3)."""
    _script(
        "(() => { if (window.__iomFocus) return; window.__iomFocus = true; let last = null;"
        " const text = e => (e.textContent || '').trim().slice(0, 80);"
        " const label = e => e.getAttribute('aria-label') || '';"
        " document.addEventListener('focusin', e => { const t = e.target;"
        "   const box = t.closest && t.closest('[class*=\"st-key-\"]');"
        "   const key = box ? [...box.classList].find(c => c.startsWith('st-key-')) : null;"
        "   last = {element: t, key, tag: t.tagName, label: label(t), text: text(t)}; }, true);"
        " const restore = () => { const a = document.activeElement;"
        "   if (!last || last.element.isConnected || (a && a !== document.body)) return;"
        "   const scope = last.key ? document.querySelector('.' + CSS.escape(last.key)) : null;"
        "   if (!scope) return;"
        "   const found = [...scope.querySelectorAll(last.tag)];"
        "   const same = found.find(e => label(e) === last.label && (last.label || text(e) === last.text))"
        "     || (found.length === 1 ? found[0] : null);"
        "   if (same) same.focus({preventScroll: true}); };"
        " setInterval(restore, 200); })();"
    )


def keep_typed_notes() -> None:
    """A note typed but not yet sent is never silently lost: see the module's docstring."""
    _script(
        "(() => { if (window.__iomNotes) return; window.__iomNotes = true;"
        " const typing = e => e && e.matches && e.matches('textarea, input[type=text]') && e.dataset.iomDirty === '1';"
        " const busy = () => { const app = document.querySelector('[data-testid=stApp]');"
        "   return app && app.getAttribute('data-test-script-state') === 'running'; };"
        " let sentAt = 0;"
        " document.addEventListener('input', e => { if (e.target.matches('textarea, input[type=text]'))"
        "   e.target.dataset.iomDirty = '1'; }, true);"
        " document.addEventListener('focusout', e => { if (typing(e.target)) { delete e.target.dataset.iomDirty;"
        "   sentAt = Date.now(); } }, true);"
        " document.addEventListener('keydown', e => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)"
        "   && typing(e.target)) { delete e.target.dataset.iomDirty; sentAt = Date.now(); } }, true);"
        # Leaving the tab: the note is sent, and the browser asks first.
        " window.addEventListener('beforeunload', e => { const active = document.activeElement;"
        "   if (typing(active)) { active.blur(); e.preventDefault(); e.returnValue = ''; } });"
        # A page link followed while a note is being sent: wait for it to be saved, then follow the link.
        " document.addEventListener('click', e => {"
        "   const link = e.target.closest && e.target.closest('a[href]');"
        "   if (!link || link.dataset.iomGo === '1') return;"
        "   const active = document.activeElement;"
        "   if (!typing(active) && Date.now() - sentAt > 3000) return;"
        "   e.preventDefault(); e.stopImmediatePropagation();"
        "   if (typing(active)) active.blur();"
        "   let tries = 0; const go = () => { if ((busy() || Date.now() - sentAt < 400) && tries++ < 100)"
        "     return setTimeout(go, 100);"
        "     sentAt = 0; link.dataset.iomGo = '1'; link.click(); delete link.dataset.iomGo; };"
        "   setTimeout(go, 400); }, true);"
        " })();"
    )


RESCUE_KEY = "survey-whole-page"


def card_ran() -> None:
    """At the end of a card's own run: tells ``run_whole_page_if_a_card_change_is_dropped`` that the run came. The
    script state alone does not say so: a session that does not know the card still starts a run, which runs
    nothing (Streamlit skips a fragment it cannot find)."""
    _script(f"/* {uuid.uuid4().hex} */ window.__iomRescue && window.__iomRescue.ran();")


def run_whole_page_if_a_card_change_is_dropped() -> None:
    """A statement's card runs alone after a change in it (a fragment, app_pages/survey.py). A session that does
    not know the card's fragment, such as a new one after the server restarted, drops that request unseen, widget
    values and all. So when a change (a level chosen with the mouse or the keyboard, a note sent) is not followed
    within a second by a run of the card (``card_ran``) or of the page (drawn here), this clicks a hidden button
    that runs the whole page, which sends every widget's value: autosave then saves the change.

    Only a change that Streamlit sends counts: a level chosen (not a click on the level already chosen, or in a
    group that cannot be changed), and a text box's value when it is sent (on leaving the box, on Enter in a line or
    Ctrl+Enter in a note) and differs from the value last sent. A change made while a run is under way waits for
    that run: the second is counted from its end. A run that starts later still (a very busy server) only costs one
    more run of the page. ``window.__iomRescue`` counts the clicks, for the tests."""
    with st.container(key=RESCUE_KEY):
        st.button("Save my last change", key="survey.whole_page")
    _script(
        "(() => { if (window.__iomRescue) return; let changedAt = 0, runs = 0, idleAt = 0;"
        " const rescue = window.__iomRescue = {clicks: 0, waiting: false, ran: () => { runs += 1; }};"
        " const state = () => { const app = document.querySelector('[data-testid=stApp]');"
        "   return app ? app.getAttribute('data-test-script-state') : null; };"
        # When the last run ended: the app's script state turning from running.
        " let watched = null; const watchApp = () => { const app = document.querySelector('[data-testid=stApp]');"
        "   if (!app || app === watched) return; watched = app;"
        "   new MutationObserver(() => { if (state() !== 'running') idleAt = Date.now(); })"
        "     .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']}); };"
        " watchApp();"
        " const changed = (at = Date.now(), before = runs) => { watchApp(); changedAt = at; rescue.waiting = true;"
        "   const check = () => { if (changedAt !== at) return;"
        "     if (runs > before) { rescue.waiting = false; return; }"
        "     const busy = ['running', 'rerunRequested'].includes(state());"
        "     if ((busy && Date.now() - at < 60000) || Date.now() - Math.max(at, idleAt) < 1000)"
        "       return setTimeout(check, 100);"
        "     rescue.waiting = false;"
        f"     const b = document.querySelector('.st-key-{RESCUE_KEY} button'); if (!b) return;"
        "     rescue.clicks += 1; b.click(); };"
        "   setTimeout(check, 100); };"
        # A level chosen with the mouse or the keyboard: the group's checked option differs after a press in it
        # (the radio buttons fire no change event for a click); a press on the level already chosen changes nothing.
        " const picked = g => [...g.querySelectorAll('input[type=radio]')].findIndex(i => i.checked);"
        " const group = e => e.target.closest && e.target.closest('[role=radiogroup]');"
        " const pressed = new WeakMap();"
        " const press = e => { const g = group(e); if (g) pressed.set(g, {was: picked(g), at: Date.now(), before: runs}); };"
        " const done = e => { const g = group(e), p = g && pressed.get(g); if (!p || Date.now() - p.at > 3000) return;"
        "   setTimeout(() => { if (pressed.get(g) !== p || picked(g) === p.was) return;"
        "     pressed.delete(g); changed(p.at, p.before); }, 0); };"
        " document.addEventListener('pointerdown', press, true); document.addEventListener('keydown', press, true);"
        " document.addEventListener('click', done, true); document.addEventListener('keyup', done, true);"
        # A note or a reason sent: Streamlit sends a text box's value when it is left, or on Enter (a line) or
        # Ctrl+Enter (a note), if it differs from the value it sent last.
        " const sent = new WeakMap();"
        " const box = t => t.matches && t.matches('[data-testid=stTextArea] textarea, [data-testid=stTextInput] input');"
        " const send = t => { if (sent.has(t) && sent.get(t) !== t.value) changed(); sent.set(t, t.value); };"
        " document.addEventListener('focusin', e => { if (box(e.target)) sent.set(e.target, e.target.value); }, true);"
        " document.addEventListener('focusout', e => { if (box(e.target)) send(e.target); }, true);"
        " document.addEventListener('keydown', e => { const t = e.target; if (e.key !== 'Enter' || !box(t)) return;"
        "   if (t.tagName === 'INPUT' || e.ctrlKey || e.metaKey) send(t); }, true);"
        " })();"
    )
    card_ran()  # the page's run came, too

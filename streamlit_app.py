"""Entry point of the IOM self-assessment app: page set-up, navigation and the session's assessment."""

from pathlib import Path

import streamlit as st
from streamlit import config

from app_pages import state
from assessment.store import StorageError

SERVICE = "IOM self-assessment"
# A local file: a ':material/...' page icon makes every browser fetch the favicon from fonts.gstatic.com, which
# locked-down networks block. Icons in the pages come from the font Streamlit serves itself.
FAVICON = Path(__file__).parent / "app_pages" / "static" / "favicon.png"
# Before st.navigation, or the browser is sent the current page's material icon as a favicon for a moment.
st.set_page_config(page_title=SERVICE, page_icon=str(FAVICON), layout="wide")
# One run at a time per tab, however the server was started (.streamlit/config.toml says why): Streamlit reads
# this option on every click, so from the first page load on a click waits for the run that is saving.
if config.get_option("runner.fastReruns"):
    config.set_option("runner.fastReruns", False)

pages = {
    "Self-assessment": [
        st.Page("app_pages/start.py", title="Start", icon=":material/home:", default=True),
        st.Page("app_pages/survey.py", title="Answer the questions", icon=":material/edit_note:", url_path="survey"),
        st.Page(
            "app_pages/agreement.py", title="Agree the position", icon=":material/handshake:", url_path="agreement"
        ),
        st.Page("app_pages/results.py", title="Results", icon=":material/bar_chart:", url_path="results"),
        st.Page("app_pages/action_plan.py", title="Action plan", icon=":material/checklist:", url_path="action-plan"),
        st.Page(
            "app_pages/board_summary.py",
            title="Board summary",
            icon=":material/print:",
            url_path="board-summary",
        ),
        st.Page("app_pages/history.py", title="History", icon=":material/history:", url_path="history"),
    ],
    "Inspectors": [
        st.Page(
            "app_pages/compare.py",
            title="Compare areas and years",
            icon=":material/compare_arrows:",
            url_path="compare",
        ),
    ],
    "About": [
        st.Page(
            "app_pages/method.py", title="How scores are calculated", icon=":material/calculate:", url_path="method"
        ),
        st.Page(
            "app_pages/accessibility.py",
            title="Accessibility statement",
            icon=":material/accessibility_new:",
            url_path="accessibility",
        ),
    ],
}
user = state.sign_in()  # shared mode: nobody gets past this line without signing in and having a role
if user.is_admin and not user.local:
    pages["Service"] = [
        st.Page("app_pages/admin.py", title="Areas and people", icon=":material/group:", url_path="admin"),
    ]
page = st.navigation(pages)
# Each page its own title in the browser tab (WCAG 2.4.2), as GOV.UK services name theirs: "Page - Service".
st.set_page_config(page_title=f"{page.title} - {SERVICE}")
# Contrast and focus fixes for Streamlit's own widgets (see ACCESSIBILITY.md); a style-only block takes no space.
st.html(Path(__file__).parent / "app_pages" / "house_style.css")
state.bootstrap()
try:
    page.run()
except StorageError as error:  # the database went out of reach part way through: a plain message, never a traceback
    state.storage_fault(error)

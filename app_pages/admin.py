"""Areas and people (admins only): the areas of the shared service and who holds which role in them."""

from __future__ import annotations

import streamlit as st

from app_pages import state
from app_pages.components import plain, table
from assessment import services
from assessment.access import ROLE_LABELS, AccessDenied
from assessment.model import AssessmentError

store = state.store()
actor = state.actor()

st.title("Areas and people", anchor=False)
try:
    areas = services.list_areas(store, actor=actor)
    members = services.list_members(store, actor=actor)
except AccessDenied as error:
    st.error(str(error))
    st.stop()
names = {area.code: area.name for area in areas}
by_code = {area.code: area for area in areas}

st.write(
    "People sign in with their work account; this service stores no passwords. Give each person the role they "
    "need: a **coordinator** starts and edits an area's assessments and manages its plan, a **contributor** "
    "answers its questions, an **inspector** reads every area (or one region's) and changes nothing, and an "
    "**admin** manages this page."
)
if notice := st.session_state.pop("admin.notice", None):
    st.success(plain(notice))

# ---- people ------------------------------------------------------------------------------------------------------
st.header("People and their roles", divider="gray", anchor=False)
if members:
    table(
        [{"email": m.email, "role": m.describe(by_code)} for m in members],
        {"email": "Email", "role": "Role"},
        caption="Everyone who holds a role",
    )
else:
    st.write("Nobody has a role yet.")

waiting = sorted({email for email, _, _ in services.directory(store).people()} - {m.email for m in members})
if waiting:
    st.info(
        "Signed in but with no role yet, so they see nothing: " + plain(", ".join(waiting)) + ".",
        icon=":material/person_search:",
    )

with st.form("admin.add_member", clear_on_submit=True):
    st.subheader("Give someone a role", anchor=False)
    email = st.text_input("Email address they sign in with", max_chars=254)
    role = st.selectbox("Role", options=list(ROLE_LABELS), format_func=ROLE_LABELS.get)
    area_code = st.selectbox(
        "Area (for a coordinator or contributor)",
        options=[None, *names],
        format_func=lambda code: "None" if code is None else names[code],
    )
    region = st.text_input("Region (for an inspector of one region only; leave empty for every area)", max_chars=120)
    if st.form_submit_button("Give this role", type="primary"):
        try:
            added = services.add_member(
                store, actor=actor, email=email, role=role, area=area_code, region=region.strip() or None
            )
            st.session_state["admin.notice"] = f"{added.email} is now {added.describe(by_code)}."
            st.rerun()
        except AssessmentError as error:
            st.error(str(error))

if members:
    with st.form("admin.remove_member"):
        st.subheader("Take a role away", anchor=False)
        index = st.selectbox(
            "Role to take away",
            options=range(len(members)),
            format_func=lambda i: f"{members[i].email}: {members[i].describe(by_code)}",
        )
        if st.form_submit_button("Take this role away"):
            chosen = members[index]
            try:
                services.remove_member(store, actor=actor, email=chosen.email, role=chosen.role, area=chosen.area_code)
                st.session_state["admin.notice"] = f"{chosen.email} is no longer {chosen.describe(by_code)}."
                st.rerun()
            except AssessmentError as error:
                st.error(str(error))

# ---- areas -------------------------------------------------------------------------------------------------------
st.header("Areas", divider="gray", anchor=False)
st.write(
    "Each area has a code that never changes: rename an area and its assessments and people stay with it. "
    "Give an area a region if an inspector looks after that region only."
)
if areas:
    table(
        [{"name": a.name, "code": a.code, "region": a.region} for a in areas],
        {"name": "Area", "code": "Code", "region": "Region"},
        caption="The areas of this service",
    )
left, right = st.columns(2, gap="large")
with left, st.form("admin.add_area", clear_on_submit=True):
    st.subheader("Add an area", anchor=False)
    new_name = st.text_input("Name of the area", max_chars=120)
    new_region = st.text_input("Region (optional)", max_chars=120)
    if st.form_submit_button("Add the area"):
        try:
            area = services.add_area(store, actor=actor, name=new_name, region=new_region)
            st.session_state["admin.notice"] = f"Added {area.name} (code {area.code})."
            st.rerun()
        except AssessmentError as error:
            st.error(str(error))
if areas:
    with right, st.form("admin.change_area"):
        st.subheader("Rename an area or change its region", anchor=False)
        code = st.selectbox("Area", options=list(names), format_func=names.get)
        renamed = st.text_input("New name (leave empty to keep it)", max_chars=120)
        region_now = st.text_input("Region (leave empty to keep it; a single hyphen clears it)", max_chars=120)
        if st.form_submit_button("Save the change"):
            try:
                area = services.change_area(
                    store,
                    actor=actor,
                    code=code,
                    name=renamed or None,
                    region=("" if region_now.strip() == "-" else region_now) or None,
                )
                st.session_state["admin.notice"] = (
                    f"Saved: {area.name} (code {area.code}), region {area.region or 'none'}."
                )
                st.rerun()
            except AssessmentError as error:
                st.error(str(error))

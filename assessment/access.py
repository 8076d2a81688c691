"""Who may do what: users, their roles in areas, and the rules of access, as pure functions.

Roles (issue 9): an **admin** manages areas and memberships; a **coordinator** of an area starts and edits its
assessments and manages its plan; a **contributor** to an area answers its questions; an **inspector** reads
every area, or the areas of a named region, and compares them, and changes nothing. In local mode there is
one implicit local user with every right, so `make run` needs no set-up. The rules live here and are applied
in one place, ``services.authorise``; pages only reflect them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from assessment.model import AssessmentError

Role = Literal["admin", "coordinator", "contributor", "inspector"]
ROLES: tuple[Role, ...] = ("admin", "coordinator", "contributor", "inspector")
ROLE_LABELS: dict[str, str] = {
    "admin": "Admin (areas and memberships)",
    "coordinator": "Coordinator of an area",
    "contributor": "Contributor to an area",
    "inspector": "Inspector",
}
# What each right lets a user do; ``services.authorise`` is asked for one of these.
Right = Literal["read", "answer", "manage", "compare", "administer", "moderate"]

NO_ACCESS = "You do not have access to this assessment."
SIGN_IN_FIRST = "Sign in to use this service."


class AccessDenied(AssessmentError):
    """The acting user may not do this. The message reveals nothing about what they may not see."""

    def __init__(self, message: str = NO_ACCESS) -> None:
        super().__init__(message)


def normalise_email(email: str) -> str:
    """Emails are compared without case or surrounding spaces, as identity providers treat them."""
    return email.strip().casefold()


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_email(email: str) -> str:
    email = normalise_email(email)
    if not EMAIL.match(email):
        raise AssessmentError(f"'{email}' is not an email address. Give the address the person signs in with.")
    return email


def area_code(name: str) -> str:
    """A stable code for a new area, made from its first name: lower case, words joined by hyphens."""
    code = re.sub(r"[^a-z0-9]+", "-", " ".join(name.split()).casefold()).strip("-")
    return code[:60] or "area"


@dataclass(frozen=True)
class Area:
    """An IOM area as a record: its code never changes, so a renamed area keeps its history."""

    code: str
    name: str
    region: str = ""


@dataclass(frozen=True)
class Membership:
    """One role of one person: in an area (coordinator, contributor), a region or everywhere (inspector), or admin."""

    email: str
    role: Role
    area_code: str | None = None
    region: str | None = None

    def __post_init__(self) -> None:
        if self.role in ("coordinator", "contributor") and not self.area_code:
            raise AssessmentError(f"A {self.role} belongs to an area: name the area.")
        if self.role in ("admin", "inspector") and self.area_code:
            raise AssessmentError(f"An {self.role} is not tied to one area: leave the area out.")
        if self.role != "inspector" and self.region:
            raise AssessmentError("Only an inspector can be given a region.")

    def describe(self, areas: dict[str, Area] | None = None) -> str:
        if self.role in ("coordinator", "contributor"):
            name = areas[self.area_code].name if areas and self.area_code in areas else self.area_code
            return f"{self.role} of {name}" if self.role == "coordinator" else f"contributor to {name}"
        if self.role == "inspector":
            return f"inspector of the {self.region} region" if self.region else "inspector of every area"
        return "admin"


@dataclass(frozen=True)
class User:
    """The person acting. ``local`` is the implicit user of local mode; ``operator`` is the command line."""

    email: str
    name: str = ""
    memberships: tuple[Membership, ...] = field(default=())
    local: bool = False
    operator: bool = False

    @property
    def label(self) -> str:
        """How the audit trail and the pages name this user."""
        if self.local:
            return "this computer"
        if self.operator:
            return f"command line ({self.name})" if self.name else "command line"
        return self.email

    @property
    def has_role(self) -> bool:
        return self.local or self.operator or bool(self.memberships)

    @property
    def is_admin(self) -> bool:
        return self.local or self.operator or any(m.role == "admin" for m in self.memberships)

    def roles_in(self, area: Area) -> set[str]:
        return {m.role for m in self.memberships if m.area_code == area.code}

    def may(self, right: Right, area: Area | None = None) -> bool:
        """The rule of access: may this user use ``right`` on ``area`` (None: on no area in particular)?"""
        if self.local:
            return True
        if right == "administer":
            return self.is_admin
        if self.operator:
            return True
        if right == "compare":
            return self.has_role  # each user compares only the assessments they may read
        if area is None:
            # Starting a new area's assessment, with no area yet, needs the right in some area: the page asks
            # again with the area once it is named.
            return right == "manage" and any(m.role == "coordinator" for m in self.memberships)
        roles = self.roles_in(area)
        if right == "read":
            return bool(roles) or any(
                m.role == "inspector" and (not m.region or m.region.casefold() == area.region.casefold())
                for m in self.memberships
            )
        if right == "answer":
            return bool(roles & {"coordinator", "contributor"})
        if right == "manage":
            return "coordinator" in roles
        if right == "moderate":
            # The inspector's moderated levels (issue 10): only an inspector who may read the area records them.
            return any(
                m.role == "inspector" and (not m.region or m.region.casefold() == area.region.casefold())
                for m in self.memberships
            )
        return False

    def areas_to_manage(self) -> set[str]:
        """Codes of the areas whose assessments this user may start (everyone's in local mode: see ``may``)."""
        return {m.area_code for m in self.memberships if m.role == "coordinator" and m.area_code}


LOCAL_USER = User(email="", name="This computer", local=True)


def operator(name: str = "") -> User:
    """The command line: whoever holds the database's address already holds every right over it."""
    return User(email="", name=name, operator=True)

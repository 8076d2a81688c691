"""Storage of areas, people and their roles: the records the rules of ``access.py`` are applied to.

Areas are records with a stable code; every assessment is linked to one. Memberships say who holds which
role where; a person is known by the email their identity provider vouches for (no password is stored).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from assessment.access import Area, Membership, User, area_code, check_email, normalise_email
from assessment.audit import Change
from assessment.database import areas, assessments, audit_events, memberships, users
from assessment.model import AssessmentError, now


class Directory:
    """Areas, memberships and the people who have signed in, in the app's database."""

    def __init__(self, engine: Engine, fault: Callable[[BaseException], AssessmentError] | None = None) -> None:
        self.engine = engine
        # The store passes its plain message for a database it cannot use (``Store._fault``).
        self._fault = fault or (lambda error: AssessmentError(f"The database could not be used: {error}"))

    @contextmanager
    def _connection(self, *, write: bool = False) -> Iterator[Connection]:
        """A connection (a transaction when ``write``); a database that cannot be used raises the store's
        ``StorageError`` with its plain message, never the driver's error."""
        try:
            with self.engine.begin() if write else self.engine.connect() as connection:
                yield connection
        except (SQLAlchemyError, OSError) as error:
            raise self._fault(error) from error

    # ---- areas -------------------------------------------------------------------------------------------------
    def areas(self) -> list[Area]:
        with self._connection() as connection:
            rows = connection.execute(select(areas.c.code, areas.c.name, areas.c.region).order_by(areas.c.name))
            return [Area(*row) for row in rows]

    def area(self, code: str) -> Area | None:
        with self._connection() as connection:
            row = connection.execute(
                select(areas.c.code, areas.c.name, areas.c.region).where(areas.c.code == code)
            ).first()
        return Area(*row) if row else None

    def area_named(self, name: str) -> Area | None:
        """The area with this name (case and spacing aside), or None."""
        wanted = " ".join(name.split()).casefold()
        return next((a for a in self.areas() if a.name.casefold() == wanted), None)

    def find_area(self, name_or_code: str) -> Area:
        """An area by its code or its name, or a message naming the areas there are."""
        found = self.area(name_or_code.strip()) or self.area_named(name_or_code)
        if found is None:
            known = ", ".join(f"{a.name} ({a.code})" for a in self.areas()) or "none yet"
            raise AssessmentError(f"There is no area called '{name_or_code}'. Areas: {known}.")
        return found

    def add_area(self, name: str, *, region: str = "") -> Area:
        """A new area record; its code is made from its name and never changes."""
        name = " ".join(name.split())
        if not name:
            raise AssessmentError("Enter the name of the area, for example 'Northshire'.")
        if self.area_named(name):
            raise AssessmentError(f"There is already an area called {name}.")
        taken = {a.code for a in self.areas()}
        base = area_code(name)
        code, number = base, 2
        while code in taken:
            code, number = f"{base}-{number}", number + 1
        with self._connection(write=True) as connection:
            connection.execute(
                insert(areas).values(code=code, name=name, region=" ".join(region.split()), created_at=_stamp())
            )
        return Area(code, name, " ".join(region.split()))

    def ensure_area(self, name: str) -> Area:
        return self.area_named(name) or self.add_area(name)

    def change_area(self, code: str, *, name: str | None = None, region: str | None = None) -> Area:
        """Rename an area or set its region; its code, and so its assessments and memberships, stay."""
        area = self.area(code)
        if area is None:
            raise AssessmentError(f"There is no area with the code '{code}'.")
        values: dict[str, str] = {}
        if name is not None:
            name = " ".join(name.split())
            other = self.area_named(name)
            if not name or (other and other.code != code):
                raise AssessmentError(f"Choose another name: '{name}' is empty or already used.")
            values["name"] = name
        if region is not None:
            values["region"] = " ".join(region.split())
        if values:
            with self._connection(write=True) as connection:
                connection.execute(update(areas).where(areas.c.code == code).values(**values))
        return self.area(code)  # type: ignore[return-value]

    def area_of(self, assessment_id: str, area_name: str) -> Area:
        """The area record an assessment belongs to, linking it by its area's name if it has no link yet."""
        with self._connection() as connection:
            code = connection.execute(select(assessments.c.area_code).where(assessments.c.id == assessment_id)).scalar()
        if code:
            found = self.area(code)
            if found:
                return found
        area = self.ensure_area(area_name)
        with self._connection(write=True) as connection:
            connection.execute(update(assessments).where(assessments.c.id == assessment_id).values(area_code=area.code))
        return area

    def area_codes(self) -> dict[str, str | None]:
        """Every assessment's area code (None where not linked yet)."""
        with self._connection() as connection:
            return dict(connection.execute(select(assessments.c.id, assessments.c.area_code)).all())

    # ---- memberships -------------------------------------------------------------------------------------------
    def memberships(self, email: str | None = None) -> list[Membership]:
        query = select(memberships.c.email, memberships.c.role, memberships.c.area_code, memberships.c.region)
        if email is not None:
            query = query.where(memberships.c.email == normalise_email(email))
        with self._connection() as connection:
            rows = connection.execute(query.order_by(memberships.c.email, memberships.c.role, memberships.c.id)).all()
        return [Membership(email=r[0], role=r[1], area_code=r[2], region=r[3] or None) for r in rows]

    def add_membership(self, membership: Membership, *, by: str = "") -> Membership:
        membership = Membership(
            email=check_email(membership.email),
            role=membership.role,
            area_code=membership.area_code,
            region=" ".join(membership.region.split()) if membership.region else None,
        )
        if membership.area_code and self.area(membership.area_code) is None:
            raise AssessmentError(f"There is no area with the code '{membership.area_code}'.")
        if membership in self.memberships(membership.email):
            return membership
        with self._connection(write=True) as connection:
            connection.execute(
                insert(memberships).values(
                    email=membership.email,
                    role=membership.role,
                    area_code=membership.area_code,
                    region=membership.region,
                    created_at=_stamp(),
                    created_by=by,
                )
            )
        return membership

    def remove_memberships(self, email: str, *, role: str | None = None, area_code: str | None = None) -> int:
        """Remove a person's memberships (all, or those of one role and/or area); returns how many went."""
        query = delete(memberships).where(memberships.c.email == normalise_email(email))
        if role is not None:
            query = query.where(memberships.c.role == role)
        if area_code is not None:
            query = query.where(memberships.c.area_code == area_code)
        with self._connection(write=True) as connection:
            return connection.execute(query).rowcount

    def count_admins(self) -> int:
        with self._connection() as connection:
            return connection.execute(
                select(func.count()).select_from(memberships).where(memberships.c.role == "admin")
            ).scalar_one()

    # ---- the audit trail ---------------------------------------------------------------------------------------
    def record(self, assessment_id: str, changes: Iterable[Change]) -> None:
        rows = [
            {
                "assessment_id": assessment_id,
                "at": change.at.isoformat(),
                "actor": change.by,
                "action": change.action,
                "target": change.target,
                "detail": json.dumps(change.detail, sort_keys=True),
            }
            for change in changes
        ]
        if rows:
            with self._connection(write=True) as connection:
                connection.execute(insert(audit_events), rows)

    def history(self, assessment_id: str) -> list[Change]:
        """Every recorded change to the assessment, oldest first."""
        query = (
            select(
                audit_events.c.at,
                audit_events.c.actor,
                audit_events.c.action,
                audit_events.c.target,
                audit_events.c.detail,
            )
            .where(audit_events.c.assessment_id == assessment_id)
            .order_by(audit_events.c.at, audit_events.c.id)
        )
        with self._connection() as connection:
            return [
                Change(at=datetime.fromisoformat(at), by=by, action=action, target=target, detail=json.loads(detail))
                for at, by, action, target, detail in connection.execute(query)
            ]

    # ---- people ------------------------------------------------------------------------------------------------
    def user(self, email: str, name: str = "") -> User:
        """The signed-in person with their memberships."""
        email = normalise_email(email)
        return User(email=email, name=name, memberships=tuple(self.memberships(email)))

    def record_sign_in(self, email: str, name: str = "") -> None:
        """Remember who has signed in and when, so the Admin page can list them."""
        email, stamp = normalise_email(email), _stamp()
        with self._connection(write=True) as connection:
            changed = connection.execute(
                update(users).where(users.c.email == email).values(name=name, last_seen=stamp)
            ).rowcount
            if not changed:
                connection.execute(insert(users).values(email=email, name=name, first_seen=stamp, last_seen=stamp))

    def people(self) -> list[tuple[str, str, str]]:
        """(email, name, last seen) of everyone who has signed in."""
        with self._connection() as connection:
            return [tuple(r) for r in connection.execute(select(users.c.email, users.c.name, users.c.last_seen))]


def _stamp() -> str:
    return now().isoformat()

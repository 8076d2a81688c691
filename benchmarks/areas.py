"""The area register: police force areas of England and Wales (and any local schemes under them) as records.

A return names its area in free text. ``AreaRegister.match`` finds the record it means, so "Devon & Cornwall"
and "Devon and Cornwall" are one area, and names that are only close to a register name are flagged for the
user to confirm rather than guessed. Data: ``benchmarks/data/area_register.toml`` (its source is cited there).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from questions.loader import read_toml

REGISTER_FILE = Path(__file__).parent / "data" / "area_register.toml"
NOT_IN_REGISTER = "Not in the register"
_IGNORED_WORDS = frozenset({"police", "constabulary", "iom", "the", "force", "area", "pfa"})
_SCHEME_SEPARATORS = re.compile(r"\s*(?::|\s-\s|\s–\s|\()\s*")
NEAR = 0.85


class RegisterError(Exception):
    """The area register file is missing or not valid."""


def normalise(name: str) -> str:
    """A name as the register compares it: case, spacing, '&' for 'and' and words like 'Police' ignored."""
    words = re.sub(r"[^a-z0-9]+", " ", name.casefold().replace("&", " and ")).split()
    return " ".join(word for word in words if word not in _IGNORED_WORDS)


def _slug(name: str) -> str:
    return normalise(name).replace(" ", "-") or "area"


@dataclass(frozen=True)
class Area:
    """One area: a police force area, a local scheme under one, or a name the register does not hold."""

    code: str
    name: str
    region: str
    force_code: str | None = None  # the force area a local scheme sits under
    aliases: tuple[str, ...] = ()
    in_register: bool = True

    @property
    def is_force(self) -> bool:
        return self.in_register and self.force_code is None


@dataclass(frozen=True)
class AreaMatch:
    """What a return's area name was matched to; ``near`` names register areas it is only close to."""

    written: str
    area: Area
    near: tuple[Area, ...] = ()

    @property
    def needs_confirming(self) -> bool:
        return bool(self.near)


@dataclass(frozen=True)
class AreaRegister:
    title: str
    publisher: str
    year: int
    areas: tuple[Area, ...]

    def __post_init__(self) -> None:
        names: dict[str, Area] = {}
        for area in self.areas:
            for name in (area.name, *area.aliases):
                names.setdefault(normalise(name), area)
        object.__setattr__(self, "_names", names)
        object.__setattr__(self, "_codes", {area.code: area for area in self.areas})
        object.__setattr__(self, "_matched", {})

    @property
    def forces(self) -> tuple[Area, ...]:
        return tuple(area for area in self.areas if area.is_force)

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(sorted({area.region for area in self.areas}))

    def get(self, code: str) -> Area | None:
        return self._codes.get(code)  # type: ignore[attr-defined]

    def match(self, written: str) -> AreaMatch:
        """The register's area for a name as written in a return.

        An exact match (after ``normalise``) is taken. "Kent: Medway" (or "Kent - Medway", "Kent (Medway)") is a
        local scheme under Kent. Otherwise the name stays an area of its own, with any register names close to it
        listed in ``near`` for the user to confirm.
        """
        matched: dict[str, AreaMatch] = self._matched  # type: ignore[attr-defined]
        if written not in matched:
            matched[written] = self._match(written)
        return matched[written]

    def _match(self, written: str) -> AreaMatch:
        names: dict[str, Area] = self._names  # type: ignore[attr-defined]
        key = normalise(written)
        if key in names:
            return AreaMatch(written, names[key])
        parts = [part for part in _SCHEME_SEPARATORS.split(written.rstrip(")")) if part.strip()]
        if len(parts) == 2 and normalise(parts[0]) in names:
            force = names[normalise(parts[0])]
            force = self.get(force.force_code) or force if force.force_code else force
            scheme = " ".join(parts[1].split())
            return AreaMatch(
                written,
                Area(f"{force.code}-{_slug(scheme)}", f"{force.name}: {scheme}", force.region, force_code=force.code),
            )
        near_names = difflib.get_close_matches(key, list(names), n=3, cutoff=NEAR)
        near = tuple(dict.fromkeys(names[name] for name in near_names))
        own = Area(f"unregistered-{_slug(written)}", " ".join(written.split()), NOT_IN_REGISTER, in_register=False)
        return AreaMatch(written, own, near)


def _area(item: dict, where: str, *, force_code: str | None = None, region: str | None = None) -> Area:
    try:
        return Area(
            code=str(item["code"]),
            name=str(item["name"]),
            region=region or str(item["region"]),
            force_code=force_code,
            aliases=tuple(str(alias) for alias in item.get("aliases", ())),
        )
    except KeyError as missing:
        raise RegisterError(f"{where}: field {missing.args[0]} is missing") from None


def load_register(path: Path = REGISTER_FILE) -> AreaRegister:
    raw = read_toml(path, RegisterError)
    about = raw.get("register", {})
    forces = [_area(item, f"{path}: forces[{n}]") for n, item in enumerate(raw.get("forces", []))]
    by_code = {force.code: force for force in forces}
    schemes = []
    for n, item in enumerate(raw.get("schemes", [])):
        force = by_code.get(str(item.get("force", "")))
        if force is None:
            raise RegisterError(f"{path}: schemes[{n}].force: give the code of one of the force areas above")
        schemes.append(_area(item, f"{path}: schemes[{n}]", force_code=force.code, region=force.region))
    areas = (*forces, *schemes)
    codes = [area.code for area in areas]
    if len(set(codes)) != len(codes):
        raise RegisterError(f"{path}: each code must appear once")
    return AreaRegister(str(about.get("title", "")), str(about.get("publisher", "")), int(about.get("year", 0)), areas)


@lru_cache(maxsize=1)
def get_register() -> AreaRegister:
    return load_register()

"""Imports run one way: the domain never imports streamlit, file readers never import file writers, and the
comparison rules never reach storage. Every module is found by walking the folders, so a new one is covered."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_PACKAGES = ("assessment", "questions", "benchmarks")
EXCEL = "assessment.files.excel"
WRITERS = {f"{EXCEL}.report", f"{EXCEL}.template", f"{EXCEL}.sheets", f"{EXCEL}.style"}
READERS = {f"{EXCEL}.reader", "assessment.files.json", "assessment.files.imported", "assessment.files.safety"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache
def project_modules() -> dict[str, Path]:
    found = {}
    for package in (*DOMAIN_PACKAGES, "app_pages"):
        for path in sorted((ROOT / package).rglob("*.py")):
            found[module_name(path)] = path
    return found


@functools.cache
def direct_imports(module: str) -> frozenset[str]:
    """Every module a module imports anywhere in it (top level or inside a function)."""
    path = project_modules()[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            # `from assessment.files.excel import layout` imports the module assessment.files.excel.layout
            names.update(f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in project_modules())
    return frozenset(names)


def reachable(module: str) -> set[str]:
    """Every project module imported by this one, directly or through others."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        for name in direct_imports(todo.pop()):
            if name in project_modules() and name not in seen:
                seen.add(name)
                todo.append(name)
    return seen


def domain_modules() -> list[str]:
    return [name for name in project_modules() if name.split(".")[0] in DOMAIN_PACKAGES]


def test_the_walk_finds_every_file_format_module():
    names = set(domain_modules())
    assert READERS | WRITERS | {f"{EXCEL}.layout", "assessment.scoring", "questions.loader"} <= names


@pytest.mark.parametrize("module", domain_modules())
def test_the_domain_never_imports_streamlit(module):
    imported = {name for name in direct_imports(module) if name.split(".")[0] == "streamlit"}
    assert not imported, f"{module} imports {sorted(imported)}: assessment/, questions/ and benchmarks/ never do"


@pytest.mark.parametrize("module", domain_modules())
def test_the_domain_never_imports_the_pages(module):
    assert not {name for name in reachable(module) if name.startswith("app_pages")}


@pytest.mark.parametrize("module", [m for m in domain_modules() if m.split(".")[0] in ("questions", "benchmarks")])
def test_the_bank_and_benchmarks_never_import_the_assessment(module):
    assert not {name for name in reachable(module) if name.startswith("assessment")}


@pytest.mark.parametrize("module", sorted(READERS))
def test_a_file_reader_never_imports_a_file_writer(module):
    writers = reachable(module) & WRITERS
    assert not writers, f"{module} imports the writer(s) {sorted(writers)}"


def test_the_json_reader_never_imports_the_excel_code():
    assert not {name for name in reachable("assessment.files.json") if name.startswith(EXCEL)}


def test_the_excel_writers_do_not_import_each_other():
    assert "assessment.files.excel.report" not in reachable("assessment.files.excel.template")
    assert "assessment.files.excel.template" not in reachable("assessment.files.excel.report")


def test_the_comparison_rules_never_reach_the_use_cases_or_storage():
    reached = reachable("assessment.comparison")
    assert not reached & {"assessment.services", "assessment.store"}
    assert not {name for name in reached if name.startswith("assessment.files")}

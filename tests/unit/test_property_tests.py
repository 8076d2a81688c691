"""A property test that skips an example with `return` passes it silently, so it cannot fail on that example.
Property tests skip with `hypothesis.assume` (Hypothesis then reports and limits the skipped share) or draw
only the examples they need. Every test file is found by walking the folder, so a new one is covered."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]


def property_tests() -> list[tuple[str, ast.FunctionDef]]:
    found = []
    for path in sorted(TESTS.rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.FunctionDef) and any(
                "given" in ast.unparse(decorator) for decorator in node.decorator_list
            ):
                found.append((f"{path.relative_to(TESTS)}::{node.name}", node))
    return found


def early_returns(function: ast.FunctionDef) -> list[int]:
    """Lines of `return` statements in the test itself (not in a function or lambda defined inside it)."""
    lines = []
    todo = list(function.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Return):
            lines.append(node.lineno)
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            todo.extend(ast.iter_child_nodes(node))
    return sorted(lines)


def test_the_walk_finds_the_property_tests():
    names = {name for name, _ in property_tests()}
    assert "unit/test_scoring.py::test_raising_a_level_never_lowers_any_score" in names
    assert "unit/test_plan.py::test_no_gap_is_ever_left_without_an_action" in names


@pytest.mark.parametrize(("name", "function"), property_tests(), ids=[name for name, _ in property_tests()])
def test_a_property_test_never_skips_an_example_with_return(name, function):
    assert not early_returns(function), f"{name} returns early on line(s) {early_returns(function)}: use assume()"


def test_the_check_sees_a_return_inside_a_branch():
    source = "@given(x)\ndef test_t(x):\n    if x:\n        return\n    def helper():\n        return 1\n"
    function = ast.parse(source).body[0]
    assert early_returns(function) == [4]

"""`python -m assessment users ...` and `areas ...`: memberships from the command line, on either database."""

from __future__ import annotations

from assessment.__main__ import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_users_are_added_listed_and_removed(database_url, capsys):
    db = ("--database", database_url)
    assert run(capsys, "users", "list", *db)[1].startswith("Nobody has a role yet")
    code, out, _ = run(
        capsys, "users", "add", "Ann@Testshire.example", "--role", "coordinator", "--area", "Testshire", *db
    )
    assert (code, out) == (0, "ann@testshire.example is now coordinator of Testshire.\n")
    run(capsys, "users", "add", "hmi@example.org", "--role", "inspector", "--region", "North East", *db)
    assert run(capsys, "users", "list", *db)[1] == (
        "ann@testshire.example\tcoordinator of Testshire\nhmi@example.org\tinspector of the North East region\n"
    )
    assert run(capsys, "areas", "list", *db)[1] == "testshire\tTestshire\t\n"
    assert run(capsys, "users", "remove", "ann@testshire.example", *db)[:2] == (
        0,
        "Removed 1 role of ann@testshire.example.\n",
    )
    code, _, err = run(capsys, "users", "remove", "ann@testshire.example", *db)
    assert code == 1 and "nothing was removed" in err


def test_a_role_that_needs_an_area_without_one_is_refused_with_a_reason(database_url, capsys):
    code, out, err = run(capsys, "users", "add", "x@example.org", "--role", "contributor", "--database", database_url)
    assert (code, out) == (1, "")
    assert "A contributor belongs to an area: name the area." in err

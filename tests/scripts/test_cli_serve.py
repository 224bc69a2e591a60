"""``trygg staff`` and ``trygg users`` on the command line: what a coordinator types."""

from __future__ import annotations

from trygg.cli import main
from trygg.layers.staff import check_staff, staff_names

PASSWORD = "ett långt lösenord"


def test_staff_are_added_listed_given_a_new_password_and_removed(project, monkeypatch,
                                                                 capsys):
    where = str(project.location)
    monkeypatch.setenv("TRYGG_PASSWORD", PASSWORD)
    assert main(["staff", where, "add", "moa"]) == 0
    assert "moa kan nu logga in på /staff" in capsys.readouterr().out
    monkeypatch.setenv("TRYGG_PASSWORD", "ett annat långt lösenord")
    assert main(["staff", where, "add", "moa"]) == 0  # the same name: a new password
    assert not check_staff(project, "moa", PASSWORD)
    assert check_staff(project, "moa", "ett annat långt lösenord")
    capsys.readouterr()
    assert main(["staff", where, "list"]) == 0 and capsys.readouterr().out.split() == ["moa"]
    assert main(["staff", where, "remove", "moa"]) == 0
    assert "moa är borttagen" in capsys.readouterr().out and staff_names(project) == []


def test_staff_mistakes_are_one_line_and_exit_2(project, monkeypatch, capsys):
    where = str(project.location)
    assert main(["staff", where, "remove", "ingen"]) == 2
    err = capsys.readouterr().err
    assert "ingen personalanvändare 'ingen'" in err and "Traceback" not in err
    assert main(["staff", where, "delete", "moa"]) == 2
    assert "add NAMN, remove NAMN eller list" in capsys.readouterr().err
    monkeypatch.setenv("TRYGG_PASSWORD", "kort")
    assert main(["staff", where, "add", "moa"]) == 2
    assert "minst 12 tecken" in capsys.readouterr().err
    assert main(["users", where, "add", "anna", "--organisation", "Polisen"]) == 2
    assert "bara i PostGIS-projekt" in capsys.readouterr().err

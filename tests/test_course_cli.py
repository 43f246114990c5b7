"""``python -m tools.course``: the instructor's mistakes it refuses before nbgrader runs.

Each of these used to reach nbgrader and end in a misleading message, a phantom
assignment in the gradebook, or a release students never see. The grading cycle itself
is tests/test_workflow.py.
"""

from __future__ import annotations

import shutil

import pytest

from tools import course

A = "01_perceptron"


@pytest.fixture
def tiny_course(course_copy, monkeypatch):
    """A course folder with one assignment, and an exchange that exists."""
    (course_copy / "exchange").mkdir()
    monkeypatch.setenv("NBGRADER_EXCHANGE", str(course_copy / "exchange"))
    monkeypatch.setattr(course, "run_nbgrader", lambda *a: pytest.fail(f"nbgrader ran: {a}"))
    return course_copy


@pytest.mark.parametrize("command", ["release", "collect", "autograde", "feedback", "summary",
                                     "duedate", "extend alice 2d"])
def test_a_misspelt_assignment_is_refused_with_a_suggestion(tiny_course, command):
    name, *more = command.split()
    with pytest.raises(SystemExit, match=rf"no assignment '01_perceptrn' in .*solutions; did "
                       rf"you mean {A}\? \(the assignments: {A}\)"):
        course.main(["--root", str(tiny_course), name, "01_perceptrn", *more])


def test_a_trailing_slash_is_dropped(tiny_course, monkeypatch):
    calls = []
    monkeypatch.setattr(course, "run_nbgrader", lambda root, *a: calls.append(a) or 0)
    assert course.main(["--root", str(tiny_course), "generate", f"{A}/"]) == 0
    assert calls == [("generate_assignment", A, "--force")]  # not '' in the gradebook


def test_run_from_a_subfolder_names_the_course_root(tiny_course):
    with pytest.raises(SystemExit, match=rf"no nbgrader_config.py in .*solutions; run from the "
                       rf"course root \({tiny_course}: cd {tiny_course}\)"):
        course.main(["--root", str(tiny_course / "solutions"), "export"])
    assert not (tiny_course / "solutions" / "gradebook.db").exists()


def test_a_named_exchange_that_does_not_exist_is_refused(tiny_course, monkeypatch):
    typo = tiny_course / "exchnage"
    monkeypatch.setenv("NBGRADER_EXCHANGE", str(typo))
    with pytest.raises(SystemExit, match=rf"NBGRADER_EXCHANGE={typo} is not a folder; fix the "
                       rf"path, or create the exchange: mkdir -p {typo}"):
        course.main(["--root", str(tiny_course), "release", A])
    assert not typo.exists()


def test_releasing_again_needs_force(tiny_course, capsys, monkeypatch):
    (tiny_course / "exchange" / "intro-dl" / "outbound" / A).mkdir(parents=True)
    assert course.main(["--root", str(tiny_course), "release", A]) == 1
    assert f"{A} is released already" in capsys.readouterr().err
    assert not (tiny_course / "assignments").exists()  # nothing regenerated
    calls = []
    monkeypatch.setattr(course, "run_nbgrader", lambda root, *a: calls.append(a) or 0)
    assert course.main(["--root", str(tiny_course), "release", A, "--force"]) == 0
    assert [c[0] for c in calls] == ["generate_assignment", "release_assignment"]


def test_a_failed_regeneration_puts_the_student_version_back(tiny_course, monkeypatch, capsys):
    """nbgrader's generate_assignment --force removes assignments/<a>/ first, then may
    refuse (a graded cell added or removed once there are submissions)."""
    release = tiny_course / "assignments" / A
    release.mkdir(parents=True)
    (release / f"{A}.ipynb").write_text("the committed student version")

    def refuse(root, *args):
        shutil.rmtree(release)
        return 1

    monkeypatch.setattr(course, "run_nbgrader", refuse)
    assert course.main(["--root", str(tiny_course), "release", A]) == 1
    assert (release / f"{A}.ipynb").read_text() == "the committed student version"
    assert "is restored as it was and nothing was released" in capsys.readouterr().err


def test_export_says_when_nothing_is_graded_yet(tiny_course, monkeypatch, capsys):
    def export(root, *args):  # what nbgrader export writes for an empty gradebook
        to = next(a for a in args if a.startswith("--to=")).removeprefix("--to=")
        with open(to, "w") as fh:
            fh.write("assignment,duedate,timestamp,student_id,raw_score,score,max_score\n")
        return 0

    monkeypatch.setattr(course, "run_nbgrader", export)
    assert course.main(["--root", str(tiny_course), "export"]) == 0
    assert "with no grades: nothing has been graded yet" in capsys.readouterr().out

"""``python -m tools.student`` without a kernel: what it refuses, what it copies, and
nbgrader's strict submission (``c.ExchangeSubmit.strict``) as the course configures it.
The whole cycle, with kernels, is tests/test_workflow.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from tools import grading, student

A = "01_perceptron"
RELEASE = grading.ROOT / "assignments" / A / f"{A}.ipynb"


@pytest.fixture
def nbgrader_calls(monkeypatch):
    calls = []
    monkeypatch.setattr(student, "_nbgrader", lambda *args: calls.append(args) or 0)
    monkeypatch.setattr(student, "_setup_problem", lambda args: None)  # configured
    return calls


@pytest.mark.parametrize("extra", [[], ["--no-validate"]])
def test_submit_refuses_a_renamed_notebook(tmp_path, monkeypatch, capsys, nbgrader_calls,
                                           extra):
    (tmp_path / A).mkdir()
    shutil.copy(RELEASE, tmp_path / A / f"{A}-Copy1.ipynb")
    monkeypatch.chdir(tmp_path)
    assert student.main(["submit", A, "--student=bob", *extra]) == 1
    out, err = capsys.readouterr()
    assert err == (f"error: {A}/{A}.ipynb is missing: rename your notebook back to {A}.ipynb "
                   f"(found: {A}-Copy1.ipynb)\n")
    assert "OK" not in out
    assert nbgrader_calls == []  # nothing submitted


def test_submit_goes_on_when_the_notebook_is_there(tmp_path, monkeypatch, nbgrader_calls):
    (tmp_path / A).mkdir()
    shutil.copy(RELEASE, tmp_path / A / f"{A}.ipynb")
    monkeypatch.chdir(tmp_path)
    assert student.main(["submit", A, "--student=bob", "--no-validate"]) == 0
    assert nbgrader_calls == [("submit", A, "--student=bob")]


def test_validate_of_a_folder_refuses_a_renamed_notebook(tmp_path, monkeypatch, capsys):
    (tmp_path / A).mkdir()
    monkeypatch.chdir(tmp_path)
    assert student.main(["validate", A]) == 1
    assert capsys.readouterr().err == (
        f"error: {A}/{A}.ipynb is missing: rename your notebook back to {A}.ipynb "
        "(found: no notebook)\n")


def test_list_shows_released_then_submitted(nbgrader_calls):
    assert student.main(["list", "--course=intro-dl"]) == 0
    assert nbgrader_calls == [("list", "--course=intro-dl"),
                              ("list", "--cached", "--course=intro-dl")]


@pytest.mark.parametrize("where", ["inside", "absolute"])
def test_validate_copies_only_the_folder_own_files(tmp_path, monkeypatch, where):
    """A notebook with a copied answer cell is validated as a repaired copy, next to
    copies of the folder's files (not its subfolders), whatever the path is like."""
    folder = tmp_path / A
    (folder / "feedback" / "2024").mkdir(parents=True)
    (folder / "feedback" / "2024" / "big.bin").write_bytes(b"x" * 1000)
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / "data.csv").write_text("1,2\n")
    nb = nbformat.read(RELEASE, as_version=4)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
    copied = nbformat.from_dict(nb.cells[ids.index("ex2_predict")])
    copied.id = "copied-answer-cell"
    nb.cells.insert(ids.index("ex2_predict") + 1, copied)
    nbformat.write(nb, folder / f"{A}.ipynb")
    seen = {}

    def run_tests(path, nb, timeout):
        seen["path"] = path
        seen["files"] = sorted(str(p.relative_to(path.parent)) for p in path.parent.rglob("*"))
        return []

    monkeypatch.setattr(student, "_run_tests", run_tests)
    monkeypatch.chdir(folder if where == "inside" else tmp_path)
    path = Path(f"{A}.ipynb") if where == "inside" else folder / f"{A}.ipynb"
    failures = student.validate(path)
    assert len(failures) == 1 and "('ex2_predict'): a copy of cell" in failures[0]
    assert seen["path"].parent != folder  # the repaired copy, not the student's file
    assert seen["files"] == [f"{A}.ipynb", "data.csv"]
    assert nbformat.read(folder / f"{A}.ipynb", as_version=4).cells[ids.index(
        "ex2_predict") + 1].id == "copied-answer-cell"  # the student's notebook unchanged


def _exchange_with_release(tmp_path: Path) -> tuple[Path, Path]:
    exchange = tmp_path / "exchange"
    (exchange / "intro-dl" / "inbound").mkdir(parents=True)
    (exchange / "intro-dl" / "outbound" / A).mkdir(parents=True)
    shutil.copy(RELEASE, exchange / "intro-dl" / "outbound" / A)
    home = tmp_path / "bob"
    home.mkdir()
    from traitlets.config.loader import PyFileConfigLoader

    from tools.course import student_config

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NBGRADER_EXCHANGE", str(exchange))
        config = PyFileConfigLoader("nbgrader_config.py", path=str(grading.ROOT)).load_config()
    assert config.ExchangeSubmit.strict is True
    text = student_config(config)
    assert "c.ExchangeSubmit.strict = True" in text
    (home / "nbgrader_config.py").write_text(
        text + f"c.Exchange.cache = {str(tmp_path / 'cache')!r}\n")
    return exchange, home


@pytest.mark.parametrize("name", [f"{A}-Copy1.ipynb", f"{A}.ipynb"])
def test_nbgrader_submit_is_strict_with_the_student_config(tmp_path, name):
    """What the Assignment List's Submit button runs: nbgrader's own submission refuses
    a folder without the released notebook, and accepts the normal one."""
    exchange, home = _exchange_with_release(tmp_path)
    (home / A).mkdir()
    shutil.copy(RELEASE, home / A / name)
    status = grading.nbgrader_main(["submit", A, "--student=bob"], cwd=home)
    inbound = list((exchange / "intro-dl" / "inbound").iterdir())
    if name == f"{A}.ipynb":
        assert status == 0 and len(inbound) == 1
    else:
        assert status != 0 and inbound == []


def test_folder_of_a_nested_assignment_is_the_course_one(tmp_path, monkeypatch):
    """With ``path_includes_course``, nbgrader keeps ./<course>/<assignment>: the folder of
    the configured course, not of another course with the same assignment name."""
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "jupyter-config"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-course" / A).mkdir(parents=True)
    assert student._folder(A) == Path("a-course") / A  # the only one there
    (tmp_path / "intro-dl" / A).mkdir(parents=True)
    assert student._folder(A) == Path(A)  # two, and no course id: neither is guessed
    assert student._folder(A, "intro-dl") == Path("intro-dl") / A
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\nc.CourseDirectory.course_id = 'intro-dl'\n")
    assert student._folder(A) == Path("intro-dl") / A
    assert student._folder(A, "a-course") == Path("a-course") / A
    (tmp_path / A).mkdir()
    assert student._folder(A) == Path(A)


@pytest.mark.parametrize("command", ["fetch", "submit"])
def test_inside_the_assignment_folder_is_refused(tmp_path, monkeypatch, capsys,
                                                 nbgrader_calls, command):
    """Not "fetch the assignment first": fetching there nests a blank copy, which
    `submit` would then hand in instead of the student's work."""
    (tmp_path / A).mkdir()
    shutil.copy(RELEASE, tmp_path / A / f"{A}.ipynb")
    monkeypatch.chdir(tmp_path / A)
    assert student.main([command, A, *(["--no-validate"] if command == "submit" else [])]) == 1
    assert "you are inside the assignment folder" in capsys.readouterr().err
    assert nbgrader_calls == []


def test_no_course_id_names_the_courses_offering_it(tmp_path, monkeypatch, capsys):
    for course in ("intro-dl", "other-101"):
        (tmp_path / "exchange" / course / "outbound" / A).mkdir(parents=True)
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.Exchange.root = {str(tmp_path / 'exchange')!r}\n")
    monkeypatch.chdir(tmp_path / "home")
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "none"))
    monkeypatch.setattr(student, "_nbgrader", lambda *args: pytest.fail("nbgrader ran"))
    assert student.main(["fetch", A]) == 1
    err = capsys.readouterr().err
    assert f"{A} is offered by: intro-dl, other-101. Add --course=intro-dl" in err, err


def test_validate_refuses_a_notebook_without_nbgrader_cells(tmp_path):
    nb = nbformat.read(RELEASE, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("nbgrader", None)
    nbformat.write(nb, tmp_path / "pasted.ipynb")
    [failure] = student.validate(tmp_path / "pasted.ipynb")
    assert "lost their nbgrader metadata" in failure


def _course_here(tmp_path, monkeypatch, *released):
    """A student's folder whose nbgrader_config.py names an exchange that offers
    ``released`` in intro-dl (no Jupyter config folders)."""
    exchange = tmp_path / "exchange"
    for a in released:
        shutil.copytree(RELEASE.parent, exchange / "intro-dl" / "outbound" / a)
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'intro-dl'\n"
        f"c.Exchange.root = {str(exchange)!r}\n")
    monkeypatch.chdir(tmp_path / "home")
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "none"))
    return exchange


def test_feedback_before_any_is_released_or_for_a_misspelt_assignment(tmp_path, monkeypatch,
                                                                      capsys):
    exchange = _course_here(tmp_path, monkeypatch, A)
    monkeypatch.setattr(student, "_nbgrader", lambda *args: pytest.fail("nbgrader ran"))
    assert student.main(["feedback", A]) == 0  # nbgrader: "Assignment not found at ..."
    assert "no feedback has been released in intro-dl yet" in capsys.readouterr().out
    assert student.main(["feedback", "01_perceptrn"]) == 1  # nbgrader: nothing, status 0
    assert capsys.readouterr().err == (
        f"error: no assignment 01_perceptrn was released in intro-dl (released: {A}).\n")
    (exchange / "intro-dl" / "feedback").mkdir()
    calls = []
    monkeypatch.setattr(student, "_nbgrader", lambda *args: calls.append(args) or 0)
    assert student.main(["feedback", A]) == 0
    assert calls and calls[0][:2] == ("fetch_feedback", A)


def test_validate_names_the_test_cells_a_student_deleted(tmp_path, monkeypatch):
    """The grader puts deleted test cells back and runs them: validating without them
    would say OK about tests it never ran."""
    _course_here(tmp_path, monkeypatch, A)
    nb = nbformat.read(RELEASE, as_version=4)
    assert student._deleted_tests(tmp_path / A / f"{A}.ipynb", nb) == []
    gone = ["test_ex6_xor_min_mistakes", "test_ex6_xor_separable"]
    nb.cells = [c for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") not in gone]
    [message] = student._deleted_tests(tmp_path / A / f"{A}.ipynb", nb)
    assert message.startswith(f"test cells deleted: {', '.join(gone)}; the grader puts them "
                              "back and runs them")
    # a notebook of no known assignment: nothing to compare with, nothing said
    assert student._deleted_tests(tmp_path / "mine" / "notes.ipynb", nb) == []


def test_validate_of_a_folder_that_is_no_assignment_names_its_notebooks(tmp_path, monkeypatch,
                                                                        capsys):
    (tmp_path / "bob").mkdir()
    shutil.copy(RELEASE, tmp_path / "bob" / "notes.ipynb")
    monkeypatch.chdir(tmp_path)
    assert student.main(["validate", "bob"]) == 1
    assert capsys.readouterr().err == (
        "error: bob is not an assignment folder (one named like its notebook, e.g. "
        "01_perceptron/); name the notebook to validate: notes.ipynb\n")
    (tmp_path / A).mkdir()  # an assignment folder whose notebook was renamed
    shutil.copy(RELEASE, tmp_path / A / "mine.ipynb")
    assert student.main(["validate", A]) == 1
    assert "rename your notebook back to 01_perceptron.ipynb" in capsys.readouterr().err

"""The whole grading cycle, through a temporary exchange, with the course's own commands.

An instructor (``python -m tools.course``) and five students (``python -m tools.student``,
each in their own folder, with their own Jupyter data folder and no instructor config)
go through release, fetch, validate, submit, collect, autograde, a manual grade, a
regrade, a due date with a late resubmission, feedback, export and the summary. The
students:

- ``perfect``: every answer right (100);
- ``blank``: submits the release untouched (0);
- ``partial``: exercises 1-2 right, with the answer cell of exercise 2 copied (nbgrader
  #1083) and the test cell of exercise 1 deleted; a wrong exercise 3; ``os._exit`` in
  exercise 4, which kills the kernel (10 + 15 = 25, earned before the crash);
- ``stuck``: exercise 1 right but slow (interrupted after the time limit: the function
  is defined by then), then a loop that ignores interrupts (10, and the batch goes on);
- ``broken``: a notebook that is not JSON (reported, 0, the batch goes on).

The exchange is a folder outside the course, given by ``NBGRADER_EXCHANGE``: the
shared-exchange set-up of a JupyterHub, on one machine; ``blank`` sets
``Exchange.path_includes_course`` (several courses on one hub).
"""

from __future__ import annotations

import csv
import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nbformat
import pytest

from tools import grading

ROOT = grading.ROOT
A = "01_perceptron"
STUDENTS = ["perfect", "blank", "partial", "stuck", "broken"]
FETCHING = ["perfect", "blank", "partial"]  # the others submit a copy of the release
NESTED = ["blank"]  # with Exchange.path_includes_course, as for several courses on one hub
EXPECTED = {"perfect": 100.0, "blank": 0.0, "partial": 25.0, "stuck": 10.0, "broken": 0.0}
MANUAL = 7.5  # the instructor's manual score for partial's exercise 3 (auto: 0)
TIMEOUT = ["--Execute.timeout=8", "--SafeExecute.recovery_timeout=3"]  # cells take < 4 s


def _env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("NBGRADER_EXCHANGE", "NBGRADER_DB_URL", "MPLBACKEND")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def _run(module, args, cwd, env, expect=0):
    proc = subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)
    out = proc.stdout + proc.stderr
    if expect is not None:
        assert proc.returncode == expect, f"{module} {' '.join(args)} -> {proc.returncode}:\n{out}"
    return out


def _checksums(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _answers(nb, sources):
    """A copy of ``nb`` with the answer cells named in ``sources`` replaced."""
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in sources:
            cell.source = sources[gid]
    return nb


def _solution_sources():
    """The instructor's answers, as a student would type them (no solution markers)."""
    markers = ("### BEGIN SOLUTION", "### END SOLUTION")
    return {c.metadata["nbgrader"]["grade_id"]: "\n".join(
                ln for ln in c.source.splitlines() if ln.strip() not in markers)
            for c in grading.load_solution(A).cells
            if c.metadata.get("nbgrader", {}).get("solution")}


def _edit(name: str, path: Path) -> None:
    """What each student does to the fetched notebook."""
    if name == "blank":
        return
    if name == "broken":
        path.write_text('{"cells": [')
        return
    nb = nbformat.read(path, as_version=4)
    sol = _solution_sources()
    if name == "perfect":
        _answers(nb, sol)
    elif name == "partial":
        wrong = next(w for w in grading.load_wrong(A) if w.cell == "ex3_perceptron_update")
        _answers(nb, {"ex1_add_bias": sol["ex1_add_bias"], "ex2_predict": sol["ex2_predict"],
                      "ex3_perceptron_update": wrong.source.strip(),
                      "ex4_train_perceptron": "import os\nos._exit(1)"})
        ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
        copy = nbformat.from_dict(nb.cells[ids.index("ex2_predict")])
        copy.id = "copied-answer-cell"
        nb.cells.insert(ids.index("ex2_predict") + 1, copy)
        nb.cells = [c for c in nb.cells
                    if c.metadata.get("nbgrader", {}).get("grade_id") != "test_ex1_add_bias"]
    elif name == "stuck":  # a slow cell that the interrupt stops, then one it cannot stop
        _answers(nb, {"ex1_add_bias": sol["ex1_add_bias"] + "\n\nimport time\ntime.sleep(600)",
                      "ex2_predict": "while True:\n    try:\n        time.sleep(0.2)\n"
                      "    except KeyboardInterrupt:\n        pass"})
    nbformat.write(nb, path)


def _scores(course: Path) -> dict[str, dict[str, float]]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {s.student_id: {g.name: float(g.score) for nb in s.notebooks for g in nb.grades
                               if g.max_score}
                for s in gb.assignment_submissions(A)}


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    """Run the whole cycle once; return what the tests look at."""
    tmp = tmp_path_factory.mktemp("workflow")
    course, exchange = tmp / "course", tmp / "exchange"
    course.mkdir()
    exchange.mkdir()  # as on a hub: created first (a missing one is refused: a typo?)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions" / A, course / "solutions" / A)
    teacher = _env(NBGRADER_EXCHANGE=str(exchange))
    out = {"course": course, "exchange": exchange, "tmp": tmp}

    def instructor(*args, expect=0):
        return _run("tools.course", args, course, teacher, expect)

    out["release"] = instructor("release", A)
    homes = {s: tmp / "students" / s for s in STUDENTS}
    config = _student_config(exchange)

    def student(name, *args, expect=0):
        env = _env(JUPYTER_DATA_DIR=str(homes[name] / "jupyter-data"))
        return _run("tools.student", args, homes[name], env, expect)

    def fetch_and_submit(name):
        homes[name].mkdir(parents=True)
        extra = "c.Exchange.path_includes_course = True\n" if name in NESTED else ""
        (homes[name] / "nbgrader_config.py").write_text(config + extra)
        if name in FETCHING:
            text = student(name, "fetch", A)
        else:  # submit works on any ./01_perceptron/ folder; saves a few seconds
            shutil.copytree(course / "assignments" / A, homes[name] / A)
            text = ""
        _edit(name, homes[name] / A / f"{A}.ipynb")
        validate = [] if name == "perfect" else ["--no-validate"]
        return text + student(name, "submit", A, f"--student={name}", *validate)

    with ThreadPoolExecutor(max_workers=2) as pool:
        out["submit"] = dict(zip(STUDENTS, pool.map(fetch_and_submit, STUDENTS), strict=True))
        partial_validate = pool.submit(student, "partial", "validate", f"{A}/{A}.ipynb",
                                       expect=1)
        instructor("collect", A, "--ExchangeCollect.check_owner=False")
        out["validate_partial"] = partial_validate.result()

    submitted = _checksums(course / "submitted")
    inbound = _checksums(exchange / "intro-dl" / "inbound")
    out["autograde"] = instructor("autograde", A, *TIMEOUT)
    out["scores"] = _scores(course)
    out["submitted_unchanged_by_autograde"] = _checksums(course / "submitted") == submitted

    # The instructor overrides one automatic grade and sets the due date to now; partial
    # submits again after it (same work, new time stamp); a plain collect keeps the
    # submission made by the due date; the instructor takes partial's late one
    # (--latest) and regrades partial, who is reported late.
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.find_grade("test_ex3_perceptron_update", A, A, "partial").manual_score = MANUAL
        gb.db.commit()
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
    out["duedate"] = instructor("duedate", A, due.strftime("%Y-%m-%dT%H:%M:%S+00:00"))
    out["duedate_shown"] = instructor("duedate", A)
    time.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()) + 0.1)
    out["resubmit"] = student("partial", "submit", A, "--student=partial", "--no-validate")
    on_time = _checksums(course / "submitted")
    out["collect_by_duedate"] = instructor("collect", A, "--ExchangeCollect.check_owner=False")
    out["kept_on_time"] = _checksums(course / "submitted") == on_time
    out["collect_latest"] = instructor("collect", A, "--student=partial", "--latest",
                                       "--ExchangeCollect.check_owner=False")
    resubmitted = _checksums(course / "submitted")
    out["late_collected"] = resubmitted != on_time
    out["regrade"] = instructor("autograde", A, "--student=partial", "--force", *TIMEOUT)
    out["after_regrade"] = _scores(course)["partial"]

    # partial gets a day more: collect by the due date now keeps the late submission, and
    # it is no longer late. latecomer, who has not submitted, gets two days: that adds no
    # submission to the summary.
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.add_student("latecomer")
    out["extend"] = instructor("extend", A, "partial", "1d")
    out["extend_unknown"] = instructor("extend", A, "partail", "1d", expect=1)
    instructor("extend", A, "latecomer", "2d")
    out["extensions_shown"] = instructor("duedate", A)
    out["collect_extended"] = instructor("collect", A, "--ExchangeCollect.check_owner=False")
    out["kept_late"] = _checksums(course / "submitted") == resubmitted
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        out["seconds_late"] = gb.find_submission(A, "partial").total_seconds_late

    out["feedback"] = instructor("feedback", A)
    with ThreadPoolExecutor(max_workers=2) as pool:
        export, summary = pool.submit(instructor, "export"), pool.submit(
            instructor, "summary", A)
        fetched = pool.map(lambda s: student(s, "feedback", A, f"--student={s}"), FETCHING)
        out["fetch_feedback"] = "\n".join(fetched)
        out["export"], out["summary"] = export.result(), summary.result()
    out["feedback_html"] = {s: sorted(homes[s].glob(f"**/{A}/feedback/*/{A}.html"))
                            for s in FETCHING}
    out["folders"] = {s: sorted(str(p.parent.relative_to(homes[s]))
                                for p in homes[s].glob(f"**/{A}.ipynb")
                                if "jupyter-data" not in p.parts) for s in FETCHING}

    out["submitted_before"], out["submitted_after"] = resubmitted, _checksums(
        course / "submitted")
    out["inbound_before"] = inbound
    out["inbound_after"] = _checksums(exchange / "intro-dl" / "inbound")
    return out


def _student_config(exchange: Path) -> str:
    """What ``python -m tools.course student-config`` prints for this course."""
    from traitlets.config.loader import PyFileConfigLoader

    from tools.course import student_config

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NBGRADER_EXCHANGE", str(exchange))
        config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    text = student_config(config)
    assert f"c.Exchange.root = {str(exchange)!r}" in text
    assert "c.CourseDirectory.course_id = 'intro-dl'" in text
    assert "c.ExchangeSubmit.strict = True" in text  # a renamed notebook is refused
    return text


def test_release_reaches_every_student(cycle):
    assert "Released as: intro-dl 01_perceptron" in cycle["release"]
    assert cycle["folders"] == {"perfect": [A], "partial": [A], "blank": [f"intro-dl/{A}"]}
    for name, text in cycle["submit"].items():
        assert name not in FETCHING or "Fetched as: intro-dl 01_perceptron" in text, name
        assert f"Submitted as: intro-dl {A}" in text, name


def test_validate_passes_the_right_answers_and_names_failing_exercises(cycle):
    assert f"OK {A}/{A}.ipynb: every test passes" in cycle["submit"]["perfect"]
    text = cycle["validate_partial"]  # exit status 1, checked in the fixture
    assert "FAILED" in text
    assert "[test_ex3_perceptron_update]" in text and "Exercise 3" in text
    # exercise 4 kills the kernel: its tests and all later ones fail, with the reason
    assert re.search(r"Exercise 4 .*\[test_ex4_train_perceptron, test_ex4_train_perceptron_"
                     r"stopping, test_ex4_train_perceptron_reference\]:\n\s*NotRun: .*the kernel "
                     r"died in cell \d+ \('ex4_train_perceptron'\)", text), text
    assert "[test_ex1_add_bias]" not in text and "[test_ex2_predict]" not in text
    # the copied answer cell is named, with what to do about it
    assert re.search(r"cell \d+ \('ex2_predict'\): a copy of cell \d+ .*delete one of them",
                     text), text
    # the kernel's messages are encrypted (CurveZMQ), so ipykernel's warning about plain
    # TCP does not reach the student
    for output in (cycle["submit"]["perfect"], text):
        assert "without encryption" not in output, output


def test_exported_grades(cycle):
    with (cycle["course"] / "reports" / "grades.csv").open() as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh) if r["assignment"] == A}
    got = {s: float(r["score"]) for s, r in rows.items()}
    # latecomer is in the gradebook (given an extension) but submitted nothing
    assert got == {**EXPECTED, "partial": EXPECTED["partial"] + MANUAL, "latecomer": 0.0}
    assert {float(r["max_score"]) for r in rows.values()} == {100.0}


def test_autograde_scores_what_was_earned_and_goes_on(cycle):
    totals = {s: sum(g.values()) for s, g in cycle["scores"].items()}
    assert totals == EXPECTED
    partial = cycle["scores"]["partial"]
    assert partial["test_ex1_add_bias"] == 10  # the deleted test cell was put back and run
    assert partial["test_ex2_predict"] == 15   # the copied answer cell did not fail the batch
    assert cycle["scores"]["stuck"]["test_ex1_add_bias"] == 10  # after an interrupted cell
    stuck = nbformat.read(cycle["course"] / "autograded" / "stuck" / A / f"{A}.ipynb", 4)
    errors = {c.metadata.get("nbgrader", {}).get("grade_id"): [o.ename for o in c.outputs
                                                               if o.output_type == "error"]
              for c in stuck.cells if c.cell_type == "code"}
    assert "CellTimeoutError" in errors["ex1_add_bias"]  # interrupted, and the run went on
    assert errors["ex2_predict"] == ["CellTimeoutError"]  # not stoppable: the kernel is shut
    assert errors["test_ex6_xor_separable"] == ["NotRun"]


def test_malformed_submissions_are_reported(cycle):
    text = cycle["autograde"]
    assert re.search(r"partial/01_perceptron: cell \d+ \('ex2_predict'\): a copy of cell \d+",
                     text), text
    assert re.search(r"broken/01_perceptron: the notebook cannot be read .*ask the student to "
                     r"resubmit", text), text
    with (cycle["course"] / "reports" / f"{A}-problems.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert {r["student"] for r in rows} == {"partial", "broken"}


def test_manual_grade_survives_resubmission_and_regrade(cycle):
    assert "Submitted as: intro-dl 01_perceptron" in cycle["resubmit"]
    assert cycle["after_regrade"]["test_ex3_perceptron_update"] == MANUAL
    assert sum(cycle["after_regrade"].values()) == EXPECTED["partial"] + MANUAL


def test_due_date_decides_what_is_collected_and_who_is_late(cycle):
    assert "$ nbgrader db assignment add 01_perceptron '--duedate=" in cycle["duedate"]
    assert re.search(rf"{A} is due \d{{4}}-\d\d-\d\d \d\d:\d\d UTC", cycle["duedate_shown"])
    # partial's resubmission came after the due date: a plain collect keeps the earlier one
    assert "--before-duedate" in cycle["collect_by_duedate"]
    assert cycle["kept_on_time"]
    assert "--before-duedate" not in cycle["collect_latest"]
    assert cycle["late_collected"]
    assert re.search(r"partial +32\.50 / 100 +late by \d+ s\n", cycle["regrade"]), cycle["regrade"]
    with (cycle["course"] / "reports" / "grades.csv").open() as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh) if r["assignment"] == A}
    assert rows["partial"]["timestamp"] > rows["partial"]["duedate"]
    assert all(rows[s]["timestamp"] < rows[s]["duedate"] for s in STUDENTS if s != "partial")
    assert {r["late_submission_penalty"] for r in rows.values()} == {"0.0"}


def test_an_extension_moves_one_students_due_date(cycle):
    assert re.search(r"partial has 1 d more for 01_perceptron: due \d{4}", cycle["extend"])
    assert re.search(r"no student 'partail' .*\(did you mean partial\?\)",
                     cycle["extend_unknown"]), cycle["extend_unknown"]
    assert re.search(r"\n  latecomer: 2 d more, until .*\n  partial: 1 d more, until ",
                     cycle["extensions_shown"]), cycle["extensions_shown"]
    # nbgrader's own collect would take partial's on-time submission back
    assert "by their own due date for the 2 with an extension" in cycle["collect_extended"]
    assert cycle["kept_late"]
    assert cycle["seconds_late"] == 0


def test_no_submitted_file_changes(cycle):
    assert cycle["submitted_unchanged_by_autograde"]
    assert cycle["submitted_after"] == cycle["submitted_before"]
    before, after = cycle["inbound_before"], cycle["inbound_after"]
    assert {k: after.get(k) for k in before} == before  # a resubmission only adds files


def _text(path: Path) -> str:
    """The visible text of an HTML page: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text()))


def _hidden_lines() -> list[str]:
    lines = []
    for cell in grading.load_solution(A).cells:
        inside = False
        for line in cell.source.splitlines():
            if line.strip().startswith("### BEGIN HIDDEN TESTS"):
                inside = True
            elif line.strip().startswith("### END HIDDEN TESTS"):
                inside = False
            elif inside and len(line.strip()) > 25 and not line.strip().startswith("#"):
                lines.append(line.strip())
    return lines


def test_feedback_shows_failures_but_not_hidden_tests(cycle):
    for student, files in cycle["feedback_html"].items():
        assert len(files) == 1, (student, files, cycle["fetch_feedback"])
    text = {s: _text(f[0]) for s, f in cycle["feedback_html"].items()}
    # The visible tests are shown (so the check below can find source lines at all) ...
    assert "X_toy = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])" in text["perfect"]
    # ... but no line of a hidden test, in any student's feedback.
    hidden = _hidden_lines()
    assert len(hidden) > 20
    for student, page in text.items():
        # lines the student wrote or saw may repeat a hidden line (reference solutions)
        mine = nbformat.read(cycle["course"] / "submitted" / student / A / f"{A}.ipynb", 4)
        own = {ln.strip() for c in mine.cells for ln in c.source.splitlines()}
        leaked = [ln for ln in hidden if ln in page and ln not in own]
        assert not leaked, f"{student}'s feedback shows hidden tests: {leaked[:3]}"
        assert "### BEGIN HIDDEN TESTS" not in page
    # Which test failed, and its message, as the autograded notebook recorded it.
    graded = nbformat.read(cycle["course"] / "autograded" / "partial" / A / f"{A}.ipynb", 4)
    cell = next(c for c in graded.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == "test_ex3_perceptron_update")
    error = next(o for o in cell.outputs if o.output_type == "error")
    assert error.ename == "AssertionError"
    assert f"{error.ename}: {error.evalue}".splitlines()[0] in text["partial"]
    assert "The process running your code stopped while running this cell" in text["partial"]
    assert re.search(r"Score:\s*100\.0\s*/\s*100\.0", text["perfect"])


def test_summary_per_exercise(cycle):
    with (cycle["course"] / "reports" / f"{A}-summary.csv").open() as fh:
        rows = {(r["level"], r["cell"]): r for r in csv.DictReader(fh)}
    ex1 = rows[("exercise", "ex1_add_bias")]
    assert ex1["exercise"].startswith("Exercise 1")
    assert (float(ex1["max"]), int(ex1["submissions"])) == (10.0, 5)
    assert (int(ex1["full"]), int(ex1["zero"])) == (3, 2)  # perfect, partial, stuck
    assert float(ex1["mean"]) == 6.0
    ex4 = rows[("exercise", "ex4_train_perceptron")]
    assert (float(ex4["max"]), int(ex4["full"]), int(ex4["zero"])) == (30.0, 1, 4)
    assert ("test", "test_ex4_train_perceptron_stopping") in rows
    assert "Exercise 1" in cycle["summary"]


def test_config_replaces_only_the_steps_nbgrader_lacks(monkeypatch):
    """nbgrader_config.py lists nbgrader's own autograde steps with three replaced; if a new
    nbgrader changes its defaults, this fails instead of silently dropping a step."""
    from nbgrader.converters import Autograde, GenerateFeedback
    from nbgrader.preprocessors import DeduplicateIds, Execute, OverwriteCells
    from traitlets.config.loader import PyFileConfigLoader

    from tools.nbgrader_plugins import HideHiddenTests, IsolatedExecute, PutBackCells, RepairCells

    monkeypatch.delenv("NBGRADER_EXCHANGE", raising=False)
    c = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    swap = {DeduplicateIds: RepairCells, Execute: IsolatedExecute, OverwriteCells: PutBackCells}
    for name in ("sanitize_preprocessors", "autograde_preprocessors"):
        default = Autograde.class_traits()[name].default()
        assert c.Autograde[name] == [swap.get(p, p) for p in default], name
    default = GenerateFeedback.class_traits()["preprocessors"].default()
    assert c.GenerateFeedback.preprocessors == [HideHiddenTests, *default]


def _gid(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def test_find_problems_keeps_the_first_cell_of_each_grade_id():
    from tools.nbgrader_plugins import find_problems

    nb = grading.load_release(A)
    ids = [_gid(c) for c in nb.cells]
    assert find_problems(nb, set(ids) - {None}) == []
    at = ids.index("ex2_predict")
    nb.cells.insert(at + 1, nbformat.from_dict(nb.cells[at]))  # copied answer cell
    nb.cells[ids.index("ex1_add_bias")].metadata.nbgrader = {}  # emptied by a split
    foreign = nbformat.from_dict(nb.cells[at])
    foreign.metadata.nbgrader["grade_id"] = "q9_from_another_assignment"
    nb.cells.append(foreign)
    found = {index: problem for index, problem, _ in find_problems(nb, set(ids) - {None})}
    assert sorted(found) == [ids.index("ex1_add_bias"), at + 1, len(nb.cells) - 1]
    assert "invalid" in found[ids.index("ex1_add_bias")]
    assert f"a copy of cell {at + 1}" in found[at + 1]
    assert "not a cell of this assignment" in found[len(nb.cells) - 1]


def test_nbgrader_metadata_errors_as_jsonschema_gives_them_one_schema_check_per_version():
    import jsonschema
    from nbgrader.nbgraderformat import MetadataValidator, common

    from tools import nbgrader_plugins  # noqa: F401 (installs the checked schemas)

    meta = {"grade": True, "grade_id": "a", "locked": True, "points": 1, "schema_version": 3,
            "solution": False, "task": False}
    cell = nbformat.v4.new_code_cell(metadata={"nbgrader": meta})
    for bad in ({"points": "x"}, {"grade_id": 7}, {"spare": 1}, {"locked": None}):
        cell.metadata.nbgrader = {**meta, **bad}
        validator = MetadataValidator()  # (nbgrader makes one per notebook, schema read anew)
        with pytest.raises(jsonschema.ValidationError) as ours:
            validator.validate_cell(cell)
        with pytest.raises(jsonschema.ValidationError) as theirs:
            jsonschema.validate(cell.metadata.nbgrader, validator.schema)
        assert ours.value.message == theirs.value.message
    cell.metadata.nbgrader = meta
    MetadataValidator().validate_cell(cell)
    assert len(common.jsonschema._validators) == 1  # not one per validator made


def test_hide_hidden_tests_keeps_visible_code_and_the_message():
    from nbformat.v4 import new_code_cell, new_output

    from tools.nbgrader_plugins import HideHiddenTests

    source = ("check(a == 1)\n### BEGIN HIDDEN TESTS\nsecret_reference = 2\n"
              "### END HIDDEN TESTS\ncheck(b == 3)\nif True:\n    ### BEGIN HIDDEN TESTS\n"
              "    unterminated_secret()\n")
    error = new_output("error", ename="AssertionError", evalue="b must be 3",
                       traceback=["Cell In[4], line 3", "----> 3 secret_reference = 2",
                                  "AssertionError: b must be 3"])
    cell = new_code_cell(source, outputs=[error])
    HideHiddenTests().preprocess_cell(cell, {}, 0)
    placeholder = "# (hidden tests: not shown in the feedback)"
    assert cell.source == (f"check(a == 1)\n{placeholder}\ncheck(b == 3)\nif True:\n"
                           f"    {placeholder}")
    assert "secret" not in "".join(cell.outputs[0].traceback)
    assert "AssertionError\x1b[0m: b must be 3" in cell.outputs[0].traceback[0]


def test_a_deleted_exercise_is_put_back_not_a_failed_submission(tmp_path):
    """Answer cell and test cells deleted together: nbgrader's OverwriteCells raised
    KeyError (the whole submission failed, 0 points); the tests go back after the
    exercise's introduction and the other exercises keep their points."""
    from nbgrader.api import Gradebook
    from traitlets.config import Config

    from tools.nbgrader_plugins import PutBackCells

    release = grading.load_release(A)
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    grading.alembic_on_path()  # a new gradebook runs `alembic`
    with Gradebook(url) as gb:  # the gradebook as `generate_assignment` fills it
        gb.add_assignment(A)
        gb.add_notebook(A, A)
        for cell in release.cells:
            meta = cell.metadata.get("nbgrader", {})
            if not meta:
                continue
            gb.add_source_cell(meta["grade_id"], A, A, cell_type=cell.cell_type,
                               source=cell.source, locked=meta.get("locked", False),
                               checksum=meta.get("checksum"))
            if meta.get("grade"):
                gb.add_grade_cell(meta["grade_id"], A, A, max_score=meta.get("points", 0),
                                  cell_type=cell.cell_type)
            if meta.get("solution"):
                gb.add_solution_cell(meta["grade_id"], A, A)
    gone = {"ex6_xor", "test_ex6_xor_min_mistakes", "test_ex6_xor_separable"}
    nb = nbformat.from_dict(release)
    nb.cells = [c for c in nb.cells if _gid(c) not in gone]
    config = Config()
    config.OverwriteCells.add_missing_cells = True
    resources = {"nbgrader": {"db_url": url, "assignment": A, "notebook": A, "student": "x"}}
    nb, _ = PutBackCells(config=config)(nb, resources)
    ids = [_gid(c) for c in nb.cells]
    after = ids.index("ex6_intro")
    assert ids[after + 1:after + 3] == ["test_ex6_xor_min_mistakes", "test_ex6_xor_separable"]

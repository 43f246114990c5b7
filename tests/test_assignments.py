"""The autograder, proven with real nbgrader runs.

For every assignment: the committed student version is exactly what nbgrader generates
from the instructor version; the instructor version scores 100; the untouched release
scores 0 without stopping the batch; and every realistic wrong answer kept in
``tests/wrong_answers/<assignment>.py`` loses points in its own exercise and nowhere else.

nbgrader costs seconds per notebook (a kernel each), so the wrong answers reach it packed,
one per exercise in each submission, which proves nbgrader takes points exactly from the
exercises that hold one; each wrong answer is also run alone through the same test cells
in a forked process, which proves it costs nothing in any other exercise; and every test
of its own exercise that fails alone must fail under nbgrader too (the sandboxed grader
lets nothing through that the tests catch).
"""

from __future__ import annotations

import ast
import filecmp
import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest

from tools import grading

SECTIONS = ["01_perceptron", "02_logistic_regression", "03_gradient_descent",
            "04_xor_and_mlps", "05_backpropagation"]
ASSIGNMENTS = grading.assignments()
WRONG = [(a, i, w) for a in ASSIGNMENTS for i, w in enumerate(grading.load_wrong(a))]


def test_every_section_has_an_assignment():
    assert ASSIGNMENTS == SECTIONS


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_cells_follow_the_conventions(assignment):
    nb = grading.load_solution(assignment)
    ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
    assert len(ids) == len(set(ids)), "grade_ids must be unique"
    assert all("nbgrader" in c.metadata for c in nb.cells), "every cell is locked or graded"
    answers = grading.answer_ids(nb)
    tests = grading.test_ids(nb)
    assert sum(tests.values()) == 100
    # Every test belongs to exactly one exercise, and every exercise is tested.
    assert {grading.exercise_of(t, answers) for t in tests} == set(answers)
    for c in nb.cells:
        meta = c.metadata["nbgrader"]
        if meta.get("solution"):
            assert "### BEGIN SOLUTION" in c.source, f"{meta['grade_id']} has no solution"
        if meta.get("grade") and "### BEGIN HIDDEN TESTS" in c.source:
            assert "### END HIDDEN TESTS" in c.source


def _returns_a_value(statement) -> bool:
    """True if a cell's last statement may leave a value: nbgrader would read a number
    there as the cell's score (partial credit)."""
    if not isinstance(statement, ast.Expr):
        return False
    call = statement.value
    name = getattr(getattr(call, "func", None), "id", "") if isinstance(call, ast.Call) else ""
    return not (name == "check" or (name.startswith("assert_") and name != "assert_not_calling"))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_test_cell_ends_with_a_value(assignment):
    nb = grading.load_solution(assignment)
    for c in nb.cells:
        meta = c.metadata["nbgrader"]
        if meta.get("grade") and c.cell_type == "code":
            body = ast.parse(c.source).body
            assert not (body and _returns_a_value(body[-1])), (
                f"{meta['grade_id']} ends with an expression; nbgrader would take a number "
                "there as the cell's score. Assign it (`_ = ...`) instead.")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_at_least_five_wrong_answers_per_exercise(assignment):
    answers = grading.answer_ids(grading.load_solution(assignment))
    cells = [w.cell for w in grading.load_wrong(assignment)]
    assert not set(cells) - set(answers), "wrong answers name unknown cells"
    few = {a: cells.count(a) for a in answers if cells.count(a) < 5}
    assert not few, f"fewer than five wrong answers for {few}"


def _generate(tmp_path, assignment, extra_args=()):
    """Run ``nbgrader generate_assignment`` in a course directory ``tmp_path`` (set up with
    the repository's config and instructor version on first use)."""
    if not (tmp_path / "solutions" / assignment).exists():
        shutil.copy(grading.ROOT / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
        shutil.copytree(grading.ROOT / "solutions" / assignment,
                        tmp_path / "solutions" / assignment)
    return subprocess.run(
        [*grading.NBGRADER, "generate_assignment", assignment, "--no-db",
         *extra_args], cwd=tmp_path, env=grading.nbgrader_env(), capture_output=True,
        text=True)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_is_what_nbgrader_generates(assignment, tmp_path):
    proc = _generate(tmp_path, assignment)
    assert proc.returncode == 0, proc.stderr
    fresh = tmp_path / "assignments" / assignment
    committed = grading.ROOT / "assignments" / assignment
    cmp = filecmp.dircmp(fresh, committed, ignore=[".ipynb_checkpoints", "__pycache__"])
    assert not (cmp.left_only or cmp.right_only), (cmp.left_only, cmp.right_only)
    for name in cmp.common_files:
        assert (fresh / name).read_bytes() == (committed / name).read_bytes(), (
            f"assignments/{assignment}/{name} differs from what nbgrader generates: "
            f"run `make assignments` and commit the result")


def test_solution_region_in_an_untagged_cell_fails(tmp_path):
    assignment = ASSIGNMENTS[0]
    proc = _generate(tmp_path, assignment)
    assert proc.returncode == 0, proc.stderr
    path = tmp_path / "solutions" / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(path, as_version=4)
    answer = next(c for c in nb.cells if c.metadata["nbgrader"].get("solution"))
    del answer.metadata["nbgrader"]
    nbformat.write(nb, path)
    proc = _generate(tmp_path, assignment, ["--force"])
    assert proc.returncode != 0


def _combined(assignment):
    """Wrong answers packed for nbgrader: submission j holds the j-th wrong answer of every
    answer cell that has one (the exercises are independent: tests substitute reference
    versions of earlier answers). Returns {student: (notebook, {cell: wrong index})}."""
    solution = grading.load_solution(assignment)
    per_cell: dict[str, list[int]] = {}
    for i, w in enumerate(grading.load_wrong(assignment)):
        per_cell.setdefault(w.cell, []).append(i)
    wrongs = grading.load_wrong(assignment)
    out = {}
    for j in range(max(map(len, per_cell.values()))):
        nb, chosen = solution, {}
        for cell, indices in per_cell.items():
            if j < len(indices):
                chosen[cell] = indices[j]
                nb = grading.replace_answer(nb, cell, wrongs[indices[j]].source)
        out[f"combined{j:02d}"] = (nb, chosen)
    return out


@pytest.fixture(scope="module")
def graded():
    """Per assignment, with real nbgrader in one batch: the solution, the blank release and
    the packed wrong answers; and, in a separate process, each wrong answer alone run
    through the same test cells (``tools.mutation --wrong-verdicts``). Two at a time."""
    def grade(assignment):
        subs = {"solution": grading.load_solution(assignment),
                "blank": grading.load_release(assignment)}
        subs.update({k: nb for k, (nb, _) in _combined(assignment).items()})
        return grading.grade(assignment, subs)

    def verdicts(assignment):
        proc = subprocess.run(
            [sys.executable, "-m", "tools.mutation", "--wrong-verdicts", assignment],
            cwd=grading.ROOT, env=grading.nbgrader_env(), capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)[assignment]

    with ThreadPoolExecutor(max_workers=2) as pool:
        scores = [pool.submit(grade, a) for a in ASSIGNMENTS]
        alone = [pool.submit(verdicts, a) for a in ASSIGNMENTS]
        return {a: {"scores": s.result(), "alone": v.result()}
                for a, s, v in zip(ASSIGNMENTS, scores, alone, strict=True)}


def _total(scores):
    return sum(score for score, _ in scores.values())


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_scores_full_marks(graded, assignment):
    scores = graded[assignment]["scores"]["solution"]
    lost = {t: s for t, s in scores.items() if s[0] < s[1]}
    assert not lost, f"the instructor version loses points in {lost}"
    assert _total(scores) == 100


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_release_scores_zero(graded, assignment):
    assert _total(graded[assignment]["scores"]["blank"]) == 0


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_packed_wrong_answers_cost_points_exactly_where_they_are(graded, assignment):
    """nbgrader's verdict: every exercise holding the solution keeps full marks, and the
    exercises holding wrong answers lose points between them. (A later exercise may use an
    earlier answer on purpose, e.g. 01's XOR question accepts the value the student's own
    trainer gives, so one exercise per wrong answer is proven by the run alone below.)"""
    answers = grading.answer_ids(grading.load_solution(assignment))
    wrongs = grading.load_wrong(assignment)
    for student, (_, chosen) in _combined(assignment).items():
        scores = graded[assignment]["scores"][student]
        for cell in answers:
            lost = [t for t, (sc, mx) in scores.items()
                    if grading.exercise_of(t, answers) == cell and sc < mx]
            if cell not in chosen:
                assert not lost, f"{student}: {cell} holds the solution but lost {lost}"
        held = {cell: wrongs[i].why for cell, i in chosen.items()}
        assert _total(scores) < 100, f"{student} ({held}) lost no points"


@pytest.mark.parametrize("assignment,index,wrong", WRONG,
                         ids=[f"{a}-{w.cell}-{i}" for a, i, w in WRONG])
def test_wrong_answer_loses_points_in_its_own_exercise_only(graded, assignment, index, wrong):
    """The wrong answer alone fails a test of its own exercise and no other."""
    answers = grading.answer_ids(grading.load_solution(assignment))
    alone = {t: (1.0 if ok else 0.0, 1.0)
             for t, ok in graded[assignment]["alone"][index].items()}
    assert set(alone) == set(grading.test_ids(grading.load_solution(assignment)))
    verdict = grading.wrong_answer_verdict(alone, wrong.cell, answers)
    assert verdict is None, f"{wrong.cell} ({wrong.why}): {verdict}"


# Exercises graded with follow-through: they accept what the student's own earlier answers
# give, so in a packed submission (earlier answers wrong too) they may pass on purpose.
FOLLOW_THROUGH = {"01_perceptron": {"ex6_xor"}, "02_logistic_regression": {"ex6_will_i_pass"}}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_real_grader_fails_every_own_test_that_the_run_alone_fails(graded, assignment):
    """Parity of the two runs: a test of a wrong answer's own exercise that fails when the
    answer is run alone (in-process) also fails under nbgrader and the sandbox. Its own
    exercise's tests see only that answer (earlier answers are replaced by reference
    versions, except in FOLLOW_THROUGH), so packing changes nothing there; a test that
    passes only in the sandbox means the grader lets through what the tests catch (say,
    changes a generator makes to its arguments as it runs)."""
    answers = grading.answer_ids(grading.load_solution(assignment))
    wrongs = grading.load_wrong(assignment)
    missed = []
    for student, (_, chosen) in _combined(assignment).items():
        scores = graded[assignment]["scores"][student]
        for cell, i in chosen.items():
            if cell in FOLLOW_THROUGH.get(assignment, ()):
                continue
            for test, ok in graded[assignment]["alone"][i].items():
                own = grading.exercise_of(test, answers) == cell
                if own and not ok and scores[test][0] >= scores[test][1]:
                    missed.append(f"{student}: {test} passed under nbgrader with "
                                  f"{cell} = {wrongs[i].why!r}")
    assert not missed, "\n".join(missed)

"""Malformed submissions: what JupyterLab lets a careless student do, or a cunning one try.

Each is built from the untouched release (no answer solved), so a fair grader scores it 0,
says why when it cannot grade it, and goes on with the next student. Against nbgrader's
defaults a copied or split answer cell stops the whole batch (nbgrader #1083).
"""

from __future__ import annotations

from nbformat.v4 import new_code_cell

from tools import grading

from . import (
    Submission,
    cheat,
    code_cell,
    copy,
    first_answer_index,
    honest,
    is_answer,
    is_test,
    meta,
    setup_index,
)


@cheat("malformed")
def duplicated_answer_cell(release, assignment, solution):
    """The first answer cell copied (same grade_id and metadata) right below itself."""
    nb = copy(release)
    at = first_answer_index(nb)
    twin = copy({"cells": [nb.cells[at]]}).cells[0]
    twin.id = "copied-answer-cell"
    nb.cells.insert(at + 1, twin)
    return Submission(nb)


@cheat("malformed")
def split_answer_cell(release, assignment, solution):
    """Every answer cell split in two; the second half keeps emptied nbgrader metadata."""
    nb = copy(release)
    for at in reversed([i for i, c in enumerate(nb.cells) if is_answer(c)]):
        cell = nb.cells[at]
        lines = cell.source.splitlines()
        cut = max(1, len(lines) // 2)
        cell.source = "\n".join(lines[:cut])
        rest = new_code_cell("\n".join(lines[cut:]), id=f"split-{at}")
        rest.metadata["nbgrader"] = {}
        nb.cells.insert(at + 1, rest)
    return Submission(nb)


@cheat("malformed")
def deleted_test_cells(release, assignment, solution):
    """Every test cell deleted (nbgrader by default scores a missing test cell 0, no error)."""
    nb = copy(release)
    nb.cells = [c for c in nb.cells if not is_test(c)]
    return Submission(nb)


@cheat("malformed")
def reordered_cells(release, assignment, solution):
    """The cells after the setup cell in reverse order: every test runs before its answer."""
    nb = copy(release)
    start = setup_index(nb) + 1
    nb.cells = nb.cells[:start] + nb.cells[start:][::-1]
    return Submission(nb)


@cheat("malformed")
def edited_test_cells(release, assignment, solution):
    """Every test cell's code replaced by `pass` (its asserts removed), metadata kept."""
    nb = copy(release)
    for cell in nb.cells:
        if is_test(cell):
            cell.source = "pass"
    return Submission(nb)


@cheat("malformed")
def retagged_test_cells(release, assignment, solution):
    """Every test cell re-tagged as an (unlocked, ungraded) answer cell holding `pass`."""
    nb = copy(release)
    for cell in nb.cells:
        if is_test(cell):
            cell.source = "pass"
            m = meta(cell)
            m.update(grade=False, solution=True, locked=False)
            m.pop("points", None)
            cell.metadata.pop("editable", None)
            cell.metadata.pop("deletable", None)
    return Submission(nb)


@cheat("malformed")
def self_awarded_test(release, assignment, solution):
    """A new 100-point test cell holding `pass`, and a `pass` cell with a real test's metadata."""
    nb = copy(release)
    bonus = code_cell("pass", "bonus")
    bonus.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                  "points": 100, "grade_id": "bonus_points",
                                  "schema_version": 3}
    nb.cells.append(bonus)
    first_test = next(c for c in nb.cells if is_test(c))
    fake = code_cell("pass", "fake-test")
    fake.metadata["nbgrader"] = dict(meta(first_test))
    nb.cells.insert(setup_index(nb) + 1, fake)
    return Submission(nb)


@cheat("malformed")
def broken_json(release, assignment, solution):
    """A notebook file that is not JSON (a half-written save)."""
    return Submission(b'{"cells": [{"cell_type": "code", "source": "', files={})


@cheat("malformed")
def wrong_assignment(release, assignment, solution):
    """The next assignment's notebook, fully solved, handed in under this assignment's name."""
    ids = grading.assignments()
    other = ids[(ids.index(assignment) + 1) % len(ids)]
    return Submission(honest(grading.load_release(other), grading.load_solution(other)))


@cheat("malformed")
def renamed_notebook(release, assignment, solution):
    """The notebook handed in as '<a>-Copy1.ipynb': the expected notebook is missing."""
    return Submission(copy(release), notebook_name=f"{assignment}-Copy1.ipynb")

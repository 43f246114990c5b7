"""Grading integrity: the adversarial corpus, graded by the course's real grading command.

For each assignment, one temporary course holds (``tests/adversarial/harness.py``):
honest and blank sentinels graded before every cheat (``aa_*``) and after them (``zz_*``),
and one submission per cheat of ``tests/adversarial`` (``m_<cheat>``; ``n_<cheat>`` for
those that write others' files, graded last), each built from the student version.
``python -m tools.course autograde <a>`` grades them once, then once more with ``--force``.
The properties, each its own test so that a failure names the cheat and what it broke:

- honest students get full marks and blank ones 0, before and after the cheats;
- no cheat scores more than the blank submission;
- the gradebook still exists and holds every student's submission;
- no protected file (``submitted/``, ``solutions/``, ``assignments/``, the config) changes;
- the command finishes, with every student graded or listed as a problem;
- the regrade gives the same grades (``--force`` on the sentinels and the cheats that
  write the gradebook, others' files or a startup file, in ENVIRONMENT_COURSE);
- no secret of the grader's environment reaches a student's graded notebook.

Every cheat is graded, the dangerous ones too (killing processes, fork and memory bombs,
output floods): the grader sandboxes them (``tools/sandbox.py``). The grading command
itself grades in one process per CPU; the courses are graded ``INTEGRITY_JOBS`` (default
1) at a time.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from tests.adversarial import Cheat, all_cheats, harness
from tools import grading

ASSIGNMENTS = grading.assignments()
CHEATS = all_cheats()
JOBS = int(os.environ.get("INTEGRITY_JOBS", "1"))
#: Cheats that attack the grader's surroundings (processes, files, the gradebook, the
#: environment, the notebook file itself) do the same whatever the assignment: they are
#: graded in one course, ENVIRONMENT_COURSE (the quickest to grade honestly). Every cheat
#: that attacks a verdict is graded in all five.
ENVIRONMENT_CATEGORIES = ("batch", "gradebook", "other-files", "secrets")
ENVIRONMENT_NAMES = ("startup_file", "broken_json", "renamed_notebook")
ENVIRONMENT_COURSE = "04_xor_and_mlps"
#: The regrade (``--force``) of ENVIRONMENT_COURSE covers the sentinels and the cheats that
#: write the gradebook, others' files or a startup file (ids ``aa_``, ``n_``, ``zz_``).
REGRADED, REGRADE_STUDENTS = ENVIRONMENT_COURSE, "[anz]*"


def _environment(cheat: Cheat) -> bool:
    return cheat.category in ENVIRONMENT_CATEGORIES or cheat.name in ENVIRONMENT_NAMES


def cheats_for(assignment: str) -> list[Cheat]:
    return [c for c in CHEATS if assignment == ENVIRONMENT_COURSE or not _environment(c)]


CASES = [(a, c) for a in ASSIGNMENTS for c in cheats_for(a)]
FULL_MARKS = 100.0


@dataclass
class Graded:
    course: harness.Course
    first: harness.Run
    regrade: harness.Run | None  # for REGRADED only
    after_first: dict[str, str]  # checksums of the protected files after the first run
    after_regrade: dict[str, str]
    problems: dict[str, list[str]]  # as listed after the first run
    canary_files: list[str]  # files holding the grader's secret, after both runs


def _grade(tmp, assignment: str) -> Graded:
    course = harness.build(tmp / assignment / "course", assignment, cheats_for(assignment))
    first = harness.autograde(course)
    after_first = harness.checksums(course.root)
    problems = harness.problems(course)
    regrade = (harness.autograde(course, "--force", f"--student={REGRADE_STUDENTS}")
               if assignment == REGRADED else None)
    return Graded(course, first, regrade, after_first, harness.checksums(course.root), problems,
                  harness.files_containing(course.root, course.canary))


@pytest.fixture(scope="module")
def _grading(request, tmp_path_factory):
    """Start grading every assignment this session needs, JOBS at a time."""
    wanted = sorted({item.callspec.params.get("graded", item.callspec.params.get("assignment"))
                     for item in request.session.items if hasattr(item, "callspec")
                     and ({"graded", "assignment"} & set(item.callspec.params))}
                    | ({REGRADED} if any(i.name == "test_regrade_reproduces_the_grades"
                                         for i in request.session.items) else set()))
    tmp = tmp_path_factory.mktemp("integrity")
    pool = ThreadPoolExecutor(max_workers=JOBS)
    futures = {a: pool.submit(_grade, tmp, a) for a in wanted}
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, _grading) -> Graded:
    return _grading[request.param].result()


def _show(graded: Graded, students) -> str:
    return ", ".join(f"{s}: {graded.first.scores.get(s)}" for s in students)


def _tail(run: harness.Run) -> str:
    return f"(exit {run.returncode} after {run.seconds:.0f} s)\n{run.output[-3000:]}"


def test_honest_students_get_full_marks(graded):
    got = {s: graded.first.scores[s] for s in harness.HONEST}
    assert got == dict.fromkeys(harness.HONEST, FULL_MARKS), (
        f"{graded.course.assignment}: honest sentinels before and after the cheats: "
        f"{_show(graded, harness.HONEST)}")


def test_blank_submissions_get_zero(graded):
    got = {s: graded.first.scores[s] for s in harness.BLANK}
    assert got == dict.fromkeys(harness.BLANK, 0.0), (
        f"{graded.course.assignment}: blank sentinels before and after the cheats: "
        f"{_show(graded, harness.BLANK)}")


@pytest.mark.parametrize("assignment,cheat", CASES,
                         ids=[f"{a}-{c.name}" for a, c in CASES])
def test_cheat_scores_no_more_than_blank(_grading, assignment, cheat: Cheat):
    graded = _grading[assignment].result()
    blank = graded.first.scores["aa_blank"]
    score = graded.first.scores[harness.student_id(cheat)]
    assert blank is not None and (score or 0.0) <= blank, (
        f"{graded.course.assignment}: {cheat.name} ({cheat.category}: {cheat.doc}) scored "
        f"{score}; the blank submission scored {blank}")


def test_gradebook_keeps_every_submission(graded):
    db = graded.course.root / "gradebook.db"
    assert db.exists(), f"{graded.course.assignment}: gradebook.db was deleted"
    missing = [s for s, v in graded.first.scores.items() if v is None]
    assert not missing, (f"{graded.course.assignment}: no submission in the gradebook for "
                         f"{missing}")


def _diff(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return ([f"changed {k}" for k in sorted(before) if k in after and after[k] != before[k]]
            + [f"deleted {k}" for k in sorted(set(before) - set(after))]
            + [f"added {k}" for k in sorted(set(after) - set(before))])


def test_no_protected_file_changes(graded):
    first = _diff(graded.course.checksums, graded.after_first)
    regrade = _diff(graded.after_first, graded.after_regrade)
    assert not first and not regrade, (
        f"{graded.course.assignment}: files changed while grading:\n  "
        + "\n  ".join(first) + "\nand during the regrade:\n  " + "\n  ".join(regrade))


def test_batch_finishes(graded):
    run = graded.first
    assert run.returncode is not None and run.returncode >= 0, (
        f"{graded.course.assignment}: the grading command was killed or hung {_tail(run)}")
    unaccounted = [s for s, v in run.scores.items() if v is None and s not in graded.problems]
    assert not unaccounted, (f"{graded.course.assignment}: neither graded nor listed as a "
                             f"problem: {unaccounted} {_tail(run)}")


def test_regrade_reproduces_the_grades(_grading):
    graded = _grading[REGRADED].result()
    run = graded.regrade
    assert run.returncode is not None and run.returncode >= 0, (
        f"{graded.course.assignment}: the regrade was killed or hung {_tail(run)}")
    regraded = [s for s in graded.first.scores if s[0] in "anz"]
    assert set(harness.HONEST + harness.BLANK) <= set(regraded), regraded
    assert any(s.startswith("n_") for s in regraded), regraded
    differ = {s: (graded.first.scores[s], run.scores.get(s)) for s in regraded
              if run.scores.get(s) != graded.first.scores[s]}
    assert not differ, (f"{graded.course.assignment}: grades changed on regrading "
                        f"(first, regrade): {differ}")


def test_no_secret_reaches_students(graded):
    assert not graded.canary_files, (
        f"{graded.course.assignment}: the grader's secret (GRADER_API_TOKEN) was written into "
        f"{graded.canary_files}")

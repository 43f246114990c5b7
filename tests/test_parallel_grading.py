"""``course autograde --jobs N``: how the students are handed out to the grading processes.

The processes are stand-ins (a few lines of Python speaking the worker's protocol), so
these tests check the hand-out alone: every student graded exactly once, the next student
to whichever process is free, failures and dead processes reported while the others go
on. Real grading in parallel runs in the workflow and integrity tests (``--jobs`` defaults
to one process per CPU) and in ``benchmarks/grading.py``, which also compares its grades
with serial nbgrader's.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tools import autograde

# A stand-in for tools/autograde_worker.py: appends "<pid> <student> <args>" to the log,
# answers "done <student> <0|1>", and behaves as the student's name says: slow-* takes
# 0.5 s, fail-* is reported failed, crash-* kills the process before it answers.
FAKE = """
import os, sys, time
log = open(sys.argv[1], "a")
for line in sys.stdin:
    student = line.strip()
    log.write(f"{os.getpid()} {student} {' '.join(sys.argv[2:])}\\n"); log.flush()
    if student.startswith("slow-"):
        time.sleep(0.5)
    if student.startswith("crash-"):
        os._exit(3)
    print(f"done {student} {int(student.startswith('fail-'))}", flush=True)
"""


def _grade(tmp_path: Path, students, jobs: int):
    log = tmp_path / "graded.log"
    worker = [sys.executable, "-c", FAKE, str(log)]
    status = autograde._autograde_in_parallel(tmp_path, ["ps1", "--force"], students, jobs,
                                           worker=worker)
    rows = [line.split() for line in log.read_text().splitlines()] if log.exists() else []
    return status, rows


def test_every_student_is_graded_once_with_the_command_s_options(tmp_path):
    students = [f"s{i:02d}" for i in range(9)]
    status, rows = _grade(tmp_path, students, jobs=3)
    assert status == 0
    assert sorted(r[1] for r in rows) == students
    assert len({r[0] for r in rows}) == 3  # three processes took part
    for row in rows:  # the assignment and options, and a CPU of its own
        assert row[2:4] == ["ps1", "--force"] and row[4].startswith("--IsolatedExecute.cpu=")
    cpus = {r[0]: r[4] for r in rows}
    assert sorted(set(cpus.values())) == [f"--IsolatedExecute.cpu={k}" for k in range(3)]


def test_the_next_student_goes_to_the_free_process(tmp_path):
    # one slow submission: the other process grades everything else meanwhile
    students = ["slow-a", "b", "c", "d", "e"]
    status, rows = _grade(tmp_path, students, jobs=2)
    assert status == 0
    by_process = {}
    for pid, student, *_ in rows:
        by_process.setdefault(pid, []).append(student)
    assert sorted(by_process.values()) == [["b", "c", "d", "e"], ["slow-a"]]


def test_a_failed_submission_is_reported_and_the_rest_graded(tmp_path, capsys):
    status, rows = _grade(tmp_path, ["a", "fail-b", "c", "d"], jobs=2)
    assert status == 1
    assert sorted(r[1] for r in rows) == ["a", "c", "d", "fail-b"]


def test_a_dead_process_is_reported_and_the_others_go_on(tmp_path, capsys):
    students = ["a", "crash-b", "c", "d", "e", "f"]
    status, rows = _grade(tmp_path, students, jobs=2)
    assert status == 1
    assert sorted(r[1] for r in rows) == sorted(students)  # each handed out once
    err = capsys.readouterr().err
    assert "stopped while grading crash-b (exit code 3)" in err
    assert "grade it again with `python -m tools.course autograde ps1 --student=crash-b " \
        "--force`" in err


def test_students_left_when_every_process_died_are_named(tmp_path, capsys):
    status, rows = _grade(tmp_path, ["crash-a", "b", "c"], jobs=1)
    assert status == 1
    assert [r[1] for r in rows] == ["crash-a"]
    assert "not graded: b, c; run `python -m tools.course autograde ps1` again" in \
        capsys.readouterr().err

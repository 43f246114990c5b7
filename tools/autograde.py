"""``python -m tools.course autograde``: check every submission, then grade it.

Each submission is checked before nbgrader sees it (``precheck``: a renamed notebook, a
copied or split answer cell, a notebook that is not one), unreadable ones score 0 without
running nbgrader, and the others are graded by nbgrader's autograde with the course's
isolation (``IsolatedExecute``), one student at a time in each of ``--jobs`` processes
(``tools/autograde_worker.py``). Submitted files are only ever read.
"""

from __future__ import annotations

import csv
import glob
import shlex
import shutil
import sys
from pathlib import Path

import nbformat

from tools import duedate, grading
from tools.course import REPORTS, load_coursedir, run_nbgrader

__all__ = ["cmd_autograde", "precheck", "check_isolation"]


def precheck(coursedir, assignment: str, student: str = "*"):
    """Problems of each submission of ``assignment``, before nbgrader sees them.

    Returns
    -------
    problems : dict
        ``{student: [(notebook, problem, what happens), ...]}`` for students with problems.
    unreadable : set of str
        Students with a notebook nbgrader cannot read: graded 0 without running nbgrader.
    """
    from nbgrader.api import Gradebook, MissingEntry

    from tools.nbgrader_plugins import find_problems

    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        try:
            notebooks = gb.find_assignment(assignment).notebooks
        except MissingEntry:
            raise SystemExit(f"error: {assignment} is not in the gradebook; run "
                             f"`python -m tools.course release {assignment}` first.") from None
        known = {nb.name: {c.name for c in nb.source_cells} for nb in notebooks}
    problems, unreadable = {}, set()
    pattern = coursedir.format_path(coursedir.submitted_directory, student, assignment)
    for folder in sorted(glob.glob(pattern)):
        name = Path(folder).parent.name
        found = []
        for notebook, ids in sorted(known.items()):
            path = Path(folder) / f"{notebook}.ipynb"
            if not path.exists():
                others = sorted(p.name for p in Path(folder).glob("*.ipynb"))
                found.append((notebook, f"no {notebook}.ipynb in the submission"
                              + (f" (it has {', '.join(others)})" if others else ""),
                              f"scores 0; ask the student to rename it to {notebook}.ipynb "
                              "and submit again (a copy renamed in submitted/ is graded, but "
                              "the student cannot fetch its feedback)"))
                continue
            try:
                nb = nbformat.read(path, as_version=4)
                cell_problems = find_problems(nb, ids)
            except Exception as err:  # noqa: BLE001 (any unreadable file, same treatment)
                unreadable.add(name)
                found.append((notebook, f"the notebook cannot be read ({type(err).__name__}: "
                              f"{str(err).splitlines()[0] if str(err) else ''})",
                              "scores 0; ask the student to resubmit"))
                continue
            found += [(notebook, problem, action) for _, problem, action in cell_problems]
            if not ids & {c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                          for c in nb.cells}:
                found.append((notebook, "none of its cells is a cell of the assignment (their "
                              "nbgrader metadata is gone: pasted into a new notebook?)",
                              "its tests are put back but no answer is found; ask the "
                              "student to fetch the assignment into another folder, paste "
                              "the answers into its answer cells and submit again"))
        if found:
            problems[name] = found
    return problems, unreadable


def _record_zero(coursedir, assignment: str, students) -> None:
    """Give unreadable submissions 0 (manual grades kept), as nbgrader does for a missing
    notebook, so they appear in the gradebook and the export; drop what an earlier
    submission left in autograded/, as nbgrader does for a submission it fails on."""
    from nbgrader.api import Gradebook

    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        for student in sorted(students):
            stale = Path(coursedir.format_path(coursedir.autograded_directory, student,
                                               assignment))
            if stale.exists():
                print(f"removing {stale} (graded from an earlier submission)", file=sys.stderr)
                shutil.rmtree(stale)
            stamp = coursedir.get_existing_timestamp(
                coursedir.format_path(coursedir.submitted_directory, student, assignment))
            gb.update_or_create_student(student)
            submission = gb.update_or_create_submission(
                assignment, student, **({"timestamp": stamp} if stamp else {}))
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    grade.auto_score = 0
                    grade.needs_manual_grade = grade.manual_score is not None
            gb.db.commit()


def _write_problems(root: Path, assignment: str, checked, problems) -> Path:
    path = root / REPORTS / f"{assignment}-problems.csv"
    rows = []
    if path.exists():
        with path.open(newline="") as fh:
            rows = [r for r in csv.DictReader(fh) if r["student"] not in checked]
    rows += [{"student": s, "notebook": nb, "problem": p, "action": a}
             for s, items in problems.items() for nb, p, a in items]
    path.parent.mkdir(exist_ok=True)
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, ["student", "notebook", "problem", "action"])
        writer.writeheader()
        writer.writerows(sorted(rows, key=lambda r: (r["student"], r["notebook"])))
    return path


def _print_totals(coursedir, assignment: str, students) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        subs = {s.student_id: s for s in gb.assignment_submissions(assignment)}
        for student in sorted(students):
            if student in subs:
                s = subs[student]
                late, penalty = "", s.late_submission_penalty or 0
                if s.total_seconds_late > 0:
                    late = f"   late by {duedate.lateness(s.total_seconds_late)}"
                    if penalty:
                        late += f": {s.score:g} less a late penalty of {penalty:g}"
                print(f"  {student:<24} {s.score - penalty:6.2f} / {s.max_score:g}{late}")


def check_isolation(isolation: str) -> str | None:
    """Why grading with ``isolation`` cannot start here (None: it can)."""
    from tools.sandbox import bwrap_available, mlkit_mismatch

    if isolation == "bwrap":
        problem = bwrap_available()
        if problem:
            return (f"{problem}. The autograder runs each submission in a bubblewrap "
                    "sandbox; install it, or grade with --isolation=process (read what that "
                    "leaves unprotected in tools/sandbox.py).")
    return mlkit_mismatch()


def cmd_autograde(root: Path, args, extra) -> int:
    problem = check_isolation(args.isolation)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    if args.isolation == "process":
        print("WARNING --isolation=process: the verdicts are still decided outside the "
              "students' code, but their code can read and write whatever this user can "
              "(solutions/, the gradebook). Prefer bubblewrap, or grade as a separate user "
              "who cannot read the course folder.", file=sys.stderr)
    extra = [*extra, f"--IsolatedExecute.isolation={args.isolation}"]
    _, coursedir = load_coursedir(root)
    student = args.student or "*"
    pattern = coursedir.format_path(coursedir.submitted_directory, student, args.assignment)
    checked = sorted(Path(p).parent.name for p in glob.glob(pattern))
    if not checked:
        print(f"error: no submissions match {pattern}; run `collect` first.", file=sys.stderr)
        return 1
    problems, unreadable = precheck(coursedir, args.assignment, student)
    report = _write_problems(root, args.assignment, checked, problems)
    for name, items in problems.items():
        for notebook, problem, action in items:
            print(f"WARNING {name}/{notebook}: {problem}; {action}.", file=sys.stderr)
    if problems:
        print(f"({sum(map(len, problems.values()))} problem(s) listed in {report})",
              file=sys.stderr)
    status = 0
    todo = [s for s in checked if s not in unreadable]
    if todo:
        options = [args.assignment, *extra, *(["--force"] if args.force else [])]
        jobs = max(1, min(args.jobs, len(todo)))
        if jobs == 1:
            if args.student:
                options.append(f"--student={args.student}")
            if unreadable:
                options.append(
                    f"--CourseDirectory.student_id_exclude={','.join(sorted(unreadable))}")
            status = run_nbgrader(root, "autograde", *options)
        else:
            status = _autograde_in_parallel(root, options, todo, jobs)
    if unreadable:
        _record_zero(coursedir, args.assignment, unreadable)
    print(f"{args.assignment}: scores")
    _print_totals(coursedir, args.assignment, checked)
    if status:
        print("nbgrader reported errors (see above); the other submissions are graded.",
              file=sys.stderr)
    return status


WORKER = [sys.executable, "-m", "tools.autograde_worker"]


def _autograde_in_parallel(root: Path, options: list[str], todo, jobs: int,
                           worker: list[str] = WORKER) -> int:
    """Grade the students ``todo`` with ``nbgrader autograde <options>`` (the assignment
    first) in ``jobs`` processes (``tools/autograde_worker.py``), each running
    nbgrader's autograde converter for one student at a time, all writing to the one
    gradebook. Each student goes to whichever process is free next, so the CPUs stay
    busy however the slow submissions are spread. Every student is graded exactly once;
    if a process dies, its student is reported and the others go on."""
    import selectors
    import subprocess

    queue = list(todo)
    print(f"$ nbgrader autograde {shlex.join(options)}  (in {jobs} processes, one student at "
          f"a time each, {len(todo)} submissions)", flush=True)
    selector, current, status = selectors.DefaultSelector(), {}, 0

    def give(proc) -> None:  # the next student to a free process, or the end
        current.pop(proc, None)
        try:
            if queue:
                proc.stdin.write(queue[0] + "\n")
                proc.stdin.flush()
                current[proc] = queue.pop(0)
            else:
                proc.stdin.close()
        except OSError:  # it has stopped: the student stays in the queue for the others
            pass

    procs = []
    for number in range(jobs):
        proc = subprocess.Popen(
            [*worker, *options, f"--IsolatedExecute.cpu={number}"], cwd=root,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env=grading.nbgrader_env(keep=True))
        selector.register(proc.stdout, selectors.EVENT_READ, proc)
        procs.append(proc)
        give(proc)
    while selector.get_map():
        for key, _ in selector.select():
            proc, line = key.data, key.fileobj.readline()
            if line.startswith("done "):
                status = max(status, int(line.split()[-1] != "0"))
                give(proc)
                continue
            selector.unregister(key.fileobj)  # the process has ended
            key.fileobj.close()
            if proc in current:
                status = 1
                print(f"error: the grading process stopped while grading {current[proc]} "
                      f"(exit code {proc.wait()}); grade it again with `python -m "
                      f"tools.course autograde {options[0]} --student={current[proc]} "
                      "--force`.", file=sys.stderr)
    for proc in procs:
        try:
            proc.stdin.close()
        except OSError:  # (a process that died with a student's id unread)
            pass
    if queue:  # every process stopped early
        print(f"error: not graded: {', '.join(queue)}; run `python -m tools.course "
              f"autograde {options[0]}` again (graded submissions are kept).",
              file=sys.stderr)
    return max(status, int(bool(queue)), *(int(proc.wait() != 0) for proc in procs))

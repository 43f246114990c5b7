"""Instructor commands: nbgrader's grading cycle for this course, one command per step.

Run from the course root (the folder with ``nbgrader_config.py``; ``--root`` to run from
elsewhere). Each step runs nbgrader's own command and prints it first, so what happens
can be repeated by hand::

    python -m tools.course generate [ASSIGNMENT ...]   # solutions/ -> assignments/ (+ gradebook)
    python -m tools.course release ASSIGNMENT [--duedate WHEN]  # ... and put it in the exchange
    python -m tools.course duedate ASSIGNMENT [WHEN | none]      # show, set or clear it
    python -m tools.course extend ASSIGNMENT STUDENT [2d | 36h | none]  # one student's
    python -m tools.course collect ASSIGNMENT [--latest]  # exchange -> submitted/ (the newest
                                                       # by the due date, if there is one)
    python -m tools.course autograde ASSIGNMENT [--student ID] [--force] [--jobs N]
                                     [--isolation bwrap|process]
    python -m tools.course feedback ASSIGNMENT [--student ID]   # feedback/ -> exchange
    python -m tools.course export                      # every grade -> reports/grades.csv
    python -m tools.course summary ASSIGNMENT          # per exercise -> reports/<a>-summary.csv
    python -m tools.course student-config              # nbgrader config for the students

Options this module does not know (``--Execute.timeout=30``,
``--ExchangeCollect.check_owner=False``, ...) are passed on to nbgrader.

What it adds to nbgrader: ``autograde`` (``tools/autograde.py``) grades each submission
isolated (its code in a bubblewrap sandbox, the tests in a separate trusted process:
``IsolatedExecute`` in ``tools/nbgrader_plugins.py``), in one process per CPU (``--jobs``,
each taking the next student when free: ``tools/autograde_worker.py``), and checks every
submission first and reports each malformed one (copied or split nbgrader cells are graded
after repair, see ``tools/nbgrader_plugins.py``; an unreadable notebook scores 0 and is
listed in ``reports/<assignment>-problems.csv``) instead of letting it fail; due dates
(``tools/duedate.py``) decide what ``collect`` takes and who is reported late;
``summary`` shows which exercise the class found hard. Submitted files are only ever read.
"""

from __future__ import annotations

import argparse
import csv
import os
import shlex
import shutil
import sys
from pathlib import Path

import nbformat

from tools import duedate, grading

__all__ = ["main", "load_coursedir", "summarize", "student_config"]

REPORTS = "reports"


def run_nbgrader(root: Path, *args: str) -> int:
    """Run ``nbgrader <args>`` in the course root, echoing the command; return its exit code."""
    print("$ " + shlex.join(["nbgrader", *args]), flush=True)
    return grading.nbgrader_main(list(args), cwd=root)


def load_coursedir(root: Path):
    """``(config, CourseDirectory)`` as ``root/nbgrader_config.py`` configures nbgrader."""
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    if not (root / "nbgrader_config.py").exists():
        above = next((p for p in root.parents if (p / "nbgrader_config.py").exists()), None)
        raise SystemExit(f"error: no nbgrader_config.py in {root}; run from the course root"
                         + (f" ({above}: cd {above})" if above else "") + " or pass --root.")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    coursedir = CourseDirectory(config=config)
    if "root" not in config.CourseDirectory:
        coursedir.root = str(root)
    return config, coursedir


# --- summary -----------------------------------------------------------------------------
def _headings(nb) -> dict[str, str]:
    """answer grade_id -> the heading of its exercise (the last markdown heading before)."""
    out, heading = {}, None
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("#"):
            heading = cell.source.lstrip().splitlines()[0].lstrip("#").strip()
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and heading:
            out.setdefault(meta["grade_id"], heading)
    return out


def summarize(coursedir, assignment: str) -> list[dict]:
    """Per test cell and per exercise: max, mean, how many at full marks and at zero.

    An exercise is an answer cell with the test cells named ``test_<answer id>...``
    (``tools.grading.exercise_of``); a test cell that fits none is its own exercise.
    Returns rows (dicts) in notebook order, each exercise before its test cells.
    """
    from nbgrader.api import Gradebook, MissingEntry

    rows = []
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        try:
            notebooks = gb.find_assignment(assignment).notebooks
        except MissingEntry:
            raise SystemExit(f"error: {assignment} is not in the gradebook.") from None
        # not the records that only hold an extension (tools.course extend)
        subs = [s for s in gb.assignment_submissions(assignment) if not duedate.placeholder(s)]
        for notebook in notebooks:
            source = Path(coursedir.format_path(coursedir.source_directory, ".", assignment),
                          f"{notebook.name}.ipynb")
            nb = nbformat.read(source, as_version=4) if source.exists() else None
            answers = grading.answer_ids(nb) if nb else [c.name for c in notebook.solution_cells]
            headings = _headings(nb) if nb else {}
            points = {c.name: c.max_score for c in notebook.grade_cells}  # as released
            order = [t for t in grading.test_ids(nb) if t in points] if nb else []
            tests = {t: points[t] for t in order + sorted(set(points) - set(order))}
            per_sub = []  # {test cell: score} of each submission
            for sub in subs:
                for nbsub in sub.notebooks:
                    if nbsub.name == notebook.name:
                        per_sub.append({g.name: float(g.score) for g in nbsub.grades})
            groups: dict[str, list[str]] = {}
            for test in tests:
                try:
                    key = grading.exercise_of(test, answers)
                except ValueError:
                    key = test
                groups.setdefault(key, []).append(test)
            for key, members in groups.items():
                label = headings.get(key, key)
                rows.append(_row("exercise", notebook.name, label, key,
                                 float(sum(tests[t] for t in members)),
                                 [sum(g.get(t, 0.0) for t in members) for g in per_sub]))
                if len(members) > 1 or members[0] != key:
                    rows += [_row("test", notebook.name, label, t, float(tests[t]),
                                  [g.get(t, 0.0) for g in per_sub]) for t in members]
    return rows


def _row(level, notebook, exercise, cell, top, values) -> dict:
    n = len(values)
    return {"level": level, "notebook": notebook, "exercise": exercise, "cell": cell,
            "max": top, "submissions": n,
            "mean": round(sum(values) / n, 2) if n else "",
            "full": sum(v >= top for v in values), "zero": sum(v == 0 for v in values)}


def cmd_summary(root: Path, args, extra) -> int:
    _, coursedir = load_coursedir(root)
    rows = summarize(coursedir, args.assignment)
    if not rows or not rows[0]["submissions"]:
        print(f"{args.assignment}: no graded submissions yet; run `autograde` first.")
        return 1
    print(f"{args.assignment}: {rows[0]['submissions']} graded submission(s)")
    print(f"{'exercise / test cell':<58} {'max':>5} {'mean':>6} {'full':>5} {'zero':>5}")
    for r in rows:
        label = r["exercise"] if r["level"] == "exercise" else "  " + r["cell"]
        print(f"{label[:58]:<58} {r['max']:5g} {r['mean']:6.2f} {r['full']:5d} {r['zero']:5d}")
    path = Path(args.csv) if args.csv else root / REPORTS / f"{args.assignment}-summary.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"written: {path}")
    return 0


# --- the other commands ---------------------------------------------------------------------
def student_config(config) -> str:
    """The nbgrader configuration students need: the course id and the exchange."""
    course = config.CourseDirectory.get("course_id", "")
    exchange = config.Exchange.get("root", "/srv/nbgrader/exchange")
    lines = [
        f"# nbgrader configuration for the students of {course}. On a JupyterHub install it",
        "# as /etc/jupyter/nbgrader_config.py; on a laptop, as ~/.jupyter/nbgrader_config.py",
        "# (or keep it in the folder where you run JupyterLab or tools.student).",
        "c = get_config()  # noqa: F821",
        f"c.CourseDirectory.course_id = {course!r}",
        f"c.Exchange.root = {str(exchange)!r}",
    ]
    if "path_includes_course" in config.Exchange:
        lines.append(f"c.Exchange.path_includes_course = {config.Exchange.path_includes_course}")
    # refuse a submission whose notebook was renamed (it would score 0)
    lines.append(f"c.ExchangeSubmit.strict = {config.ExchangeSubmit.get('strict', True)}")
    return "\n".join(lines) + "\n"


def check_assignment(root: Path, name: str) -> str:
    """``name`` as nbgrader needs it (no trailing slash: ``01_perceptron/`` would record an
    assignment named '' in the gradebook), or exit naming the assignments in solutions/."""
    import difflib

    name = name.rstrip("/")
    source = root / load_coursedir(root)[1].source_directory
    known = sorted(p.name for p in source.iterdir() if (p / f"{p.name}.ipynb").exists())
    if name not in known:
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
        raise SystemExit(f"error: no assignment {name!r} in {source}"
                         + (f"; did you mean {close[0]}?" if close else "")
                         + f" (the assignments: {', '.join(known)})")
    return name


def check_exchange(config) -> None:
    """Exit if NBGRADER_EXCHANGE names a folder that does not exist (nbgrader would create
    it, and students would never see what is released there); say which exchange is used."""
    root, env = config.Exchange.root, os.environ.get("NBGRADER_EXCHANGE")
    if env and not Path(env).is_dir():
        raise SystemExit(f"error: NBGRADER_EXCHANGE={env} is not a folder; fix the path, or "
                         f"create the exchange: mkdir -p {env} && chmod 777 {env}")
    print(f"exchange: {root}" + ("" if env else " (NBGRADER_EXCHANGE is not set: the "
                                 "course's own exchange/)"), flush=True)


def _generate(root: Path, step: list[str], extra) -> int:
    """``nbgrader generate_assignment``, restoring the student version it deletes first
    (``--force``) when it fails: nbgrader refuses, for one, to add or remove a graded cell
    once there are submissions, after removing assignments/<a>/."""
    import tempfile

    coursedir = load_coursedir(root)[1]
    release = Path(coursedir.format_path(coursedir.release_directory, ".", step[1]))
    with tempfile.TemporaryDirectory() as tmp:
        if release.is_dir():
            shutil.copytree(release, Path(tmp) / "copy", symlinks=True)
        status = run_nbgrader(root, *step, *extra)
        if status and (Path(tmp) / "copy").is_dir():
            shutil.rmtree(release, ignore_errors=True)
            shutil.copytree(Path(tmp) / "copy", release, symlinks=True)
            print(f"error: generating {step[1]} failed (see above); {release} is restored as "
                  "it was and nothing was released. (If nbgrader says it cannot add or remove "
                  "cells because there are submissions: keep the cell, give it 0 points; a "
                  "student given an extension counts as one until they submit, and extend "
                  f"{step[1]} ID none undoes that.)",
                  file=sys.stderr)
    return status


def cmd_simple(root: Path, args, extra) -> int:
    """The commands that are one or two nbgrader commands each."""
    a, who = getattr(args, "assignment", None), []
    if getattr(args, "student", None):
        who = [f"--student={args.student}"]
    if args.command in ("release", "collect", "feedback"):
        config, coursedir = load_coursedir(root)
        check_exchange(config)
        released = Path(config.Exchange.root) / coursedir.course_id / "outbound" / a
        if args.command == "release" and not args.force and released.is_dir():
            print(f"error: {a} is released already ({released}); to replace it (students "
                  f"who fetched it keep their copy): make release A={a} FORCE=1, or "
                  "python -m tools.course release --force", file=sys.stderr)
            return 1
    if args.command == "generate":
        source = root / load_coursedir(root)[1].source_directory
        ids = a or sorted(p.name for p in source.iterdir() if (p / f"{p.name}.ipynb").exists())
        steps = [["generate_assignment", i, "--force"] for i in ids]
    elif args.command == "release":
        steps = [["generate_assignment", a, "--force"],
                 *([duedate.nbgrader_step(a, args.due)] if args.due else []),
                 ["release_assignment", a, *(["--force"] if args.force else [])]]
    elif args.command == "collect":
        policy = duedate.collect_options(load_coursedir(root)[1], a, args.latest)
        steps = [["collect", a, "--update", *who, *policy]]
    elif args.command == "feedback":
        steps = [["generate_feedback", a, "--force", *who], ["release_feedback", a, *who]]
    else:  # export
        to = Path(args.to) if args.to else root / REPORTS / "grades.csv"
        to.parent.mkdir(parents=True, exist_ok=True)
        steps = [["export", f"--to={to.resolve()}"]]
    for step in steps:
        if step[0] == "generate_assignment":
            status = _generate(root, step, extra)
        else:
            status = run_nbgrader(root, *step, *extra)
        if status:
            return status
    if args.command == "export":
        with to.open(newline="") as fh:
            rows = sum(1 for _ in csv.DictReader(fh))
        print(f"written: {to} ({rows} grades)" if rows else
              f"written: {to}, with no grades: nothing has been graded yet (run autograde "
              "first)")
    return 0


# --- due dates (tools/duedate.py) ------------------------------------------------------------
def _parse_duedate(text: str | None):
    """The due date ``text`` names (None for none), or exit saying what to write."""
    if not text or text.lower() == "none":
        return None
    try:
        return duedate.parse(text)
    except ValueError as err:
        raise SystemExit(f"error: {err}") from None


def cmd_duedate(root: Path, args, extra) -> int:
    """Show, set or clear the due date of an assignment (main has checked its name)."""
    a, coursedir = args.assignment, load_coursedir(root)[1]
    if args.when is None:
        print(duedate.show(coursedir, a))
        return 0
    if args.when.lower() == "none":
        print(duedate.clear(coursedir, a))
        return 0
    return run_nbgrader(root, *duedate.nbgrader_step(a, args.due), *extra)


def cmd_extend(root: Path, args, extra) -> int:
    """Show, give or take away one student's extension (main has read ``args.by``)."""
    config, coursedir = load_coursedir(root)
    a, student = args.assignment, args.student
    # who submitted, to any assignment: in the exchange, or collected
    inbound = Path(config.Exchange.root) / coursedir.course_id / "inbound"
    submitted = Path(coursedir.root) / coursedir.submitted_directory
    others = ({p.name.split("+")[0] for p in inbound.glob("*+*")}
              | {p.name for p in submitted.glob("*") if p.is_dir()})
    try:
        if args.by is None:
            print(duedate.extension_of(coursedir, a, student, others))
        else:
            print(duedate.extend(coursedir, a, student, args.extension, others))
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tools.course", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=".", help="the course root (default: here)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("generate", help="regenerate the student versions (and the gradebook)")
    p.add_argument("assignment", nargs="*", help="assignment ids (default: all)")
    p = sub.add_parser("release", help="generate, then release an assignment to the exchange")
    p.add_argument("assignment")
    p.add_argument("--force", action="store_true", help="replace an earlier release")
    p.add_argument("--duedate", metavar="WHEN", help="record the due date, e.g. "
                   "'2026-12-14 23:59' (this machine's time zone) or "
                   "'2026-12-14 23:59 Europe/Berlin'")
    p = sub.add_parser("duedate", help="show, set or clear (none) an assignment's due date")
    p.add_argument("assignment")
    p.add_argument("when", nargs="?", help="as for release --duedate; none clears it")
    p = sub.add_parser("extend", help="show, give or take away (none) one student's extension")
    p.add_argument("assignment")
    p.add_argument("student")
    p.add_argument("by", nargs="?", help="more time after the due date: 2d, 36h, 1d 12h, "
                   "90min; none takes it away")
    p = sub.add_parser("collect", help="collect the submissions (a newer one replaces; with "
                       "a due date, the newest made by then)")
    p.add_argument("assignment")
    p.add_argument("--latest", action="store_true", help="take the newest submission even "
                   "if it came after the due date (with --student: one student's; for more "
                   "time, see extend)")
    p.add_argument("--student", help="only this student")
    p = sub.add_parser("autograde", help="check, then autograde submissions")
    p.add_argument("assignment")
    p.add_argument("--student", help="only this student")
    p.add_argument("--force", action="store_true", help="regrade graded submissions too")
    p.add_argument("--isolation", choices=["bwrap", "process"],
                   default=os.environ.get("GRADING_ISOLATION", "bwrap"),
                   help="how students' code is isolated (default: bwrap, i.e. bubblewrap; "
                   "or set GRADING_ISOLATION); see tools/sandbox.py")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="grade in this many processes at once (default: one per CPU)")
    p = sub.add_parser("feedback", help="generate the feedback and release it")
    p.add_argument("assignment")
    p.add_argument("--student", help="only this student")
    p = sub.add_parser("export", help="every grade to a CSV file (reports/grades.csv)")
    p.add_argument("--to", help="the CSV file")
    p = sub.add_parser("summary", help="per exercise: mean, full marks, zeros")
    p.add_argument("assignment")
    p.add_argument("--csv", help="the CSV file (reports/<assignment>-summary.csv)")
    sub.add_parser("student-config", help="print the nbgrader config students need")
    return parser


def main(argv=None) -> int:
    args, extra = _parser().parse_known_args(argv)
    bad = [x for x in extra if not x.startswith("--")]
    if bad:
        _parser().error(f"unrecognized arguments: {' '.join(bad)}")
    root = Path(args.root).resolve()
    # a due date it cannot read stops it before anything is touched
    args.due = _parse_duedate(getattr(args, "duedate", None) or getattr(args, "when", None))
    if args.command == "extend" and args.by is not None:
        try:
            args.extension = duedate.parse_extension(args.by)
        except ValueError as err:
            raise SystemExit(f"error: {err}") from None
    load_coursedir(root)  # exits unless root is the course root
    if isinstance(getattr(args, "assignment", None), str):
        args.assignment = check_assignment(root, args.assignment)
    elif getattr(args, "assignment", None):  # generate
        args.assignment = [check_assignment(root, a) for a in args.assignment]
    if args.command == "autograde":
        from tools.autograde import cmd_autograde

        return cmd_autograde(root, args, extra)
    if args.command == "summary":
        return cmd_summary(root, args, extra)
    if args.command == "duedate":
        return cmd_duedate(root, args, extra)
    if args.command == "extend":
        return cmd_extend(root, args, extra)
    if args.command == "student-config":
        sys.stdout.write(student_config(load_coursedir(root)[0]))
        return 0
    return cmd_simple(root, args, extra)


if __name__ == "__main__":
    sys.exit(main())

"""Grading throughput: plain ``nbgrader autograde`` against the course's grading command.

    python benchmarks/grading.py [--n 40] [--repeat 5] [--assignment 05_backpropagation]

Builds a throw-away course with ``--n`` synthetic submissions of one assignment (honest
ones, blank ones, and honest ones with one realistic wrong answer from
``tests/wrong_answers/``), then grades all of them, in one run, with

- ``nbgrader``: plain ``nbgrader autograde`` with nbgrader's own configuration (one
  kernel per submission, serial, no isolation): the baseline;
- ``course -jN``: ``python -m tools.course autograde --jobs N`` (default: one per CPU):
  the course's command, each submission sandboxed and judged outside the student's
  process, in N processes that each take the next student when free, writing one
  gradebook;
- with ``--serial``, also ``course -j1``: the course's command in one process; the
  difference to the baseline is the cost of the isolation.

For each it prints the median wall time over ``--repeat`` runs, submissions per minute,
the ratio to the baseline, and checks that every run gave every student exactly one
grade, the same as the baseline's (no lost or duplicated grades). Not a test: run it on
a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools import grading  # noqa: E402

PLAIN_CONFIG = """\
c = get_config()  # noqa: F821 (plain nbgrader: its defaults, the course's folders)
c.CourseDirectory.course_id = "intro-dl"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"
c.Execute.timeout = 120
"""


def _solution_sources(nb):
    markers = ("### BEGIN SOLUTION", "### END SOLUTION")
    return {c.metadata["nbgrader"]["grade_id"]: "\n".join(
        ln for ln in c.source.splitlines() if ln.strip() not in markers)
        for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")}


def submissions(assignment: str, n: int) -> dict[str, nbformat.NotebookNode]:
    """``n`` submissions: every 4th blank, every other one honest, the rest honest with
    one wrong answer (cycling through the kept wrong answers)."""
    release = grading.load_release(assignment)
    answers = _solution_sources(grading.load_solution(assignment))
    wrongs = grading.load_wrong(assignment)
    out = {}
    for i in range(n):
        nb = nbformat.from_dict(release)
        if i % 4 != 3:
            sources = dict(answers)
            if i % 2:
                wrong = wrongs[i % len(wrongs)]
                sources[wrong.cell] = wrong.source.strip("\n")
            for cell in nb.cells:
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                if gid in sources:
                    cell.source = sources[gid]
        out[f"s{i:03d}"] = nb
    return out


def make_course(base: Path, assignment: str, subs, plain: bool) -> Path:
    course = base / ("plain" if plain else "course")
    course.mkdir()
    if plain:
        (course / "nbgrader_config.py").write_text(PLAIN_CONFIG)
    else:
        shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(ROOT / "solutions" / assignment, course / "solutions" / assignment)
    _run([str(grading.BIN / "nbgrader"), "generate_assignment", assignment, "--force"], course)
    for student, nb in subs.items():
        dest = course / "submitted" / student / assignment
        dest.mkdir(parents=True)
        nbformat.write(nb, dest / f"{assignment}.ipynb")
    return course


def _run(cmd, cwd) -> tuple[float, float]:
    """Wall time, and CPU time of every process the command started (user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=grading.nbgrader_env(), capture_output=True,
                          text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def scores(course: Path, assignment: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        rows = gb.assignment_submissions(assignment)
        got = [(s.student_id, round(s.score, 6)) for s in rows]
    if len(got) != len(set(s for s, _ in got)):
        raise SystemExit("a student has two grades")
    return dict(got)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=40, help="submissions (40)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each (5)")
    parser.add_argument("--assignment", default="05_backpropagation")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--serial", action="store_true",
                        help="also time the course's command with --jobs 1")
    args = parser.parse_args(argv)
    subs = submissions(args.assignment, args.n)
    base = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        plain = make_course(base, args.assignment, subs, plain=True)
        course = make_course(base, args.assignment, subs, plain=False)
        nbgrader = [str(grading.BIN / "nbgrader"), "autograde", args.assignment, "--force"]
        tool = [sys.executable, "-m", "tools.course", "autograde", args.assignment, "--force"]
        runs = {"nbgrader": (nbgrader, plain)}
        if args.serial:
            runs["course -j1"] = ([*tool, "--jobs=1"], course)
        runs[f"course -j{args.jobs}"] = ([*tool, f"--jobs={args.jobs}"], course)
        times = {name: [] for name in runs}
        cpu = {name: [] for name in runs}
        reference = None
        for _ in range(args.repeat):  # interleaved, so that load changes hit all alike
            for name, (cmd, cwd) in runs.items():
                wall, cpu_seconds = _run(cmd, cwd)
                times[name].append(wall)
                cpu[name].append(cpu_seconds)
                got = scores(cwd, args.assignment)
                if set(got) != set(subs):
                    raise SystemExit(f"{name}: grades for {len(got)} of {len(subs)} students")
                reference = reference or got
                if got != reference:
                    diff = {s: (reference[s], got[s]) for s in got if got[s] != reference[s]}
                    raise SystemExit(f"{name} graded differently from nbgrader: {diff}")
        base_med = statistics.median(times["nbgrader"])
        print(f"{args.n} submissions of {args.assignment}, median of {args.repeat} runs, "
              f"{os.cpu_count()} CPUs")
        print(f"{'command':<14} {'median s':>9} {'per sub s':>10} {'subs/min':>9} "
              f"{'vs nbgrader':>12} {'per round':>16} {'CPU s/sub':>10}")
        for name, ts in times.items():
            med = statistics.median(ts)
            rounds = sorted(b / t for b, t in zip(times["nbgrader"], ts, strict=True))
            print(f"{name:<14} {med:>9.1f} {med / args.n:>10.2f} {60 * args.n / med:>9.1f} "
                  f"{base_med / med:>11.2f}x {rounds[0]:>7.2f}-{rounds[-1]:.2f}x "
                  f"{statistics.median(cpu[name]) / args.n:>10.2f}")
        print("vs nbgrader: ratio of the medians; per round: the range of the ratios within "
              "each round (the commands of a round run back to back); CPU: every process of "
              "the command, per submission")
        print("every run: each student graded exactly once, with the baseline's score")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

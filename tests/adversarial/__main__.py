"""``python -m tests.adversarial list``: the corpus, one line per cheat.

``python -m tests.adversarial grade ASSIGNMENT [--cheat NAME ...] [--dangerous] [--regrade]``:
build a temporary course with the sentinels and the cheats, grade it with the course's
command, print each student's score (``--keep DIR`` keeps the course for inspection).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from . import CATEGORIES, all_cheats, harness, safe_cheats


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.adversarial", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list")
    g = sub.add_parser("grade")
    g.add_argument("assignment")
    g.add_argument("--cheat", action="append", help="only these cheats (repeatable)")
    g.add_argument("--dangerous", action="store_true", help="include the dangerous cheats")
    g.add_argument("--regrade", action="store_true", help="then regrade with --force")
    g.add_argument("--keep", help="build the course in this (new) folder and keep it")
    args = parser.parse_args(argv)
    if args.command == "list":
        for c in all_cheats():
            print(f"{c.name:<28} {c.category:<16} {'DANGEROUS ' if c.dangerous else ''}{c.doc}")
        print(f"{len(all_cheats())} cheats ({len(safe_cheats())} safe) in "
              f"{len({c.category for c in all_cheats()})} of {len(CATEGORIES)} categories")
        return 0
    cheats = all_cheats() if args.dangerous else safe_cheats()
    if args.cheat:
        cheats = [c for c in cheats if c.name in args.cheat]
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="adversarial-"))
    course = harness.build(base / "course", args.assignment, cheats)
    runs = [harness.autograde(course)]
    if args.regrade:
        runs.append(harness.autograde(course, "--force"))
    for i, run in enumerate(runs):
        log = base / f"autograde-{i}.log"
        log.write_text(run.output)
        print(f"run {i}: exit {run.returncode}, {run.seconds:.1f} s (output: {log})")
    for s in course.students:
        print(f"  {s:<32} " + "  ".join(f"{r.scores.get(s)}" for r in runs))
    changed = {k for k, v in harness.checksums(course.root).items()
               if course.checksums.get(k) != v} | (set(course.checksums)
                                                   - set(harness.checksums(course.root)))
    print("changed files:", sorted(changed))
    print("canary in:", harness.files_containing(course.root, course.canary))
    print("course:", course.root)
    return 0


if __name__ == "__main__":
    sys.exit(main())

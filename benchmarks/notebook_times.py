"""Execution time of every lecture and instructor notebook (a benchmark, not a test).

    python benchmarks/notebook_times.py [--repeat 3]

Runs each notebook top to bottom in a fresh kernel with nbclient, as nbval and nbgrader
do, and prints the median wall time over the repeats and whether it meets the course's
target (a lecture in under 30 s on 2 cores). Run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
TARGET = 30.0  # seconds per lecture


def run_once(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    # the kernel's own log (ipykernel warns at every start that it runs over local TCP)
    # would bury the table: keep it, and show it only if the notebook fails
    with tempfile.TemporaryFile("w+") as log:
        start = time.perf_counter()
        try:
            client.execute(stderr=log)
        except Exception:
            log.seek(0)
            sys.stderr.write(f"{path} failed; the kernel's log:\n{log.read()}")
            raise
        return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    paths = sorted((ROOT / "lectures").glob("[0-9][0-9]_*.ipynb"))
    paths += sorted((ROOT / "solutions").glob("*/*.ipynb"))
    print(f"{'notebook':<62} {'median s':>9}  target")
    for path in paths:
        times = [run_once(path) for _ in range(args.repeat)]
        med = statistics.median(times)
        lecture = path.parent.name == "lectures"
        verdict = ("ok" if med < TARGET else "SLOW") if lecture else "-"
        print(f"{str(path.relative_to(ROOT)):<62} {med:>9.1f}  {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

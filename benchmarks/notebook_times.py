"""Execution time of every lecture and instructor notebook (a benchmark, not a test).

    python benchmarks/notebook_times.py [--repeat 3]

Runs each notebook top to bottom in a fresh kernel with nbclient, as nbval and nbgrader
do, and prints the median wall time over the repeats and whether it meets the course's
target (a lecture in under 30 s on 2 cores). Run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
TARGET = 30.0  # seconds per lecture


def run_once(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    config = Config()
    # as `make lab` and `make validate`: CurveZMQ between client and kernel, so ipykernel
    # does not warn about plain local TCP at every start (the warnings buried the table)
    config.KernelManager.transport_encryption = "auto"
    client = NotebookClient(nb, timeout=600, kernel_name="python3", config=config,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
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

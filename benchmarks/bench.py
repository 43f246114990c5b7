"""Every benchmark of the course, one after the other (`make bench`). None of them is a test.

    python benchmarks/bench.py [--only mlp|tiny|loops|notebooks|grading] [--quick]
                               [--threads N] [--runs N]

mlp        MLP training throughput: mlkit, a bare NumPy loop, PyTorch, scikit-learn
tiny       tiny networks (XOR, moons): training steps/s of mlkit and PyTorch
loops      backpropagation, per-sample loop against vectorised (lecture 05's figure)
notebooks  execution time of every lecture and instructor notebook (a few minutes)
grading    40 submissions graded by plain nbgrader and by the course's command, 5 times
           (about 15 minutes on 2 CPUs)

PyTorch and scikit-learn are optional (`make bench-deps`); without them their columns are
skipped with a note. Run on a quiet machine; the figures in benchmarks/RESULTS.md say how
they were taken.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

import mlp_throughput  # noqa: E402


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}"


def versions() -> str:
    import numpy as np

    found = [f"Python {platform.python_version()}", f"NumPy {np.__version__}"]
    for lib, name in mlp_throughput.NAMES.items():
        if mlp_throughput.available(lib):
            found.append(f"{name} {__import__(lib).__version__}")
        else:
            found.append(f"{name} not installed ({mlp_throughput.INSTALL_HINT})")
    return ", ".join(found)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=("mlp", "tiny", "loops", "notebooks", "grading"))
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: fewer rounds, samples and notebook repeats")
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS and PyTorch threads in the comparisons (default 1)")
    parser.add_argument("--runs", type=int, default=5, help="rounds per figure (default 5)")
    args = parser.parse_args(argv)
    print(f"# {machine()}\n# {versions()}")
    common = ["--threads", str(args.threads), "--runs", str(args.runs)]
    common += ["--quick"] if args.quick else []
    if args.only in (None, "mlp", "tiny"):
        mlp_throughput.main(common + (["--only", args.only] if args.only else []))
    # the others in a process of their own, once per environment (see mlp_throughput)
    for label, changes in mlp_throughput.environments():
        env = {k: v for k, v in {**os.environ, **changes}.items() if v is not None}
        if args.only in (None, "loops"):
            print(f"\n# {label}")
            run_script("backprop_loops.py", common, env)
        if args.only in (None, "notebooks"):
            print(f"\n# {label}\n\n## Notebook execution times (a fresh kernel for each, "
                  "as nbval runs them; the machine's default threads)")
            run_script("notebook_times.py", ["--repeat", "1" if args.quick else "3"], env)
    if args.only in (None, "grading"):  # (no BLAS work to speak of: run once)
        print("\n## Grading throughput", flush=True)
        run_script("grading.py", ["--n", "8", "--repeat", "1"] if args.quick else [],
                   dict(os.environ))
    return 0


def run_script(name, args, env):
    sys.stdout.flush()
    subprocess.run([sys.executable, str(HERE / name), *args], env=env, check=True)


if __name__ == "__main__":
    raise SystemExit(main())

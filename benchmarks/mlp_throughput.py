"""Training speed of mlkit's MLP against a bare NumPy loop, PyTorch and scikit-learn.

    python benchmarks/mlp_throughput.py [--only mlp|tiny] [--runs 5] [--threads 1] [--quick]

Two benchmarks (not tests):

* ``mlp``: a 784-256-256-10 ReLU network, softmax cross-entropy, plain SGD, batch 256, in
  float64 and float32: training throughput in samples/s of mlkit, the bare NumPy loop
  written below, PyTorch on the CPU and scikit-learn's MLPClassifier; and the GFLOP/s that
  mlkit reaches against the machine's measured matrix-multiply peak for that dtype.
* ``tiny``: XOR (2-4-1, tanh, its 4 points, full batch) and moons (2-16-16-1, ReLU, batch
  32): training steps/s of mlkit and PyTorch, where framework overhead dominates.

Every measurement runs in its own worker process, started with the same thread count for
every library (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and MKL_NUM_THREADS set before NumPy is
imported; ``torch.set_num_threads``). A round runs every library once, back to back on the
same data; the figures are medians over the rounds, and each ratio is the median of the
ratios within a round, so a machine that slows down between rounds does not bias them.
PyTorch and scikit-learn are optional (``make bench-deps``); without them those columns are
skipped with a note.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALL_HINT = "`make bench-deps` or pip install '.[bench]'"
NAMES = {"torch": "PyTorch", "sklearn": "scikit-learn"}

# 784-256-256-10, batch 256, plain SGD; one round trains each library from scratch
SIZES = (784, 256, 256, 10)
BATCH, LR = 256, 0.01
N_SAMPLES, EPOCHS = 256 * 40, 5  # fit from scratch, input checks included
TINY = {  # name: (layer sizes, hidden activation, batch size, number of points, epochs)
    "xor": ((2, 4, 1), "tanh", 4, 4, 3000),
    "moons": ((2, 16, 16, 1), "relu", 32, 256, 300),
}


def train_flops_per_sample(sizes=SIZES) -> int:
    """Floating-point operations of one training step, per sample, counting the matrix
    products only (2 per multiply-add): the forward pass ``Z W^T``, the weight gradients
    ``delta^T Z`` and the input gradients ``delta W`` of every layer but the first."""
    pairs = list(zip(sizes[:-1], sizes[1:], strict=False))
    products = sum(i * o for i, o in pairs)
    return 2 * products + 2 * products + 2 * (products - pairs[0][0] * pairs[0][1])


# ----------------------------------------------------------------------------- data
def make_data(n, d, k, dtype, seed=0):
    """Gaussian inputs labelled by a random linear teacher (so that training makes
    progress), the same for every library."""
    import numpy as np

    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)).astype(dtype)
    if k == 1:
        from mlkit.datasets import make_moons, xor

        X, y = xor() if n == 4 else make_moons(n, noise=0.1, seed=seed)
        return X.astype(dtype), y.astype(np.int64)
    teacher = rng.standard_normal((d, k))
    return X, np.argmax(X @ teacher, axis=1).astype(np.int64)


# ---------------------------------------------------------------------- the trainers
# Each trains from scratch for `epochs` passes (new shuffle every epoch, then the batches
# in that order) and returns the mean training loss of the last epoch.

def train_mlkit(X, y, sizes, act, batch, epochs, lr, dtype):
    from mlkit import MLP

    output = "softmax" if sizes[-1] > 1 else "sigmoid"
    model = MLP(hidden_sizes=sizes[1:-1], activation=act, output=output, optimizer="sgd",
                learning_rate=lr, batch_size=batch, epochs=epochs, seed=0, dtype=dtype)
    return model.fit(X, y).history_["loss"][-1]


def train_numpy(X, y, sizes, act, batch, epochs, lr, dtype):
    """The bare loop: a ReLU network with a softmax cross-entropy head, everything inline."""
    import numpy as np

    if act != "relu" or sizes[-1] == 1:
        raise ValueError("the bare NumPy loop is written for ReLU layers and softmax")
    rng = np.random.default_rng(0)
    Ws = [(rng.standard_normal((o, i)) * np.sqrt(2.0 / i)).astype(dtype)
          for i, o in zip(sizes[:-1], sizes[1:], strict=False)]
    bs = [np.zeros(o, dtype) for o in sizes[1:]]
    n, L = len(X), len(Ws)
    for _ in range(epochs):
        order, total = rng.permutation(n), 0.0
        for start in range(0, n, batch):
            idx = order[start:start + batch]
            Xb, yb, m = X[idx], y[idx], len(idx)
            Zs = [Xb]
            for l in range(L):
                A = Zs[-1] @ Ws[l].T + bs[l]
                Zs.append(np.maximum(A, 0, out=A) if l < L - 1 else A)
            A = Zs.pop()
            A -= A.max(axis=1, keepdims=True)
            E = np.exp(A)
            s = E.sum(axis=1, keepdims=True)
            total += float(np.log(s).sum() - A[np.arange(m), yb].sum())
            delta = E / s
            delta[np.arange(m), yb] -= 1.0
            delta /= m
            for l in range(L - 1, -1, -1):
                dW, db = delta.T @ Zs[l], delta.sum(axis=0)
                if l:
                    delta = delta @ Ws[l]
                    delta *= Zs[l] > 0
                Ws[l] -= lr * dW
                bs[l] -= lr * db
    return total / n


def train_torch(X, y, sizes, act, batch, epochs, lr, dtype):
    import torch

    torch.manual_seed(0)
    tdtype = torch.float64 if str(dtype) == "float64" else torch.float32
    layers = []
    for i, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=False)):
        layers.append(torch.nn.Linear(d_in, d_out, dtype=tdtype))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU() if act == "relu" else torch.nn.Tanh())
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    Xt = torch.from_numpy(X)
    if sizes[-1] == 1:
        yt, loss_fn = torch.from_numpy(y).to(tdtype)[:, None], torch.nn.BCEWithLogitsLoss()
    else:
        yt, loss_fn = torch.from_numpy(y), torch.nn.CrossEntropyLoss()
    n = len(X)
    for _ in range(epochs):
        order, total = torch.randperm(n), 0.0
        for start in range(0, n, batch):
            idx = order[start:start + batch]
            optimizer.zero_grad()
            loss = loss_fn(model(Xt[idx]), yt[idx])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
    return total / n


def train_sklearn(X, y, sizes, act, batch, epochs, lr, dtype):
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    model = MLPClassifier(hidden_layer_sizes=sizes[1:-1], activation=act, solver="sgd",
                          alpha=0.0, batch_size=batch, learning_rate_init=lr, max_iter=epochs,
                          momentum=0.0, nesterovs_momentum=False, shuffle=True, tol=0.0,
                          n_iter_no_change=epochs + 1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    return model.loss_curve_[-1]


TRAINERS = {"mlkit": train_mlkit, "numpy": train_numpy, "torch": train_torch,
            "sklearn": train_sklearn}


def matmul_peak(dtype, size=1024, repeat=7):
    """GFLOP/s of a square matrix product, the median of ``repeat``."""
    import numpy as np

    a = np.random.default_rng(0).standard_normal((size, size)).astype(dtype)
    a @ a
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        a @ a
        times.append(time.perf_counter() - start)
    return 2 * size**3 / statistics.median(times) / 1e9


def blas_kernel() -> str:
    """The CPU kernel OpenBLAS chose (what OPENBLAS_CORETYPE overrides), if it can be read."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown (pip install threadpoolctl to see it)"
    found = [i.get("architecture", "?") for i in threadpool_info() if i["internal_api"] ==
             "openblas"]
    return ", ".join(found) or "no OpenBLAS loaded"


# ------------------------------------------------------------------------ the worker
def worker(args) -> dict:
    """Run in a fresh process: time one library on one benchmark; print JSON."""
    if args.lib == "torch":
        import torch

        torch.set_num_threads(args.threads)
    if args.lib == "peak":
        return {"gflops": matmul_peak(args.dtype), "blas": blas_kernel()}
    if args.bench == "mlp":
        sizes, act, batch, n, epochs = SIZES, "relu", BATCH, args.n_samples, args.epochs
        lr = LR
    else:
        sizes, act, batch, n, epochs = TINY[args.bench]
        lr = 0.1
        epochs = max(1, epochs // args.scale_down)
    X, y = make_data(n, sizes[0], sizes[-1], args.dtype)
    train = TRAINERS[args.lib]
    train(X[: 4 * batch], y[: 4 * batch], sizes, act, batch, 1, lr, args.dtype)  # warm-up
    start, cpu_start = time.perf_counter(), time.process_time()
    loss = train(X, y, sizes, act, batch, epochs, lr, args.dtype)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    steps = epochs * -(-n // batch)
    return {"seconds": seconds, "samples_per_s": n * epochs / seconds,
            "steps_per_s": steps / seconds, "cpu_samples_per_s": n * epochs / cpu_seconds,
            "cpu_steps_per_s": steps / cpu_seconds, "loss": loss}


def available(lib) -> bool:
    """Whether ``lib`` imports in this environment (without importing it here)."""
    import importlib.util

    name = {"torch": "torch", "sklearn": "sklearn"}.get(lib)
    return name is None or importlib.util.find_spec(name) is not None


def run_worker(lib, bench, dtype, opts, env_extra=None) -> dict:
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(opts.threads)
    env.update(env_extra or {})
    for var, value in list(env.items()):
        if value is None:
            del env[var]
    cmd = [sys.executable, __file__, "--worker", lib, "--bench", bench, "--dtype", dtype,
           "--threads", str(opts.threads), "--n-samples", str(opts.n_samples),
           "--epochs", str(opts.epochs), "--scale-down", str(opts.scale_down)]
    out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if out.returncode:
        raise RuntimeError(f"worker {lib}/{bench}/{dtype} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def ratio_median(rounds, a, b, key):
    return statistics.median(r[a][key] / r[b][key] for r in rounds)


# ------------------------------------------------------------------------ reports
OPENBLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def environments():
    """(label, changes to the environment) to run: the machine as it is and, if it sets
    OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE, again with both unset (as a user's machine)."""
    found = {var: os.environ[var] for var in OPENBLAS_VARS if var in os.environ}
    if not found:
        return [("as the machine is (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE not set)", {})]
    shown = ", ".join(f"{k}={v}" for k, v in found.items())
    return [(f"as the machine is ({shown})", {}),
            ("with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset", dict.fromkeys(OPENBLAS_VARS))]


def _ratio_text(rounds, lib, key, threads):
    wall = ratio_median(rounds, "mlkit", lib, key)
    text = f"mlkit / {lib} = {wall:.2f}x"
    if threads == 1:  # CPU time is the work done, whatever else the machine runs
        text += f" (CPU time: {ratio_median(rounds, 'mlkit', lib, 'cpu_' + key):.2f}x)"
    return wall, text


def bench_mlp(opts, env_extra=None) -> dict:
    libs = [lib for lib in ("mlkit", "numpy", "torch", "sklearn") if available(lib)]
    results = {}
    print(f"\n## MLP training throughput: {'-'.join(map(str, SIZES))}, ReLU, softmax "
          f"cross-entropy, batch {BATCH}, plain SGD; {opts.n_samples} samples x {opts.epochs} "
          f"epochs; {opts.threads} thread(s); medians of {opts.runs} rounds")
    for lib in ("torch", "sklearn"):
        if lib not in libs:
            print(f"note: {NAMES[lib]} is not installed, its column is skipped: {INSTALL_HINT}")
    flops = train_flops_per_sample()
    for dtype in ("float64", "float32"):
        rounds = []
        for _ in range(opts.runs):  # the matmul peak too, in every round
            rounds.append({lib: run_worker(lib, "mlp", dtype, opts, env_extra)
                           for lib in [*libs, "peak"]})
        peak = statistics.median(r["peak"]["gflops"] for r in rounds)
        share = statistics.median(r["mlkit"]["samples_per_s"] * flops / 1e9 / r["peak"]["gflops"]
                                  for r in rounds)
        med = {lib: statistics.median(r[lib]["samples_per_s"] for r in rounds) for lib in libs}
        print(f"\n{dtype} (OpenBLAS kernel: {rounds[0]['peak']['blas']}): samples/s, "
              "last-epoch loss")
        ratios = {}
        for lib in libs:
            loss = statistics.median(r[lib]["loss"] for r in rounds)
            text = ""
            if lib != "mlkit":
                ratios[lib], text = _ratio_text(rounds, lib, "samples_per_s", opts.threads)
            print(f"  {lib:<8} {med[lib]:>9,.0f}  ({loss:.3f})   {text}")
        gflops = med["mlkit"] * flops / 1e9
        print(f"  mlkit: {gflops:.1f} GFLOP/s ({flops / 1e6:.2f} MFLOP per sample), "
              f"{100 * share:.0f}% of this machine's {dtype} matmul peak, measured in each "
              f"round ({peak:.1f} GFLOP/s, 1024 x 1024 @ 1024 x 1024, {opts.threads} "
              "thread(s))")
        results[dtype] = {"samples_per_s": med, "ratios": ratios, "gflops": gflops,
                          "peak_gflops": peak, "share_of_peak": share}
    return results


def bench_tiny(opts, env_extra=None) -> dict:
    libs = ["mlkit"] + (["torch"] if available("torch") else [])
    print(f"\n## Tiny networks: training steps/s, float64, plain SGD, {opts.threads} "
          f"thread(s), medians of {opts.runs} rounds")
    if "torch" not in libs:
        print(f"note: PyTorch is not installed, the comparison is skipped: {INSTALL_HINT}")
    results = {}
    for bench, (sizes, act, batch, n, _) in TINY.items():
        rounds = [{lib: run_worker(lib, bench, "float64", opts, env_extra) for lib in libs}
                  for _ in range(opts.runs)]
        med = {lib: statistics.median(r[lib]["steps_per_s"] for r in rounds) for lib in libs}
        text = ""
        if "torch" in libs:
            ratio, text = _ratio_text(rounds, "torch", "steps_per_s", opts.threads)
            results[bench] = ratio
        figures = "  ".join(f"{lib} {med[lib]:>7,.0f}" for lib in libs)
        print(f"  {bench:<5} {'-'.join(map(str, sizes))} {act}, batch {batch} of {n}: "
              f"{figures}   {text}")
        results[bench + "_steps_per_s"] = med
    return results


def run(opts) -> dict:
    results = {}
    for label, env_extra in environments():
        print(f"\n# {label}")
        results[label] = {}
        if opts.only in (None, "mlp"):
            results[label]["mlp"] = bench_mlp(opts, env_extra)
        if opts.only in (None, "tiny"):
            results[label]["tiny"] = bench_tiny(opts, env_extra)
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=("mlp", "tiny"))
    parser.add_argument("--runs", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads for every library (default 1)")
    parser.add_argument("--quick", action="store_true",
                        help="fewer samples and steps, 3 rounds: a smoke run, not figures")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--bench", default="mlp", help=argparse.SUPPRESS)
    parser.add_argument("--dtype", default="float64", help=argparse.SUPPRESS)
    parser.add_argument("--n-samples", type=int, default=N_SAMPLES, help=argparse.SUPPRESS)
    parser.add_argument("--epochs", type=int, default=EPOCHS, help=argparse.SUPPRESS)
    parser.add_argument("--scale-down", type=int, default=1, help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    if opts.worker:
        opts.lib = opts.worker
        print(json.dumps(worker(opts)))
        return 0
    if opts.quick:
        opts.runs, opts.n_samples, opts.epochs, opts.scale_down = 3, BATCH * 8, 1, 10
    run(opts)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())

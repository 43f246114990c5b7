"""Vectorised backpropagation against a per-sample loop: the figure lecture 05 quotes.

    python benchmarks/backprop_loops.py [--runs 7] [--threads 1] [--quick]

Section 9 of lectures/05_backpropagation.ipynb computes the gradients of a 20-64-1 sigmoid
network with a BCE head on 1000 samples twice: with Cornell's per-sample algorithm (a
Python loop of matrix-vector products, summed) and with the vectorised forward and backward
pass (one matrix-matrix product per layer). The functions below are the lecture's, copied
unchanged; ``mlkit.MLP.loss_and_gradients`` is timed too. Each figure is the median of
``--runs`` timings of a full pass over the batch; the same comparison is repeated for
other batch sizes to show the gap growing with the batch.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lecture_functions():
    """The lecture's per_sample_gradients and vectorised_gradients (section 9)."""
    import numpy as np

    from mlkit import activations
    from mlkit.activations import sigmoid, sigmoid_grad

    def forward_pass(X, params, act="sigmoid"):
        f = activations.get_activation(act)[0]
        n_layers = len(params) // 2
        Z, cache = X, []
        for l in range(1, n_layers + 1):
            A = Z @ params[f"W{l}"].T + params[f"b{l}"]
            cache.append((Z, A))
            Z = f(A) if l < n_layers else A
        return A, cache

    def backward_pass(delta, cache, params, act="sigmoid"):
        f_grad = activations.get_activation(act)[1]
        grads = {}
        for l in range(len(cache), 0, -1):
            Z_prev, _ = cache[l - 1]
            grads[f"W{l}"] = delta.T @ Z_prev
            grads[f"b{l}"] = delta.sum(axis=0)
            if l > 1:
                A_prev = cache[l - 2][1]
                delta = (delta @ params[f"W{l}"]) * f_grad(A_prev)
        return grads

    def bce_head(A_L, y):
        a = A_L[:, 0]
        loss = float(np.mean(np.logaddexp(0.0, a) - y * a))
        return loss, ((sigmoid(a) - y) / len(y))[:, None]

    def per_sample_gradients(X, y, params):
        W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
        grads = {k: np.zeros_like(v) for k, v in params.items()}
        for x_i, y_i in zip(X, y, strict=True):
            a1 = W1 @ x_i + b1
            z1 = sigmoid(a1)
            a2 = W2 @ z1 + b2
            d2 = sigmoid(a2) - y_i
            d1 = (W2.T @ d2) * sigmoid_grad(a1)
            grads["W2"] += np.outer(d2, z1)
            grads["b2"] += d2
            grads["W1"] += np.outer(d1, x_i)
            grads["b1"] += d1
        return {k: g / len(X) for k, g in grads.items()}

    def vectorised_gradients(X, y, params):
        A_L, cache = forward_pass(X, params)
        return backward_pass(bce_head(A_L, y)[1], cache, params)

    return per_sample_gradients, vectorised_gradients


def median_time(fn, runs):
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="3 runs, batches up to 1000")
    args = parser.parse_args(argv)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)  # before NumPy is imported
    sys.path.insert(0, str(ROOT))
    import numpy as np

    from mlkit import MLP

    runs = 3 if args.quick else args.runs
    per_sample, vectorised = lecture_functions()
    d, h = 20, 64
    print(f"\n## Backpropagation, per-sample loop against vectorised: {d}-{h}-1 sigmoid, "
          f"BCE head, {args.threads} thread(s), medians of {runs} runs")
    print(f"  {'batch':>6} {'loop ms':>9} {'vectorised ms':>14} {'mlkit ms':>9} "
          f"{'speed-up':>9} {'(mlkit)':>8}")
    results = {}
    for n in (10, 100, 1000) if args.quick else (10, 100, 1000, 10000):
        rng = np.random.default_rng(0)  # the lecture's data and weights, for any n
        X = rng.normal(size=(n, d))
        y = (rng.random(n) < 0.5).astype(float)
        params = {"W1": rng.normal(size=(h, d)) / np.sqrt(d), "b1": np.zeros(h),
                  "W2": rng.normal(size=(1, h)) / np.sqrt(h), "b2": np.zeros(1)}
        model = MLP(hidden_sizes=(h,), activation="sigmoid", output="sigmoid", epochs=1)
        model.fit(X[:2], np.array([0, 1]))
        model.params_ = {k: v.copy() for k, v in params.items()}
        g_loop, g_vec = per_sample(X, y, params), vectorised(X, y, params)
        g_mlkit = model.loss_and_gradients(X, y)[1]
        assert all(np.allclose(g_loop[k], g_vec[k]) and np.allclose(g_mlkit[k], g_vec[k])
                   for k in params)
        t_loop = median_time(partial(per_sample, X, y, params), runs)
        t_vec = median_time(partial(vectorised, X, y, params), runs)
        t_mlkit = median_time(partial(model.loss_and_gradients, X, y), runs)
        results[n] = (t_loop, t_vec, t_mlkit)
        print(f"  {n:>6} {1e3 * t_loop:>9.2f} {1e3 * t_vec:>14.3f} {1e3 * t_mlkit:>9.3f} "
              f"{t_loop / t_vec:>8.0f}x {t_loop / t_mlkit:>7.0f}x")
    print("  (lecture 05, section 9, times the batch of 1000)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

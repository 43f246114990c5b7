"""Mutation testing of the assignments' tests: do they kill small changes of the solution?

For every answer cell of an instructor notebook, each mutant changes one thing inside the
``### BEGIN SOLUTION`` region (an operator, a comparison, a constant, an axis, a ``.T``, a
reduction, a statement). The mutant is *killed* when one of its exercise's test cells
fails, as nbgrader would see it: an exception, or output on stderr, or a hang.

Survivors are either equivalent to the solution (explained, with the mutant's id, in
``tests/mutants/<assignment>.py`` as ``EQUIVALENT = {id: why}``) or a gap in the tests to
fix. The command exits 1 when an exercise kills fewer than 90% of its non-equivalent
mutants or a survivor is unexplained.

    python -m tools.mutation [assignment ...] [--cell ex3_train] [--verbose]

Speed: the notebook's cells before an exercise run once; each mutant then runs in a
forked child (Linux/macOS), so a mutant costs only its own cell and its tests.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import importlib.util
import io
import json
import os
import signal
import sys
from dataclasses import dataclass

from tools.grading import ROOT, answer_ids, exercise_of, load_solution, test_ids

__all__ = ["Mutant", "mutants", "run_assignment", "wrong_answer_verdicts", "main"]

THRESHOLD = 0.9
TIMEOUT = 60  # seconds per mutant

_BINOPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
           ast.Pow: ast.Mult, ast.FloorDiv: ast.Div, ast.MatMult: ast.Mult}
_CMPOPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
           ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}
_CALLS = {"sum": "mean", "mean": "sum", "max": "min", "min": "max", "maximum": "minimum",
          "minimum": "maximum", "argmax": "argmin", "argmin": "argmax", "exp": "log1p",
          "log": "log1p", "log1p": "log", "zeros": "ones", "ones": "zeros",
          "zeros_like": "ones_like", "ones_like": "zeros_like", "hstack": "vstack"}


@dataclass(frozen=True)
class Mutant:
    """One change of one answer cell; ``id`` is stable while the solution is unchanged."""

    cell: str
    id: str
    description: str
    source: str


def _regions(source: str) -> list[tuple[int, int]]:
    """1-based line numbers of each BEGIN/END SOLUTION marker pair of a cell."""
    lines = source.splitlines()
    begins = [i + 1 for i, line in enumerate(lines) if "### BEGIN SOLUTION" in line]
    ends = [i + 1 for i, line in enumerate(lines) if "### END SOLUTION" in line]
    return list(zip(begins, ends, strict=True))


class _Collector(ast.NodeVisitor):
    """Lists (node, description, apply) of every mutation point in the solution regions."""

    def __init__(self, regions):
        self.regions, self.points = regions, []

    def _inside(self, node):
        line = getattr(node, "lineno", -1)
        return any(lo < line < hi for lo, hi in self.regions)

    def generic_visit(self, node):
        if self._inside(node):
            self.points.extend(_mutations_of(node))
        super().generic_visit(node)


def _mutations_of(node):
    """Yield (kind, detail, apply) for one node; ``apply(node)`` mutates a copy in place."""
    out = []
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        new = _BINOPS[type(node.op)]
        out.append((f"{type(node.op).__name__}->{new.__name__}",
                    lambda n, new=new: setattr(n, "op", new())))
    if isinstance(node, ast.AugAssign) and type(node.op) in _BINOPS:
        new = _BINOPS[type(node.op)]
        out.append((f"{type(node.op).__name__}=->{new.__name__}=",
                    lambda n, new=new: setattr(n, "op", new())))
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in _CMPOPS:
                new = _CMPOPS[type(op)]
                out.append((f"{type(op).__name__}->{new.__name__}",
                            lambda n, i=i, new=new: n.ops.__setitem__(i, new())))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Not)):
        out.append(("drop unary " + type(node.op).__name__,
                    lambda n: setattr(n, "op", ast.UAdd())))
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        v = node.value
        out.append((f"{v!r}->{v + 1!r}", lambda n: setattr(n, "value", n.value + 1)))
        if v != 0:
            out.append((f"{v!r}->0", lambda n: setattr(n, "value", type(n.value)(0))))
    if isinstance(node, ast.Constant) and type(node.value) is bool:
        out.append((f"{node.value}->{not node.value}",
                    lambda n: setattr(n, "value", not n.value)))
    if isinstance(node, ast.Attribute) and node.attr == "T":
        # x.T -> x.T.T, which is x: the transpose forgotten.
        out.append(("drop .T", lambda n: setattr(n, "value", ast.Attribute(
            value=n.value, attr="T", ctx=ast.Load()))))
    if isinstance(node, ast.Call):
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
            node.func, "id", None)
        if name in _CALLS:
            new = _CALLS[name]
            out.append((f"{name}->{new}", lambda n, new=new: setattr(
                n.func, "attr" if isinstance(n.func, ast.Attribute) else "id", new)))
        for k, kw in enumerate(node.keywords):
            if kw.arg == "axis" and isinstance(kw.value, ast.Constant) and kw.value.value in (0, 1):
                out.append((f"axis={kw.value.value}->{1 - kw.value.value}",
                            lambda n, k=k: setattr(n.keywords[k].value, "value",
                                                   1 - n.keywords[k].value.value)))
            if kw.arg == "keepdims":
                out.append(("drop keepdims", lambda n, k=k: n.keywords.pop(k)))
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.Expr)) and not (
            isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
        out.append(("delete statement", "delete"))
    return [(node, kind, apply) for kind, apply in out]


def mutants(cell_id: str, source: str) -> list[Mutant]:
    """Every single-change mutant of the solution region of one answer cell."""
    regions = _regions(source)
    tree = ast.parse(source)
    collector = _Collector(regions)
    collector.visit(tree)
    nodes = list(ast.walk(tree))
    result = []
    for node, kind, apply in collector.points:
        index = nodes.index(node)
        mutated = copy.deepcopy(tree)
        target = list(ast.walk(mutated))[index]
        if apply == "delete":
            _replace_statement(mutated, target)
        else:
            apply(target)
        ast.fix_missing_locations(mutated)
        lo = max(b for b, _ in regions if b < node.lineno)
        line = node.lineno - lo
        mid = f"{cell_id}:L{line}:C{node.col_offset}:{kind}"
        original = source.splitlines()[node.lineno - 1].strip()
        result.append(Mutant(cell_id, mid, f"line {line} `{original}`: {kind}",
                             ast.unparse(mutated)))
    return result


def _replace_statement(tree, target):
    for parent in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            body = getattr(parent, field, None)
            if isinstance(body, list) and any(s is target for s in body):
                body[[i for i, s in enumerate(body) if s is target][0]] = ast.Pass()
                return


def _exec_cell(source: str, ns: dict) -> bool:
    """Run one cell like a kernel would; True if it raised nothing and wrote no stderr."""
    err = io.StringIO()
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("default")
                warnings.showwarning = lambda *a, **k: err.write("warning\n")
                exec(compile(source, "<cell>", "exec"), ns)  # noqa: S102 - instructor code
    except BaseException:  # noqa: BLE001 - any failure kills the mutant
        return False
    return not err.getvalue()


def _killed(mutant_source: str, tests: list[str], ns: dict) -> bool:
    """Fork, run the mutant and its tests in the child; True if a test failed."""
    pid = os.fork()
    if pid == 0:  # child
        signal.alarm(TIMEOUT)
        ok = _exec_cell(mutant_source, ns) and all(_exec_cell(t, ns) for t in tests)
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    return not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0)


def _verdicts_in_child(sources: list[tuple[str | None, str]], ns: dict, out) -> None:
    """Child of a fork: run ``(test_id or None, source)`` cells, write the test verdicts as
    JSON to the pipe ``out`` and exit."""
    signal.alarm(TIMEOUT * 2)
    verdicts = {}
    for test_id, source in sources:
        ok = _exec_cell(source, ns)
        if test_id is not None:
            verdicts[test_id] = ok
    os.write(out, json.dumps(verdicts).encode())
    os._exit(0)


def wrong_answer_verdicts(assignment: str, wrongs) -> list[dict[str, bool]]:
    """For each wrong answer (``.cell``, ``.source``), which test cells pass: the notebook
    runs with that one answer cell replaced, in a fork of a process that already ran every
    cell before it (test cells before it pass: they ran with the solution)."""
    nb = load_solution(assignment)
    tests = test_ids(nb)
    cells = [(c.metadata.get("nbgrader", {}).get("grade_id"), c.source)
             for c in nb.cells if c.cell_type == "code"]
    by_cell: dict[str, list[int]] = {}
    for i, w in enumerate(wrongs):
        by_cell.setdefault(w.cell, []).append(i)
    results: list[dict[str, bool]] = [{} for _ in wrongs]
    os.environ.setdefault("MPLBACKEND", "Agg")
    cwd = os.getcwd()
    os.chdir(ROOT / "solutions" / assignment)
    ns: dict = {"__name__": "__main__"}
    done: dict[str, bool] = {}
    try:
        for k, (gid, source) in enumerate(cells):
            for i in by_cell.get(gid, []):
                rest = [(g if g in tests else None, src) for g, src in cells[k + 1:]]
                read, write = os.pipe()
                pid = os.fork()
                if pid == 0:  # child
                    os.close(read)
                    _verdicts_in_child([(None, wrongs[i].source), *rest], ns, write)
                os.close(write)
                with os.fdopen(read) as pipe:
                    data = pipe.read()
                os.waitpid(pid, 0)
                later = json.loads(data) if data else {g: False for g, _ in rest if g}
                results[i] = {**done, **later}
            ok = _exec_cell(source, ns)
            if gid in tests:
                done[gid] = ok
    finally:
        os.chdir(cwd)
    return results


def _equivalents(assignment: str) -> dict[str, str]:
    path = ROOT / "tests" / "mutants" / f"{assignment}.py"
    if not path.exists():
        return {}
    spec = importlib.util.spec_from_file_location(f"mutants_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.EQUIVALENT)


def run_assignment(assignment: str, only_cell: str | None = None, verbose=False) -> dict:
    """Mutate every answer cell; return {cell: (n_mutants, n_killed, survivors)}."""
    nb = load_solution(assignment)
    answers = answer_ids(nb)
    tests = test_ids(nb)
    os.environ.setdefault("MPLBACKEND", "Agg")
    sys.path.insert(0, str(ROOT / "solutions" / assignment))
    cwd = os.getcwd()
    os.chdir(ROOT / "solutions" / assignment)
    ns: dict = {"__name__": "__main__"}
    results = {}
    try:
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            gid = meta.get("grade_id")
            if cell.cell_type != "code":
                continue
            if meta.get("solution") and (only_cell is None or gid == only_cell):
                own = [c.source for c in nb.cells
                       if c.metadata.get("nbgrader", {}).get("grade_id") in tests
                       and exercise_of(c.metadata["nbgrader"]["grade_id"], answers) == gid]
                ms = mutants(gid, cell.source)
                survivors = [m for m in ms if not _killed(m.source, own, dict(ns))]
                results[gid] = (len(ms), len(ms) - len(survivors), survivors)
                if verbose:
                    print(f"  {gid}: {len(ms)} mutants", file=sys.stderr)
            if not _exec_cell(cell.source, ns):
                raise RuntimeError(f"{assignment}: the solution's cell {gid} fails")
    finally:
        os.chdir(cwd)
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.mutation", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment", nargs="*")
    parser.add_argument("--cell", help="only this answer cell")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--wrong-verdicts", action="store_true",
                        help="print, as JSON, which test cells pass for each wrong answer in "
                             "tests/wrong_answers/<assignment>.py (used by the test suite)")
    args = parser.parse_args(argv)
    if args.wrong_verdicts:
        from tools.grading import load_wrong

        print(json.dumps({a: wrong_answer_verdicts(a, load_wrong(a))
                          for a in args.assignment}))
        return 0
    from tools.grading import assignments

    status = 0
    for a in args.assignment or assignments():
        equivalent = _equivalents(a)
        print(f"{a}")
        for cell, (n, killed, survivors) in run_assignment(a, args.cell, args.verbose).items():
            explained = [m for m in survivors if m.id in equivalent]
            unexplained = [m for m in survivors if m.id not in equivalent]
            # The mutation score: killed among the mutants that are not equivalent.
            rate = killed / (n - len(explained)) if n > len(explained) else 1.0
            bad = rate < THRESHOLD or unexplained
            status |= bool(bad)
            print(f"  {'FAIL' if bad else 'ok  '} {cell:<28} {n:>3} mutants, "
                  f"{len(explained)} equivalent, {killed:>3} of the other {n - len(explained)} "
                  f"killed ({rate:.0%}), {len(unexplained)} unexplained survivors")
            for m in explained:
                print(f"         equivalent {m.id}: {equivalent[m.id]}")
            for m in unexplained:
                print(f"         SURVIVED   {m.id}  ({m.description})")
    return status


if __name__ == "__main__":
    sys.exit(main())

"""Guards for the committed notebooks that nbval cannot give.

nbval compares the outputs of every executed code cell (``make test-notebooks``), but it
silently skips a code cell whose ``execution_count`` is null, so a lecture committed
without outputs would pass. These tests make sure that cannot happen, and that each
lecture shows what it says.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LECTURES = sorted((ROOT / "lectures").glob("[0-9][0-9]_*.ipynb"))
EXPECTED = ["01_perceptron", "02_logistic_regression", "03_gradient_descent",
            "04_xor_and_mlps", "05_backpropagation", "06_training_in_practice"]


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_every_section_has_a_lecture():
    assert [p.stem for p in LECTURES] == EXPECTED


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_every_code_cell_was_executed(path):
    unexecuted = [i for i, c in enumerate(_cells(path)) if c["cell_type"] == "code"
                  and "".join(c["source"]).strip() and c.get("execution_count") is None]
    assert not unexecuted, f"{path.name}: code cells {unexecuted} have no outputs; execute " \
        "the notebook and commit it with its outputs"


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_execution_counts_run_in_order(path):
    counts = [c["execution_count"] for c in _cells(path)
              if c["cell_type"] == "code" and c.get("execution_count") is not None]
    assert counts == list(range(1, len(counts) + 1)), \
        f"{path.name} was not executed top to bottom in one fresh kernel"


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_at_least_three_figures(path):
    figures = sum("image/png" in out.get("data", {})
                  for c in _cells(path) if c["cell_type"] == "code"
                  for out in c.get("outputs", []))
    assert figures >= 3, f"{path.name} shows {figures} figures; a lecture needs at least 3"


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_no_errors_or_warnings_in_outputs(path):
    for i, c in enumerate(_cells(path)):
        for out in c.get("outputs", []):
            assert out["output_type"] != "error", f"{path.name}: cell {i} raised an error"
            assert out.get("name") != "stderr", \
                f"{path.name}: cell {i} wrote to stderr: {''.join(out['text'])[:200]}"


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_opens_with_outcomes_and_ends_with_recap_and_exercises(path):
    markdown = ["".join(c["source"]) for c in _cells(path) if c["cell_type"] == "markdown"]
    assert "you will be able to" in " ".join(markdown[:3]).lower()
    tail = " ".join(markdown[-6:]).lower()
    assert "recap" in tail and "exercise" in tail
    assert "<details>" in " ".join(markdown), "exercises need answers a student can reveal"

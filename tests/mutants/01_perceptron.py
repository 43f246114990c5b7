"""Surviving mutants of assignment 01_perceptron that are equivalent to the solution.

``python -m tools.mutation 01_perceptron`` kills every mutant of every answer cell, so there
is nothing to explain: a mutant that survives after a change of the solution or its tests
is a gap in the tests, unless it is added here as ``"<mutant id>": "why it is equivalent"``.
"""

EQUIVALENT: dict[str, str] = {}

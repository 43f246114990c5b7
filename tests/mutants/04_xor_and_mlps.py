"""Surviving mutants of assignment 04_xor_and_mlps that are equivalent to the solution.

``python -m tools.mutation 04_xor_and_mlps`` must kill at least 90% of each answer cell's
mutants; a survivor not listed here is a gap in the tests. Exercises 1 and 2 ask for a free
choice (a feature map and weights, the weights of a threshold network): a mutant of the
reference answer that still solves the task is a correct answer of its own, so it is
equivalent by definition.
"""

_OR_WEIGHT = ("Exercise 2 is a free choice: with an OR unit 2 x1 + x2 - 0.5 (or x1 + 2 x2 - "
              "0.5) the network still computes XOR, and every corner shifted by up to 0.1 "
              "still has a score of at least 0.2 in absolute value: another correct answer")

EQUIVALENT: dict[str, str] = {
    "ex1_xor_features:L3:C42:2.0->3.0": "Exercise 1 is a free choice: with the weight -3 on "
                                        "x1*x2 the scores at the four corners are -0.5, 0.5, "
                                        "0.5, -1.5, so XOR is still separated: another correct "
                                        "answer",
    "ex2_xor_network:L1:C16:1.0->2.0": _OR_WEIGHT,
    "ex2_xor_network:L1:C21:1.0->2.0": _OR_WEIGHT,
    "ex3a_activation:L3:C24:GtE->Gt": "at a = 0 both branches of the stable sigmoid give 1/2 "
                                      "(e = 1, so 1 / (1 + e) = e / (1 + e)): a > 0 and a >= 0 "
                                      "agree everywhere",
}

"""Surviving mutants of assignment 02_logistic_regression that are equivalent to the solution
(read by tools/mutation.py)."""

EQUIVALENT = {
    "ex1_sigmoid:L2:C20:GtE->Gt": "at a = 0 both branches give 1 / (1 + 1) = 1 / 2, so the "
                                  "branch taken there makes no difference",
}

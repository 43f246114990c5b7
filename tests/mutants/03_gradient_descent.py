"""Surviving mutants of assignment 03_gradient_descent that are equivalent to the solution
(read by tools/mutation.py)."""

EQUIVALENT = {
    # `>=` differs from `>` only if a step leaves ||w_t|| exactly equal to ||w_0||: on a positive
    # definite quadratic with eta > 0 every component scales by |1 - eta lambda_i| != 1.
    "ex2b_stable_eta_numerically:L6:C15:Gt->GtE": "distance exactly unchanged never happens",
    # `>=` halves once more only when hi - lo == tol exactly; the midpoint stays within tol.
    "ex2b_stable_eta_numerically:L11:C10:Gt->GtE": "one extra halving only if hi - lo == tol",
}

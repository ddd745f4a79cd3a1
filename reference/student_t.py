"""Reference quantiles of Student's t for crates/survey-stats/src/student_t.rs.

Independent implementation: SciPy (`pip install scipy`). Not run in CI; rerun by hand when the
test's table changes:  python3 reference/student_t.py
"""
from scipy.stats import t

for df in [1, 2, 5, 10, 29, 100, 1000, 1001, 100_000, 1_000_000, 10_000_000]:
    print(f"({df}, {float(t.ppf(0.975, df))!r}),")

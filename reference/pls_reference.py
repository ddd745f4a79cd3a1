"""Reference values for `minxin stats pls` (crates/cli/tests/stats.rs), computed with the plspm
package from PyPI (a port of R's plspm) on lavaan's PoliticalDemocracy data.

Not run in CI. Rerun by hand after changing the method or the data:
    pip install plspm==0.5.7
    Rscript -e 'library(lavaan); write.csv(PoliticalDemocracy,
        "crates/cli/tests/fixtures/pls/political_democracy.csv", row.names=FALSE, quote=FALSE)'
    python3 reference/pls_reference.py

Model: ind60 (x1-x3) -> dem60 (y1-y4), ind60 -> dem65 (y5-y8), dem60 -> dem65; mode A,
standardised indicators, iterated until the sum of squared changes of the outer weights is
below 1e-20, for the path, centroid and factorial schemes. Writes expected.json and model.toml
beside the data.

Two departures of plspm 0.5.7 from R's plspm are worked around: `scaled=True` divides all
indicators by one pooled standard deviation instead of standardising each (so the script
standardises each indicator itself), and the `outer_model()["weight"]` column is not on the
scale of the reported scores.

The outer weights follow R's plspm, which CRAN alone distributes (no Debian package): its
`get_treated_data` standardises each indicator with the *population* standard deviation
(`sd.X = sqrt((n-1)/n) * sd`), and `get_weights` ends with weights that give scores of
population variance 1 from those indicators. `r_plspm_weights` below reproduces both steps in
numpy, line for line (Lohmöller's iteration on the population-standardised data, mode A, the
three inner schemes, the final rescaling); the script checks that its scores are the
package's scores, and that the weights equal the scores regressed on the population-
standardised indicators, before it writes them. Loadings, path coefficients, R² and total
effects come straight from the package (they do not depend on the convention).
"""
import json
import pathlib

import numpy as np
import pandas as pd
import plspm.config as c
from plspm.mode import Mode
from plspm.plspm import Plspm
from plspm.scheme import Scheme

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "crates" / "cli" / "tests" / "fixtures" / "pls"
BLOCKS = {"ind60": ["x1", "x2", "x3"], "dem60": ["y1", "y2", "y3", "y4"], "dem65": ["y5", "y6", "y7", "y8"]}
PATHS = [("ind60", "dem60"), ("ind60", "dem65"), ("dem60", "dem65")]

raw = pd.read_csv(FIXTURES / "political_democracy.csv")


def r_plspm_weights(frame, scheme, tolerance=1e-20, max_iterations=1000):
    """The outer weights of R's plspm: get_treated_data, then get_weights (mode A)."""
    n = len(frame)
    sdv = np.sqrt((n - 1) / n)
    # get_treated_data: centre, divide by sqrt((n-1)/n) * sd.
    x = ((frame - frame.mean()) / (frame.std(ddof=1) * sdv)).values
    columns = list(frame.columns)
    lvs_ = list(BLOCKS)
    odm = np.zeros((x.shape[1], len(lvs_)))
    for j, lv in enumerate(lvs_):
        for mv in BLOCKS[lv]:
            odm[columns.index(mv), j] = 1
    inner = np.zeros((len(lvs_), len(lvs_)))  # inner[i, j] = 1: j -> i
    for source, target in PATHS:
        inner[lvs_.index(target), lvs_.index(source)] = 1
    w = odm @ np.diag(1 / ((x @ odm).std(axis=0, ddof=1) * sdv))
    w_old = w.sum(axis=1)
    for _ in range(max_iterations):
        y = x @ w
        y = (y - y.mean(axis=0)) / y.std(axis=0, ddof=1) * sdv
        if scheme == "centroid":
            e = np.sign(np.corrcoef(y, rowvar=False) * (inner + inner.T))
        elif scheme == "factorial":
            e = np.cov(y, rowvar=False) * (inner + inner.T)
        else:  # path: regression on predecessors, correlation with successors
            e = inner.T.copy()
            for k in range(len(lvs_)):
                follow = inner[k] == 1
                if follow.any():
                    beta, *_ = np.linalg.lstsq(y[:, follow], y[:, k], rcond=None)
                    e[follow, k] = beta
                lead = inner[:, k] == 1
                e[lead, k] = np.corrcoef(y, rowvar=False)[k, lead]
        z = y @ e
        z = z / (z.std(axis=0, ddof=1) * sdv)
        for j in range(len(lvs_)):
            block = odm[:, j] == 1
            w[block, j] = (z[:, j] @ x[:, block]) / n
        w_new = w.sum(axis=1)
        if ((np.abs(w_old) - np.abs(w_new)) ** 2).sum() < tolerance:
            break
        w_old = w_new
    w = w @ np.diag(1 / ((x @ w).std(axis=0, ddof=1) * sdv))
    return x, w, columns
# plspm 0.5.7's `scaled=True` divides every indicator by one pooled standard deviation, where R's
# plspm (and the textbook) standardise each indicator by its own; so each is standardised here.
data = (raw - raw.mean()) / raw.std(ddof=1)
lvs = list(BLOCKS)
path = pd.DataFrame(0, index=lvs, columns=lvs)
for source, target in PATHS:
    path.loc[target, source] = 1
result = {}
for name, scheme in [("path", Scheme.PATH), ("centroid", Scheme.CENTROID), ("factorial", Scheme.FACTORIAL)]:
    config = c.Config(path, scaled=True)
    for lv, mvs in BLOCKS.items():
        config.add_lv(lv, Mode.A, *[c.MV(mv) for mv in mvs])
    model = Plspm(data, config, scheme, iterations=1000, tolerance=1e-20)
    outer = model.outer_model()
    inner = model.inner_model()
    effects = model.effects()
    scores = model.scores()
    x, w, columns = r_plspm_weights(raw, name)
    weights = {}
    population = (raw - raw.mean()) / raw.std(ddof=0)
    for j, (lv, mvs) in enumerate(BLOCKS.items()):
        rows = [columns.index(mv) for mv in mvs]
        block = w[rows, j]
        # The package's scores may be turned round; R's weights give the same scores.
        sign = np.sign(np.corrcoef(x[:, rows] @ block, scores[lv].values)[0, 1])
        block = sign * block
        assert np.allclose(x[:, rows] @ block, scores[lv].values, atol=1e-8), lv
        fitted, *_ = np.linalg.lstsq(population[mvs].values, scores[lv].values, rcond=None)
        assert np.allclose(fitted, block, atol=1e-10), lv
        weights.update({mv: float(v) for mv, v in zip(mvs, block)})
    result[name] = {
        "outer_weights": weights,
        "loadings": {mv: float(outer.loc[mv, "loading"]) for mv in outer.index},
        "paths": [{"from": s, "to": t, "coefficient": float(model.path_coefficients().loc[t, s])} for s, t in PATHS],
        "r2": {lv: float(v) for lv, v in model.inner_summary()["r_squared"].items() if v > 0},
        "total_effects": [{"from": row["from"], "to": row["to"], "total": float(row["total"])}
                          for _, row in effects.iterrows()],
        # The textbook formulas applied to plspm's loadings.
        "reliability": {lv: {
            "composite_reliability": float(outer.loc[mvs, "loading"].sum() ** 2
                                           / (outer.loc[mvs, "loading"].sum() ** 2 + (1 - outer.loc[mvs, "loading"] ** 2).sum())),
            "ave": float((outer.loc[mvs, "loading"] ** 2).mean()),
        } for lv, mvs in BLOCKS.items()},
    }
# Bootstrap standard errors of the path coefficients (path scheme, 2,000 resamples): random, so
# the test compares ours with these within a tolerance that covers both Monte Carlo errors.
config = c.Config(path, scaled=True)
for lv, mvs in BLOCKS.items():
    config.add_lv(lv, Mode.A, *[c.MV(mv) for mv in mvs])
booted = Plspm(data, config, Scheme.PATH, iterations=1000, tolerance=1e-20, bootstrap=True,
               bootstrap_iterations=2000, processes=2)
paths_boot = booted.bootstrap().paths()
result["path"]["bootstrap_se"] = [
    {"from": s, "to": t, "se": float(paths_boot.loc[f"{s} -> {t}", "std.error"])} for s, t in PATHS
]
(FIXTURES / "expected.json").write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
model_toml = "".join(f'[constructs.{lv}]\nindicators = {json.dumps(mvs)}\n' for lv, mvs in BLOCKS.items())
model_toml += "".join(f'[[paths]]\nfrom = "{s}"\nto = "{t}"\n' for s, t in PATHS)
(FIXTURES / "model.toml").write_text(model_toml)
print("wrote", len(result), "schemes")

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
scale of the reported scores. The reference outer weights are those that reproduce the scores: the scores (population variance 1) as a linear
combination of the indicators standardised with n - 1, which is the convention of R's plspm.
Loadings, path coefficients, R² and total effects come straight from the package.
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
    standardised = data
    weights = {}
    for lv, mvs in BLOCKS.items():
        w, *_ = np.linalg.lstsq(standardised[mvs].values, scores[lv].values, rcond=None)
        weights.update({mv: float(v) for mv, v in zip(mvs, w)})
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

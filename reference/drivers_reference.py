"""Reference values for the satisfaction-index model of `minxin evaluate`
(crates/cli/tests/reference.rs), computed with the plspm package from PyPI.

Not run in CI. Rerun by hand after changing the model or the demo generator:
    pip install "pandas<3" plspm==0.5.7
    minxin demo --out /tmp/demo --seed 2021
    python3 reference/drivers_reference.py /tmp/demo/minxin-demo-synthetic.csv

Data: the demo's ratings with all eight items answered (minxin estimates the model from pairwise
correlations; with complete rows these are plain correlations, as plspm uses). Model: the
default of crates/domain/src/evaluation/drivers.rs, one construct per dimension, mode A, path
scheme. The indicators are standardised here (plspm 0.5.7's `scaled=True` divides by one pooled
standard deviation), and the outer weights are those of R's plspm as in
reference/pls_reference.py: the scores as a combination of the indicators standardised with
the population standard deviation (R's `get_treated_data`).
"""
import json
import pathlib
import sys

import numpy as np
import pandas as pd
import plspm.config as c
from plspm.mode import Mode
from plspm.plspm import Plspm
from plspm.scheme import Scheme

OUT = pathlib.Path(__file__).resolve().parent.parent / "crates" / "cli" / "tests" / "fixtures" / "drivers"
BLOCKS = {
    "awareness": ["awareness"], "relevance": ["relevance"], "need_fit": ["need_fit"],
    "quality": ["quality"], "value": ["value"], "satisfaction": ["satisfaction"],
    "trust": ["trust_delivery", "trust_improvement"],
}
PATHS = [("awareness", "relevance"), ("relevance", "need_fit"), ("need_fit", "quality"),
         ("need_fit", "value"), ("need_fit", "satisfaction"), ("quality", "value"),
         ("quality", "satisfaction"), ("value", "satisfaction"), ("satisfaction", "trust")]
ITEMS = [mv for mvs in BLOCKS.values() for mv in mvs]

rows = pd.read_csv(sys.argv[1]).dropna(subset=ITEMS)
raw = rows[ITEMS].astype(float)
data = (raw - raw.mean()) / raw.std(ddof=1)
# plspm refuses constructs named like an item, so its constructs are prefixed.
name = {lv: "LV_" + lv for lv in BLOCKS}
lvs = list(name.values())
path = pd.DataFrame(0, index=lvs, columns=lvs)
for source, target in PATHS:
    path.loc[name[target], name[source]] = 1
config = c.Config(path, scaled=True)
for lv, mvs in BLOCKS.items():
    config.add_lv(name[lv], Mode.A, *[c.MV(mv) for mv in mvs])
model = Plspm(data, config, Scheme.PATH, iterations=1000, tolerance=1e-20)
outer = model.outer_model()
scores = model.scores()
weights = {}
population = (raw - raw.mean()) / raw.std(ddof=0)
for lv, mvs in BLOCKS.items():
    w, *_ = np.linalg.lstsq(population[mvs].values, scores[name[lv]].values, rcond=None)
    weights[lv] = {mv: float(v) for mv, v in zip(mvs, w)}
effects = model.effects()
result = {
    "rows": int(len(rows)),
    "outer_weights": weights,
    "loadings": {lv: {mv: float(outer.loc[mv, "loading"]) for mv in mvs} for lv, mvs in BLOCKS.items()},
    "paths": [{"from": s, "to": t, "coefficient": float(model.path_coefficients().loc[name[t], name[s]])}
              for s, t in PATHS],
    "r_squared": {lv[3:]: float(v) for lv, v in model.inner_summary()["r_squared"].items() if v > 0},
    "total_effects_on_satisfaction": {row["from"][3:]: float(row["total"]) for _, row in effects.iterrows()
                                      if row["to"] == "LV_satisfaction"},
}
(OUT / "expected.json").write_text(json.dumps(result, indent=2) + "\n")
print(json.dumps(result, indent=2))

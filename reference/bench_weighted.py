"""The weighted evaluation with its bootstrap, written directly in numpy, to time against
`minxin bench evaluate --replicates 1000` on the same file, and to compare the results.

Not run in CI. Usage (a virtual environment with numpy and pandas):
    minxin bench generate --out bench.csv --respondents 1000000
    python3 reference/bench_weighted.py bench.csv [replicates] [reference.json]

With a third argument it also writes the results as reference values; the committed ones
(crates/cli/tests/fixtures/weighted/numpy.json, checked by crates/cli/tests/reference.rs) come from
    minxin bench generate --out bench20k.csv --respondents 20000 --seed 1
    python3 reference/bench_weighted.py bench20k.csv 4000 crates/cli/tests/fixtures/weighted/numpy.json

What it computes, as minxin does with the default configuration:
- weights raked (iterative proportional fitting, 1e-12) to Shanghai's 2020 census by district
  and by sex, on the respondents;
- per project, the weighted mean score of each item (0-100), dimension scores (mean of their
  items), the recognition index (awareness, relevance, need_fit) and the satisfaction index
  (quality, value, satisfaction, trust);
- the Rao-Wu bootstrap (n - 1 of n drawn within each district x sex cell), here over
  respondents rather than minxin's random groups of respondents: in every replicate the
  indices, the median cut points, each project's quadrant and ranks.
Prints the time of each stage, and the bootstrap SEs and quadrant probabilities to compare.
"""

import sys
import time

import numpy as np
import pandas as pd

DISTRICTS = {
    "310101": 662030, "310104": 1113078, "310105": 693051, "310106": 975707,
    "310107": 1239842, "310109": 757498, "310110": 1242548, "310112": 2653489,
    "310113": 2235218, "310114": 1834258, "310115": 5681512, "310116": 822776,
    "310117": 1909713, "310118": 1271424, "310120": 1140872, "310151": 637921,
}
SEXES = {"male": 12875211, "female": 11995684}
ITEMS = ["awareness", "relevance", "need_fit", "quality", "value", "satisfaction",
         "trust_delivery", "trust_improvement"]
# Dimension of each item; recognition dimensions 0-2, satisfaction dimensions 3-6.
ITEM_DIMENSION = np.array([0, 1, 2, 3, 4, 5, 6, 6])
RECOGNITION_DIMENSIONS = [0, 1, 2]
SATISFACTION_DIMENSIONS = [3, 4, 5, 6]
STEP = 25.0


def indices(totals):
    """Recognition and satisfaction per project from totals[..., project, item, (sum, count)]."""
    with np.errstate(invalid="ignore", divide="ignore"):
        means = totals[..., 0] / totals[..., 1] * STEP
    dims = np.stack([np.nanmean(means[..., ITEM_DIMENSION == d], axis=-1) for d in range(7)], -1)
    return (np.nanmean(dims[..., RECOGNITION_DIMENSIONS], axis=-1),
            np.nanmean(dims[..., SATISFACTION_DIMENSIONS], axis=-1))


def quadrants(rec, sat):
    high_r = rec >= np.median(rec, axis=-1, keepdims=True)
    high_s = sat >= np.median(sat, axis=-1, keepdims=True)
    # 0 HH, 1 HL, 2 LH, 3 LL
    return np.where(high_r, np.where(high_s, 0, 1), np.where(high_s, 2, 3))


def ranks(values):
    """Competition ranks, highest first, along the last axis."""
    return 1 + (values[..., None, :] > values[..., :, None]).sum(-1)


def main():
    path = sys.argv[1]
    replicates = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    rng = np.random.default_rng(1)
    t0 = time.perf_counter()
    frame = pd.read_csv(path, usecols=["respondent_id", "district", "gender", "project"] + ITEMS,
                        dtype={"district": str})
    t_read = time.perf_counter() - t0

    t0 = time.perf_counter()
    respondent, respondents = pd.factorize(frame["respondent_id"])
    project, projects = pd.factorize(frame["project"], sort=True)
    n, p = len(respondents), len(projects)
    answers = frame[ITEMS].to_numpy(dtype=float)
    answered = ~np.isnan(answers)
    x = np.zeros((n, p, len(ITEMS), 2))
    x[respondent, project, :, 0] = np.where(answered, answers - 1, 0)
    x[respondent, project, :, 1] = answered
    x = x.reshape(n, -1)
    first = np.unique(respondent, return_index=True)[1]
    district = pd.Categorical(frame["district"].to_numpy()[first], categories=list(DISTRICTS)).codes
    sex = pd.Categorical(frame["gender"].to_numpy()[first], categories=list(SEXES)).codes
    t_prepare = time.perf_counter() - t0

    t0 = time.perf_counter()
    weights = np.ones(n)
    targets_d = np.array(list(DISTRICTS.values()), float)
    targets_s = np.array(list(SEXES.values()), float)
    targets_s *= targets_d.sum() / targets_s.sum()
    for sweep in range(1000):
        before = weights.copy()
        weights *= (targets_d / np.bincount(district, weights, 16))[district]
        weights *= (targets_s / np.bincount(sex, weights, 2))[sex]
        if np.max(np.abs(weights / before - 1)) < 1e-12:
            break
    deff = n * np.sum(weights ** 2) / np.sum(weights) ** 2
    full = (weights @ x).reshape(p, len(ITEMS), 2)
    rec, sat = indices(full)
    t_weight = time.perf_counter() - t0

    t0 = time.perf_counter()
    cell = district * 2 + sex
    order = np.argsort(cell, kind="stable")
    sizes = np.bincount(cell, minlength=32)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    wx = (x * weights[:, None])[order].astype(np.float32)
    chunk = 25
    rec_r, sat_r = [], []
    for start in range(0, replicates, chunk):
        count = min(chunk, replicates - start)
        factors = np.zeros((count, n), np.float32)
        for c in np.nonzero(sizes > 1)[0]:
            size, base = sizes[c], starts[c]
            draws = rng.integers(0, size, (count, size - 1))
            for r in range(count):
                factors[r, base:base + size] = np.bincount(draws[r], minlength=size) * (size / (size - 1))
        for c in np.nonzero(sizes == 1)[0]:
            factors[:, starts[c]] = 1
        totals = (factors @ wx).reshape(count, p, len(ITEMS), 2).astype(float)
        r_, s_ = indices(totals)
        rec_r.append(r_)
        sat_r.append(s_)
    rec_r, sat_r = np.concatenate(rec_r), np.concatenate(sat_r)
    q = quadrants(rec_r, sat_r)
    probabilities = np.stack([(q == k).mean(0) for k in range(4)], -1)
    rank_r = ranks(rec_r)
    t_boot = time.perf_counter() - t0

    print(f"respondents {n}, rows {len(frame)}, design effect {deff:.4f}")
    print(f"read CSV {t_read:.2f} s, per-respondent sums {t_prepare:.2f} s, "
          f"raking and scores {t_weight:.2f} s, bootstrap ({replicates}) {t_boot:.2f} s, "
          f"total {t_read + t_prepare + t_weight + t_boot:.2f} s")
    print("project recognition se_rec satisfaction se_sat P(HH) P(HL) P(LH) P(LL) rank_interval")
    for k, code in enumerate(projects):
        lo, hi = np.quantile(rank_r[:, k], [0.025, 0.975])
        print(f"{code:14s} {rec[k]:.4f} {rec_r[:, k].std(ddof=1):.4f} {sat[k]:.4f} "
              f"{sat_r[:, k].std(ddof=1):.4f} "
              + " ".join(f"{v:.3f}" for v in probabilities[k]) + f" {lo:.0f}-{hi:.0f}")


    if len(sys.argv) > 3:
        import json
        reference = {
            "respondents": int(n),
            "replicates": replicates,
            "design_effect": float(deff),
            "projects": {
                code: {
                    "recognition": float(rec[k]),
                    "satisfaction": float(sat[k]),
                    "se_recognition": float(rec_r[:, k].std(ddof=1)),
                    "se_satisfaction": float(sat_r[:, k].std(ddof=1)),
                    "quadrant_probabilities": [float(v) for v in probabilities[k]],
                }
                for k, code in enumerate(projects)
            },
        }
        with open(sys.argv[3], "w") as out:
            json.dump(reference, out, indent=2)


if __name__ == "__main__":
    main()

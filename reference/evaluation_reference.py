"""Reference values for the evaluation (crates/cli/tests/reference.rs), computed independently
with NumPy and SciPy from the formulas in the README, on a response file this script writes.

Not run in CI. Rerun by hand after changing the formulas or the data:
    pip install numpy scipy
    python3 reference/evaluation_reference.py
It writes crates/cli/tests/fixtures/reference-responses.csv and reference-expected.json.
"""
import csv
import json
import pathlib

import numpy as np
from scipy import stats

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "crates" / "cli" / "tests" / "fixtures"
ITEMS = {  # item -> (dimension, index)
    "awareness": ("awareness", "recognition"),
    "relevance": ("relevance", "recognition"),
    "need_fit": ("need_fit", "recognition"),
    "quality": ("quality", "satisfaction"),
    "value": ("value", "satisfaction"),
    "satisfaction": ("satisfaction", "satisfaction"),
    "trust_delivery": ("trust", "satisfaction"),
    "trust_improvement": ("trust", "satisfaction"),
}
DIMENSIONS = ["awareness", "relevance", "need_fit", "quality", "value", "satisfaction", "trust"]
PROJECTS = ["old-district", "breakfast", "parking", "medical", "rural", "red-culture", "elevators"]
DISTRICTS = ["310101", "310104", "310115", "310151"]
GENDERS = ["male", "female", ""]
EDUCATIONS = ["senior_high", "bachelor", "postgraduate", ""]
OCCUPATIONS = ["office_staff", "student", "retired", ""]
HEADER = ["respondent_id", "wave", "district", "gender", "age", "education", "occupation",
          "channel", "project"] + list(ITEMS)


def make_rows(rng):
    rows = []
    # Project popularity: the last project gets few raters, so it is not reliable.
    shares = [0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.06]
    levels = rng.normal(0, 0.8, size=len(PROJECTS))
    for r in range(300):
        profile = [f"REF-{r:04d}", "2025", str(rng.choice(DISTRICTS)), str(rng.choice(GENDERS)),
                   "" if rng.random() < 0.05 else str(int(rng.integers(18, 80))),
                   str(rng.choice(EDUCATIONS)), str(rng.choice(OCCUPATIONS)), "portal"]
        leniency = rng.normal(0, 0.7)
        for p, project in enumerate(PROJECTS):
            if rng.random() >= shares[p]:
                continue
            answers = []
            all_missing = rng.random() < 0.03
            for item in ITEMS:
                if all_missing or rng.random() < 0.12:
                    answers.append("")
                else:
                    value = 3 + levels[p] + leniency + rng.normal(0, 1)
                    answers.append(str(int(np.clip(np.rint(value), 1, 5))))
            rows.append(profile + [project] + answers)
    order = rng.permutation(len(rows))  # rows in no particular order
    return [rows[i] for i in order]


def t_interval(values):
    values = np.asarray(values, dtype=float)
    n = len(values)
    mean = values.mean() if n else None
    if n < 2:
        return {"n": n, "mean": mean, "sd": None, "se": None, "ci_low": None, "ci_high": None}
    sd = values.std(ddof=1)
    se = sd / np.sqrt(n)
    t = stats.t.ppf(0.975, n - 1)
    return {"n": n, "mean": mean, "sd": sd, "se": se, "ci_low": mean - t * se, "ci_high": mean + t * se}


def evaluate(rows):
    column = {name: i for i, name in enumerate(HEADER)}
    projects = {}
    for project in PROJECTS:
        mine = [row for row in rows if row[column["project"]] == project]
        answered = [row for row in mine if any(row[column[i]] for i in ITEMS)]
        items = {}
        for item in ITEMS:
            scores = [(int(row[column[item]]) - 1) * 25 for row in mine if row[column[item]]]
            items[item] = t_interval(scores)
            items[item]["dont_know"] = len(mine) - len(scores)
        dimensions = {}
        for dimension in DIMENSIONS:
            means = [items[i]["mean"] for i, (d, _) in ITEMS.items() if d == dimension and items[i]["mean"] is not None]
            dimensions[dimension] = float(np.mean(means)) if means else None
        index = {}
        for name in ["recognition", "satisfaction"]:
            scores = [dimensions[d] for d in DIMENSIONS
                      if next(ix for (dd, ix) in ITEMS.values() if dd == d) == name and dimensions[d] is not None]
            index[name] = float(np.mean(scores)) if scores else None
        gaps = []
        for row in mine:
            rec = [(int(row[column[i]]) - 1) * 25 for i, (_, ix) in ITEMS.items() if ix == "recognition" and row[column[i]]]
            sat = [(int(row[column[i]]) - 1) * 25 for i, (_, ix) in ITEMS.items() if ix == "satisfaction" and row[column[i]]]
            if rec and sat:
                gaps.append(np.mean(rec) - np.mean(sat))
        gap = t_interval(gaps)
        gap["notable"] = bool(gap["ci_low"] is not None and (gap["ci_low"] > 0 or gap["ci_high"] < 0)
                              and abs(gap["mean"]) >= 5)
        projects[project] = {
            "rows": len(mine), "n": len(answered),
            "reliable": len(answered) >= 30 and None not in index.values(),
            "recognition": index["recognition"], "satisfaction": index["satisfaction"],
            "dimensions": dimensions, "items": items, "gap": gap,
        }
    reliable = [p for p in PROJECTS if projects[p]["reliable"]]
    cut = {name: float(np.median([projects[p][name] for p in reliable])) for name in ["recognition", "satisfaction"]}
    for name in ["recognition", "satisfaction"]:
        ranks = stats.rankdata([-projects[p][name] for p in reliable], method="min")
        for p, rank in zip(reliable, ranks):
            projects[p][f"rank_{name}"] = int(rank)
    for p in PROJECTS:
        if projects[p]["reliable"]:
            high_r = projects[p]["recognition"] >= cut["recognition"]
            high_s = projects[p]["satisfaction"] >= cut["satisfaction"]
            projects[p]["quadrant"] = ("H" if high_r else "L") + ("H" if high_s else "L")
        else:
            projects[p]["quadrant"] = None
            projects[p]["rank_recognition"] = projects[p]["rank_satisfaction"] = None
    respondents = {}
    for row in rows:
        respondents[row[0]] = row
    ages = [int(row[column["age"]]) for row in respondents.values() if row[column["age"]]]
    profile = {
        "respondents": len(respondents),
        "age": {"n": len(ages), "mean": float(np.mean(ages)), "min": min(ages), "max": max(ages),
                "not_stated": len(respondents) - len(ages)},
        "district": {d: sum(1 for row in respondents.values() if row[column["district"]] == d) for d in DISTRICTS},
        "gender_not_stated": sum(1 for row in respondents.values() if row[column["gender"]] == ""),
    }
    return {"cut_points": cut, "projects": projects, "profile": profile}


def plain(value):
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    return value


if __name__ == "__main__":
    rows = make_rows(np.random.default_rng(20251125))
    with open(FIXTURES / "reference-responses.csv", "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    with open(FIXTURES / "reference-expected.json", "w") as f:
        json.dump(plain(evaluate(rows)), f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(rows)} rows")

//! The evaluation agrees with an independent implementation (NumPy and SciPy, see
//! `reference/evaluation_reference.py`) on a response file with missing answers, all-missing
//! rows, an unreliable project and rows in random order.
//!
//! The standard errors and intervals of the indices agree with R's survey package
//! (`svycontrast` of ratio totals, see `reference/index_se_reference.R`).
//!
//! The weighted evaluation and its bootstrap agree with a direct numpy implementation
//! (`reference/bench_weighted.py`), with the tolerances its test states.
//!
//! Tolerance: 1e-9 relative (or absolute, near zero) for every closed-form value: means,
//! standard deviations, standard errors, t intervals, dimension and index scores, cut points.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const TOLERANCE: f64 = 1e-9;

fn close(actual: &Value, expected: &Value, path: &str) {
    match (actual, expected) {
        (Value::Number(a), Value::Number(e)) => {
            let (a, e) = (a.as_f64().unwrap(), e.as_f64().unwrap());
            let scale = e.abs().max(1.0);
            assert!(
                (a - e).abs() <= TOLERANCE * scale,
                "{path}: {a} vs reference {e}"
            );
        }
        _ => assert_eq!(actual, expected, "{path}"),
    }
}

/// Runs `minxin args` in `folder`, expecting success; its standard output.
fn minxin_in(folder: &Path, args: &[&str]) -> Vec<u8> {
    let output = Command::new(env!("CARGO_BIN_EXE_minxin"))
        .args(args)
        .current_dir(folder)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// `minxin args` in `folder` as JSON.
fn json_in(folder: &Path, args: &[&str]) -> Value {
    serde_json::from_slice(&minxin_in(folder, args)).unwrap()
}

fn evaluate() -> Value {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reference-responses.csv");
    json_in(
        Path::new("."),
        &[
            "evaluate",
            fixture.to_str().unwrap(),
            "--format",
            "json",
            "--strict",
        ],
    )
}

fn expected() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reference-expected.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn project_statistics_match_the_reference() {
    let actual = evaluate();
    let expected = expected();
    for key in ["recognition", "satisfaction"] {
        close(
            &actual["cut_points"][key],
            &expected["cut_points"][key],
            &format!("cut_points.{key}"),
        );
    }
    let projects = expected["projects"].as_object().unwrap();
    assert_eq!(projects.len(), 7);
    for (code, reference) in projects {
        let mine = actual["projects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == *code)
            .unwrap();
        for key in [
            "rows",
            "n",
            "reliable",
            "quadrant",
            "rank_recognition",
            "rank_satisfaction",
        ] {
            assert_eq!(mine[key], reference[key], "{code}.{key}");
        }
        for key in ["recognition", "satisfaction"] {
            close(&mine[key], &reference[key], &format!("{code}.{key}"));
        }
        for (dimension, value) in reference["dimensions"].as_object().unwrap() {
            close(
                &mine["dimensions"][dimension],
                value,
                &format!("{code}.dimensions.{dimension}"),
            );
        }
        for (item, statistics) in reference["items"].as_object().unwrap() {
            for (key, value) in statistics.as_object().unwrap() {
                close(
                    &mine["items"][item][key],
                    value,
                    &format!("{code}.items.{item}.{key}"),
                );
            }
        }
        for (key, value) in reference["gap"].as_object().unwrap() {
            close(&mine["gap"][key], value, &format!("{code}.gap.{key}"));
        }
    }
}

#[test]
fn profile_matches_the_reference() {
    let actual = evaluate();
    let expected = expected();
    let profile = &actual["profile"];
    assert_eq!(profile["respondents"], expected["profile"]["respondents"]);
    for (key, value) in expected["profile"]["age"].as_object().unwrap() {
        close(&profile["age"][key], value, &format!("age.{key}"));
    }
    for (district, count) in expected["profile"]["district"].as_object().unwrap() {
        let mine = profile["district"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == *district)
            .unwrap();
        assert_eq!(&mine["count"], count, "district {district}");
    }
    let not_stated = profile["gender"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["code"].is_null())
        .unwrap();
    assert_eq!(
        not_stated["count"],
        expected["profile"]["gender_not_stated"]
    );
}

#[test]
fn index_intervals_match_the_survey_package() {
    let actual = evaluate();
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reference-index-intervals.json");
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let projects = expected.as_object().unwrap();
    assert_eq!(projects.len(), 7);
    for (code, reference) in projects {
        let mine = actual["projects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == *code)
            .unwrap();
        assert_eq!(mine["n"], reference["n"], "{code}.n");
        for index in ["recognition", "satisfaction"] {
            close(
                &mine[index],
                &reference[index]["value"],
                &format!("{code}.{index}"),
            );
            for key in ["se", "ci_low", "ci_high"] {
                close(
                    &mine[format!("{index}_interval")][key],
                    &reference[index][key],
                    &format!("{code}.{index}_interval.{key}"),
                );
            }
        }
    }
}

/// The weighted evaluation against a direct numpy implementation (`reference/bench_weighted.py`:
/// raking on the respondents, and a bootstrap over respondents rather than minxin's random
/// groups) on 20,000 generated respondents (`minxin bench generate --seed 1`; regenerate the
/// fixture if the generator changes). Weighted scores and the design effect are closed-form:
/// 1e-9. Bootstrap SEs (4,000 replicates each) agree within 10 % and quadrant probabilities
/// within 0.05, several times their Monte Carlo error.
#[test]
fn the_weighted_evaluation_matches_a_numpy_implementation() {
    let folder = tempfile::tempdir().unwrap();
    let data = folder.path().join("bench.csv");
    let run = |args: &[&str]| minxin_in(folder.path(), args);
    let data = data.to_str().unwrap();
    run(&[
        "bench",
        "generate",
        "--out",
        data,
        "--respondents",
        "20000",
        "--seed",
        "1",
    ]);
    let report: Value = serde_json::from_slice(&run(&[
        "evaluate",
        data,
        "--replicates",
        "4000",
        "--format",
        "json",
    ]))
    .unwrap();
    let weighted = &report["weighted"];
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/weighted/numpy.json");
    let numpy: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    close(
        &weighted["weighting"]["design_effect"],
        &numpy["design_effect"],
        "design_effect",
    );
    let reference = numpy["projects"].as_object().unwrap();
    assert_eq!(reference.len(), 16);
    for project in weighted["projects"].as_array().unwrap() {
        let code = project["code"].as_str().unwrap();
        let expected = &reference[code];
        for index in ["recognition", "satisfaction"] {
            close(
                &project[index]["score"],
                &expected[index],
                &format!("{code}.{index}"),
            );
            let (se, reference_se) = (
                project[index]["se"].as_f64().unwrap(),
                expected[format!("se_{index}")].as_f64().unwrap(),
            );
            assert!(
                (se / reference_se - 1.0).abs() < 0.10,
                "{code}.{index} SE {se} vs numpy {reference_se}"
            );
        }
        let probabilities = project["quadrant_probabilities"].as_array().unwrap();
        let reference_probabilities = expected["quadrant_probabilities"].as_array().unwrap();
        for (p, q) in probabilities.iter().zip(reference_probabilities) {
            let (p, q) = (p.as_f64().unwrap(), q.as_f64().unwrap());
            assert!(
                (p - q).abs() < 0.05,
                "{code}: quadrant probability {p} vs numpy {q}"
            );
        }
    }
}

/// The satisfaction-index model against plspm from PyPI (`reference/drivers_reference.py`) on
/// the demo's ratings with every item answered: outer weights, loadings, paths, R² and the
/// total effects on satisfaction (the drivers). Iterative: 1e-6 relative.
#[test]
fn the_satisfaction_model_matches_plspm() {
    let folder = tempfile::tempdir().unwrap();
    minxin_in(folder.path(), &["demo", "--out", "d", "--seed", "2021"]);
    let text = std::fs::read_to_string(folder.path().join("d/minxin-demo-synthetic.csv")).unwrap();
    let complete: Vec<&str> = text
        .lines()
        .enumerate()
        .filter(|(i, line)| *i == 0 || line.split(',').rev().take(8).all(|f| !f.is_empty()))
        .map(|(_, line)| line)
        .collect();
    let data = folder.path().join("complete.csv");
    std::fs::write(&data, complete.join("\n") + "\n").unwrap();
    let report = json_in(
        folder.path(),
        &[
            "evaluate",
            data.to_str().unwrap(),
            "--format",
            "json",
            "--strict",
        ],
    );
    assert!(
        report["projects"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["reliable"] == true),
        "the model pools the reliable projects: here all of them, as plspm pools every row"
    );
    let model = &report["satisfaction_model"];
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/drivers/expected.json");
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(model["n"], expected["rows"]);
    let near = |a: &Value, e: &Value, what: &str| {
        let (a, e) = (a.as_f64().unwrap(), e.as_f64().unwrap());
        assert!(
            (a - e).abs() <= 1e-6 * e.abs().max(1.0),
            "{what}: {a} vs plspm {e}"
        );
    };
    for field in ["outer_weights", "loadings"] {
        for (construct, items) in expected[field].as_object().unwrap() {
            for (item, value) in items.as_object().unwrap() {
                near(
                    &model[field][construct][item],
                    value,
                    &format!("{field}.{construct}.{item}"),
                );
            }
        }
    }
    for (mine, reference) in model["paths"]
        .as_array()
        .unwrap()
        .iter()
        .zip(expected["paths"].as_array().unwrap())
    {
        assert_eq!(mine["from"], reference["from"]);
        assert_eq!(mine["to"], reference["to"]);
        near(&mine["coefficient"], &reference["coefficient"], "path");
    }
    for (construct, r2) in expected["r_squared"].as_object().unwrap() {
        near(
            &model["r_squared"][construct],
            r2,
            &format!("r_squared.{construct}"),
        );
    }
    let drivers = model["drivers"].as_array().unwrap();
    for (construct, total) in expected["total_effects_on_satisfaction"]
        .as_object()
        .unwrap()
    {
        let driver = drivers
            .iter()
            .find(|d| d["construct"] == construct.as_str())
            .unwrap_or_else(|| panic!("no driver {construct}"));
        near(
            &driver["total_effect"],
            total,
            &format!("driver {construct}"),
        );
    }
}

/// The reliability of the index scales, computed from the tallies' pair sums, equals
/// `minxin stats alpha` (pairwise) on the response file itself, which agrees with R's psych
/// (crates/cli/tests/stats.rs). Closed-form: 1e-9.
#[test]
fn scale_reliability_matches_stats_alpha_on_the_responses() {
    let folder = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| json_in(folder.path(), args);
    minxin_in(folder.path(), &["demo", "--out", "d", "--seed", "2021"]);
    let data = "d/minxin-demo-synthetic.csv";
    let report = run(&["evaluate", data, "--format", "json"]);
    let scales = report["reliability"]["scales"].as_array().unwrap();
    for (scale, items) in [
        ("recognition", "awareness,relevance,need_fit"),
        (
            "satisfaction",
            "quality,value,satisfaction,trust_delivery,trust_improvement",
        ),
        ("trust", "trust_delivery,trust_improvement"),
    ] {
        let mine = scales.iter().find(|s| s["scale"] == scale).unwrap();
        let alpha = run(&[
            "stats", "alpha", "--input", data, "--items", items, "--format", "json",
        ]);
        for key in ["raw_alpha", "std_alpha", "average_r"] {
            close(&mine[key], &alpha[key], &format!("{scale}.{key}"));
        }
        for item in alpha["items"].as_array().unwrap() {
            let code = item["item"].as_str().unwrap();
            close(
                &mine["item_rest"][code][0],
                &item["r_drop"],
                &format!("{scale}.{code}.r_drop"),
            );
            if item["alpha_if_dropped"].is_number() {
                close(
                    &mine["item_rest"][code][1],
                    &item["alpha_if_dropped"],
                    &format!("{scale}.{code}.alpha_if_dropped"),
                );
            }
        }
    }
    // Composite reliability and AVE of trust from the model's loadings (textbook formulas).
    let trust = scales.iter().find(|s| s["scale"] == "trust").unwrap();
    let loadings: Vec<f64> = report["satisfaction_model"]["loadings"]["trust"]
        .as_object()
        .unwrap()
        .values()
        .map(|l| l.as_f64().unwrap())
        .collect();
    let sum: f64 = loadings.iter().sum();
    let error: f64 = loadings.iter().map(|l| 1.0 - l * l).sum();
    let expected_cr = sum * sum / (sum * sum + error);
    let expected_ave = loadings.iter().map(|l| l * l).sum::<f64>() / loadings.len() as f64;
    close(
        &trust["composite_reliability"],
        &serde_json::json!(expected_cr),
        "trust CR",
    );
    close(
        &trust["average_variance_extracted"],
        &serde_json::json!(expected_ave),
        "trust AVE",
    );
    let htmt = report["reliability"]["htmt_recognition_satisfaction"]
        .as_f64()
        .unwrap();
    assert!(htmt > 0.0 && htmt < 1.0, "{htmt}");
}

//! `minxin stats` against reference values from independent implementations, on data that
//! ships with them: R's survey (weights, design-based estimates, replicate weights), psych (alpha) and semTools
//! (HTMT), and plspm from PyPI (PLS). The scripts that made them are in `reference/`; each
//! test states its tolerance.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The fixture folder `tests/fixtures/{name}`.
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn fixtures() -> PathBuf {
    fixture("weights")
}

/// The reference values in `tests/fixtures/{folder}/{file}`.
fn reference_values(folder: &str, file: &str) -> Value {
    let text = std::fs::read_to_string(fixture(folder).join(file)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn minxin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_minxin"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn json(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("valid JSON")
}

fn expected() -> Value {
    reference_values("weights", "expected.json")
}

/// Runs `minxin` expecting a failure; its standard error.
fn failure(args: &[&str]) -> String {
    let output = minxin(args);
    assert!(!output.status.success(), "expected {args:?} to fail");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `minxin stats pls` on the PoliticalDemocracy fixture, as JSON, with `extra` options.
fn pls(extra: &[&str]) -> Value {
    let folder = fixture("pls");
    let (input, model) = (
        folder.join("political_democracy.csv"),
        folder.join("model.toml"),
    );
    let mut args = vec![
        "stats",
        "pls",
        "--input",
        input.to_str().unwrap(),
        "--model",
        model.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    json(&minxin(&args))
}

fn assert_close(actual: &Value, expected: &Value, tolerance: f64, what: &str) {
    let (a, e) = (actual.as_f64().unwrap(), expected.as_f64().unwrap());
    assert!(
        (a - e).abs() <= tolerance * e.abs().max(1.0),
        "{what}: {a} vs reference {e}"
    );
}

fn weights(method: &str, margins: &Path) -> Value {
    let input = fixtures().join("apiclus1.csv");
    json(&minxin(&[
        "stats",
        "weights",
        "--input",
        input.to_str().unwrap(),
        "--margins",
        margins.to_str().unwrap(),
        "--base-weight",
        "pw",
        "--method",
        method,
        "--format",
        "json",
    ]))
}

fn compare(actual: &Value, reference: &Value, tolerance: f64) {
    let (mine, theirs) = (
        actual["weights"].as_array().unwrap(),
        reference["weights"].as_array().unwrap(),
    );
    assert_eq!(mine.len(), 183);
    assert_eq!(mine.len(), theirs.len());
    for (k, (a, e)) in mine.iter().zip(theirs).enumerate() {
        assert_close(a, e, tolerance, &format!("weight {k}"));
    }
    for key in ["design_effect", "effective_n"] {
        assert_close(&actual[key], &reference[key], tolerance, key);
    }
}

#[test]
fn raked_weights_match_the_survey_package() {
    let raked = weights("rake", &fixtures().join("margins.toml"));
    assert_eq!(raked["converged"], true);
    compare(&raked, &expected()["rake"], 1e-9);
    // Every margin is met.
    for margin in raked["margins"].as_array().unwrap() {
        for category in margin["categories"].as_array().unwrap() {
            assert_close(
                &category["weighted"],
                &category["population"],
                1e-9,
                "margin",
            );
        }
    }
}

#[test]
fn trimmed_weights_match_the_survey_package() {
    let input = fixtures().join("apiclus1.csv");
    let margins = fixtures().join("margins.toml");
    let trimmed = json(&minxin(&[
        "stats",
        "weights",
        "--input",
        input.to_str().unwrap(),
        "--margins",
        margins.to_str().unwrap(),
        "--base-weight",
        "pw",
        "--trim-upper",
        "45",
        "--trim-lower",
        "28",
        "--format",
        "json",
    ]));
    assert!(trimmed["trimming_rounds"].as_u64().unwrap() >= 1);
    compare(&trimmed, &expected()["rake_trimmed"], 1e-9);
}

#[test]
fn post_stratified_weights_match_the_survey_package() {
    let folder = tempfile::tempdir().unwrap();
    let margins = folder.path().join("stype.toml");
    std::fs::write(&margins, "[margins.stype]\nE = 4421\nH = 755\nM = 1018\n").unwrap();
    let post = weights("poststratify", &margins);
    compare(&post, &expected()["poststratify"], 1e-12);
    // Two variables cannot be post-stratified one at a time.
    let output = minxin(&[
        "stats",
        "weights",
        "--input",
        fixtures().join("apiclus1.csv").to_str().unwrap(),
        "--margins",
        fixtures().join("margins.toml").to_str().unwrap(),
        "--method",
        "poststratify",
    ]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("use --method rake"));
}

#[test]
fn bad_input_names_the_row_and_column() {
    let folder = tempfile::tempdir().unwrap();
    let input = folder.path().join("people.csv");
    std::fs::write(&input, "id,sex,w\n1,male,1\n2,female,2\n3,other,1\n4,,1\n").unwrap();
    let margins = folder.path().join("m.toml");
    std::fs::write(&margins, "[margins.sex]\nmale = 10\nfemale = 12\n").unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "stats",
            "weights",
            "--input",
            input.to_str().unwrap(),
            "--margins",
            margins.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        failure(&args)
    };
    assert!(
        run(&[]).contains("row 4, column sex: \"other\" has no population total"),
        "{}",
        run(&[])
    );
    std::fs::write(&input, "id,sex,w\n1,male,1\n2,female,x\n").unwrap();
    assert!(run(&["--base-weight", "w"]).contains("row 3, column w: \"x\" is not a number"));
    assert!(run(&["--base-weight", "weight"]).contains("--base-weight weight: no such column"));
    std::fs::write(&margins, "[margins.age]\nyoung = 3\n").unwrap();
    assert!(run(&[]).contains("--margins: variable age: no such column"));
}

fn alpha(items: &str, reverse: &str, missing: &str) -> Value {
    let input = fixture("alpha").join("bfi.csv");
    let mut args = vec![
        "stats",
        "alpha",
        "--input",
        input.to_str().unwrap(),
        "--items",
        items,
        "--missing",
        missing,
        "--format",
        "json",
    ];
    if !reverse.is_empty() {
        args.extend_from_slice(&["--reverse", reverse]);
    }
    json(&minxin(&args))
}

/// Cronbach's alpha against `psych::alpha` on its bfi data (`reference/alpha_reference.R`);
/// closed-form, so 1e-10 relative.
#[test]
fn alpha_matches_the_psych_package() {
    let expected = reference_values("alpha", "expected.json");
    let cases = [
        (
            "conscientiousness_pairwise",
            "C1,C2,C3,C4,C5",
            "C4,C5",
            "pairwise",
        ),
        (
            "conscientiousness_listwise",
            "C1,C2,C3,C4,C5",
            "C4,C5",
            "listwise",
        ),
        ("agreeableness_pairwise", "A1,A2,A3,A4,A5", "A1", "pairwise"),
    ];
    for (name, items, reverse, missing) in cases {
        let mine = alpha(items, reverse, missing);
        let reference = &expected[name];
        for key in ["raw_alpha", "std_alpha", "average_r"] {
            assert_close(&mine[key], &reference[key], 1e-10, &format!("{name}.{key}"));
        }
        let (my_items, their_items) = (
            mine["items"].as_array().unwrap(),
            reference["items"].as_array().unwrap(),
        );
        assert_eq!(my_items.len(), 5);
        for (a, e) in my_items.iter().zip(their_items) {
            assert_eq!(a["item"], e["item"]);
            for key in ["r_drop", "alpha_if_dropped"] {
                assert_close(
                    &a[key],
                    &e[key],
                    1e-10,
                    &format!("{name}.{}.{key}", e["item"]),
                );
            }
        }
    }
}

#[test]
fn alpha_errors_name_the_row_the_column_and_the_option() {
    let folder = tempfile::tempdir().unwrap();
    let input = folder.path().join("answers.csv");
    std::fs::write(&input, "a,b,c\n1,2,3\n2,x,4\n").unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["stats", "alpha", "--input", input.to_str().unwrap()];
        args.extend_from_slice(extra);
        failure(&args)
    };
    assert!(run(&["--items", "a,b,c"]).contains("row 3, column b: \"x\" is not a number"));
    assert!(run(&["--items", "a,d"]).contains("--items d: no such column"));
    assert!(
        run(&["--items", "a,b", "--reverse", "c"]).contains("--reverse c: not one of the --items")
    );
    // "NA" is a missing answer, as an empty field is (and as in `stats mean` and `stats pls`).
    let alpha_of = |text: &str| {
        std::fs::write(&input, text).unwrap();
        json(&minxin(&[
            "stats",
            "alpha",
            "--input",
            input.to_str().unwrap(),
            "--items",
            "a,b,c",
            "--format",
            "json",
        ]))["raw_alpha"]
            .clone()
    };
    let rows = "1,2,3\n2,3,3\n3,3,5\n4,5,4\n2,1,2\n";
    let with_na = alpha_of(&format!("a,b,c\n{rows}5,NA,4\n"));
    let with_empty = alpha_of(&format!("a,b,c\n{rows}5,,4\n"));
    assert!(with_na.is_number());
    assert_eq!(with_na, with_empty);
}

/// Design-based means and totals against `svymean`, `svytotal` and `confint` of R's survey
/// package (`reference/design_reference.R`), also after `postStratify` and `rake` (standard
/// errors from the calibration residuals): 1e-10 relative (the raked case agrees to 1e-13).
#[test]
fn design_based_estimates_match_the_survey_package() {
    let folder = fixture("design");
    let expected = reference_values("design", "expected.json");
    let strat = folder.join("apistrat.csv");
    let clus1 = folder.join("apiclus1.csv");
    let both_margins = fixtures().join("margins.toml");
    let scratch = tempfile::tempdir().unwrap();
    let stype_margins = scratch.path().join("stype.toml");
    std::fs::write(
        &stype_margins,
        "[margins.stype]\nE = 4421\nH = 755\nM = 1018\n",
    )
    .unwrap();
    let cluster = ["--weight", "pw", "--cluster", "dnum", "--fpc", "fpc"];
    let with = |extra: &[&str]| -> Vec<String> {
        cluster.iter().chain(extra).map(|s| s.to_string()).collect()
    };
    let cases: Vec<(&str, &Path, Vec<String>)> = vec![
        (
            "stratified",
            &strat,
            [
                "--var",
                "api00,enroll,acs.k3",
                "--weight",
                "pw",
                "--strata",
                "stype",
                "--fpc",
                "fpc",
            ]
            .map(String::from)
            .to_vec(),
        ),
        (
            "stratified_without_fpc",
            &strat,
            ["--var", "api00", "--weight", "pw", "--strata", "stype"]
                .map(String::from)
                .to_vec(),
        ),
        ("cluster", &clus1, with(&["--var", "api00"])),
        (
            "cluster_by_stype",
            &clus1,
            with(&["--var", "api00", "--by", "stype"]),
        ),
        (
            "cluster_poststratified",
            &clus1,
            with(&[
                "--var",
                "api00,enroll",
                "--method",
                "poststratify",
                "--margins",
                stype_margins.to_str().unwrap(),
            ]),
        ),
        (
            "cluster_raked",
            &clus1,
            with(&[
                "--var",
                "api00,enroll",
                "--margins",
                both_margins.to_str().unwrap(),
            ]),
        ),
    ];
    for (name, input, options) in &cases {
        let mut args = vec![
            "stats",
            "mean",
            "--input",
            input.to_str().unwrap(),
            "--format",
            "json",
        ];
        args.extend(options.iter().map(String::as_str));
        let mine = json(&minxin(&args));
        let estimates: Vec<&Value> = mine["estimates"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| *name != "cluster_by_stype" || !e["domain"].is_null())
            .collect();
        let reference = expected[*name].as_array().unwrap();
        assert_eq!(estimates.len(), reference.len(), "{name}");
        for (a, e) in estimates.iter().zip(reference) {
            assert_eq!(a["var"], e["var"], "{name}");
            assert_eq!(a["domain"], e["domain"], "{name}");
            for key in ["mean", "se_mean", "total", "se_total", "ci_low", "ci_high"] {
                assert_close(
                    &a[key],
                    &e[key],
                    1e-10,
                    &format!("{name}.{}.{key}", e["var"]),
                );
            }
        }
    }
}

/// Replicate standard errors against R's survey (`reference/replicate_reference.R`): the
/// jackknife is deterministic (1e-8 relative); the bootstrap draws differ from R's, so its SE
/// must agree within 5 %, several times the Monte Carlo error of 20,000 replicates each.
#[test]
fn replicate_standard_errors_match_the_survey_package() {
    let folder = fixture("design");
    let expected = reference_values("replicate", "expected.json");
    let strat = folder.join("apistrat.csv");
    let clus1 = folder.join("apiclus1.csv");
    let stratified = ["--weight", "pw", "--strata", "stype"];
    let cluster = ["--weight", "pw", "--cluster", "dnum"];
    let cases: Vec<(&str, &Path, Vec<&str>, f64)> = vec![
        (
            "jackknife_stratified",
            &strat,
            [
                &stratified[..],
                &["--var", "api00,acs.k3", "--replicate", "jackknife"],
            ]
            .concat(),
            1e-8,
        ),
        (
            "jackknife_cluster",
            &clus1,
            [
                &cluster[..],
                &["--var", "api00", "--replicate", "jackknife"],
            ]
            .concat(),
            1e-8,
        ),
        (
            "jackknife_cluster_by_stype",
            &clus1,
            [
                &cluster[..],
                &[
                    "--var",
                    "api00",
                    "--by",
                    "stype",
                    "--replicate",
                    "jackknife",
                ],
            ]
            .concat(),
            1e-8,
        ),
        (
            "bootstrap_stratified",
            &strat,
            [
                &stratified[..],
                &[
                    "--var",
                    "api00",
                    "--replicate",
                    "bootstrap",
                    "--replicates",
                    "20000",
                ],
            ]
            .concat(),
            0.05,
        ),
        (
            "bootstrap_cluster",
            &clus1,
            [
                &cluster[..],
                &[
                    "--var",
                    "api00",
                    "--replicate",
                    "bootstrap",
                    "--replicates",
                    "20000",
                ],
            ]
            .concat(),
            0.05,
        ),
    ];
    for (name, input, options, tolerance) in &cases {
        let mut args = vec![
            "stats",
            "mean",
            "--input",
            input.to_str().unwrap(),
            "--format",
            "json",
        ];
        args.extend(options);
        let mine = json(&minxin(&args));
        let estimates: Vec<&Value> = mine["estimates"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| !name.ends_with("by_stype") || !e["domain"].is_null())
            .collect();
        let reference = expected[*name].as_array().unwrap();
        assert_eq!(estimates.len(), reference.len(), "{name}");
        for (a, e) in estimates.iter().zip(reference) {
            assert_eq!(a["var"], e["var"], "{name}");
            for key in ["mean", "total"] {
                assert_close(&a[key], &e[key], 1e-10, &format!("{name}.{key}"));
            }
            for key in ["se_mean", "se_total"] {
                assert_close(&a[key], &e[key], *tolerance, &format!("{name}.{key}"));
            }
        }
    }
    // The same seed gives the same bootstrap; another seed another one.
    let run = |seed: &str| {
        let mut args = vec!["stats", "mean", "--input", strat.to_str().unwrap()];
        args.extend(stratified);
        args.extend([
            "--var",
            "api00",
            "--replicate",
            "bootstrap",
            "--replicates",
            "200",
            "--seed",
            seed,
            "--format",
            "json",
        ]);
        json(&minxin(&args))["estimates"][0]["se_mean"]
            .as_f64()
            .unwrap()
    };
    assert_eq!(run("3"), run("3"));
    assert_ne!(run("3"), run("4"));
    assert!(failure(&[
        "stats",
        "mean",
        "--input",
        strat.to_str().unwrap(),
        "--var",
        "api00",
        "--fpc",
        "fpc",
        "--replicate",
        "jackknife"
    ])
    .contains("--replicate does not take --fpc"));
}

#[test]
fn design_errors_name_what_is_wrong() {
    let folder = tempfile::tempdir().unwrap();
    let input = folder.path().join("units.csv");
    std::fs::write(&input, "y,s,w\n1,a,1\n2,a,1\n3,b,1\n").unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["stats", "mean", "--input", input.to_str().unwrap()];
        args.extend_from_slice(extra);
        failure(&args)
    };
    assert!(run(&["--var", "y", "--strata", "s"]).contains("single PSU"));
    assert!(run(&["--var", "z"]).contains("--var z: no such column"));
    std::fs::write(&input, "y,s,w\n1,a,1\nten,a,1\n").unwrap();
    assert!(run(&["--var", "y"]).contains("row 3, column y: \"ten\" is not a number"));
}

/// PLS path modelling against the plspm package from PyPI on lavaan's PoliticalDemocracy data
/// (`reference/pls_reference.py`), for every inner scheme. Iterative, so 1e-6 relative as the
/// issue allows; they agree to about 1e-12.
#[test]
fn pls_matches_the_reference_package() {
    let expected = reference_values("pls", "expected.json");
    for scheme in ["path", "centroid", "factorial"] {
        let mine = pls(&["--scheme", scheme]);
        let reference = &expected[scheme];
        for table in ["outer_weights", "loadings", "r2"] {
            let entries = reference[table].as_object().unwrap();
            assert!(!entries.is_empty());
            for (name, value) in entries {
                assert_close(
                    &mine[table][name],
                    value,
                    1e-6,
                    &format!("{scheme}.{table}.{name}"),
                );
            }
        }
        for (construct, values) in reference["reliability"].as_object().unwrap() {
            for key in ["composite_reliability", "ave"] {
                assert_close(
                    &mine["reliability"][construct][key],
                    &values[key],
                    1e-6,
                    &format!("{scheme}.{construct}.{key}"),
                );
            }
        }
        for (list, key) in [("paths", "coefficient"), ("total_effects", "total")] {
            for entry in reference[list].as_array().unwrap() {
                let found = mine[list]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|m| m["from"] == entry["from"] && m["to"] == entry["to"])
                    .unwrap_or_else(|| panic!("{scheme}: no {list} entry {entry}"));
                assert_close(&found[key], &entry[key], 1e-6, &format!("{scheme}.{list}"));
            }
        }
    }
}

/// HTMT ratios against R's semTools (`reference/htmt_reference.R`): closed-form, 1e-10.
#[test]
fn htmt_matches_sem_tools() {
    let expected = reference_values("pls", "htmt.json");
    let mine = pls(&[]);
    for reference in expected.as_array().unwrap() {
        let found = mine["htmt"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| {
                (h["a"] == reference["a"] && h["b"] == reference["b"])
                    || (h["a"] == reference["b"] && h["b"] == reference["a"])
            })
            .unwrap_or_else(|| panic!("no HTMT for {reference}"));
        assert_close(&found["htmt"], &reference["htmt"], 1e-10, "htmt");
    }
}

/// Bootstrap standard errors of the path coefficients against plspm's (2,000 resamples each).
/// Both are random, and plspm rescales each resample by one pooled standard deviation where we
/// standardise each indicator, so they agree only roughly: within 15%. The same seed gives
/// the same intervals, and each interval holds its estimate.
#[test]
fn pls_bootstrap_agrees_roughly_and_repeats_with_its_seed() {
    let expected = reference_values("pls", "expected.json");
    let run = |seed: &str| pls(&["--bootstrap", "2000", "--seed", seed]);
    let (first, again, other) = (run("7"), run("7"), run("8"));
    assert_eq!(first, again);
    assert_ne!(first["paths"], other["paths"]);
    for reference in expected["path"]["bootstrap_se"].as_array().unwrap() {
        let mine = first["paths"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["from"] == reference["from"] && p["to"] == reference["to"])
            .unwrap();
        let (se, their_se) = (
            mine["se"].as_f64().unwrap(),
            reference["se"].as_f64().unwrap(),
        );
        assert!(
            (se - their_se).abs() <= 0.15 * their_se,
            "bootstrap se {se} vs plspm's {their_se}"
        );
        let (low, high, estimate) = (
            mine["ci_low"].as_f64().unwrap(),
            mine["ci_high"].as_f64().unwrap(),
            mine["coefficient"].as_f64().unwrap(),
        );
        assert!(low < estimate && estimate < high, "{mine}");
    }
}

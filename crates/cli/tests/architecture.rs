//! The architecture invariants of ARCHITECTURE.md, checked as ordinary tests: every source file
//! says what it is for, and the lower crates stay free of I/O and of the crates above them.

use std::path::{Path, PathBuf};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn rust_files(folder: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn every_source_file_opens_with_a_module_doc() {
    let mut files = Vec::new();
    rust_files(&workspace_root().join("crates"), &mut files);
    assert!(files.len() > 20, "found only {} files", files.len());
    let undocumented: Vec<String> = files
        .iter()
        .filter(|path| !std::fs::read_to_string(path).unwrap().starts_with("//!"))
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        undocumented.is_empty(),
        "files without a leading //! doc: {undocumented:#?}"
    );
}

fn dependencies(krate: &str) -> Vec<String> {
    let manifest = std::fs::read_to_string(
        workspace_root()
            .join("crates")
            .join(krate)
            .join("Cargo.toml"),
    )
    .unwrap();
    let value: toml::Table = toml::from_str(&manifest).unwrap();
    value
        .get("dependencies")
        .and_then(|d| d.as_table())
        .map(|d| d.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn the_statistics_crate_is_pure() {
    assert_eq!(dependencies("survey-stats"), ["statrs", "thiserror"]);
}

#[test]
fn the_domain_does_no_io_and_depends_only_downwards() {
    assert_eq!(
        dependencies("domain"),
        [
            "hashbrown",
            "minxin-survey-stats",
            "rand_chacha",
            "serde",
            "serde_json",
            "sha2",
            "thiserror",
            "toml"
        ]
    );
}

#[test]
fn dependencies_point_one_way() {
    // Each crate may use only the crates listed below it here.
    let layers = [
        ("survey-stats", vec![]),
        ("domain", vec!["minxin-survey-stats"]),
        ("interchange", vec!["minxin-domain"]),
        ("demo", vec!["minxin-domain"]),
        ("report", vec!["minxin-domain"]),
        ("storage", vec!["minxin-domain"]),
        (
            "web",
            vec![
                "minxin-domain",
                "minxin-report",
                "minxin-demo",
                "minxin-interchange",
            ],
        ),
        (
            "cli",
            vec![
                "minxin-survey-stats",
                "minxin-domain",
                "minxin-interchange",
                "minxin-report",
                "minxin-demo",
                "minxin-storage",
                "minxin-web",
            ],
        ),
    ];
    for (krate, allowed) in layers {
        let internal: Vec<String> = dependencies(krate)
            .into_iter()
            .filter(|d| d.starts_with("minxin-"))
            .collect();
        for dependency in &internal {
            assert!(
                allowed.contains(&dependency.as_str()),
                "{krate} must not depend on {dependency}"
            );
        }
    }
}

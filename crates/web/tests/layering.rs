//! The shape of the web crate, checked: the HTML kit (`ui`) knows neither the infrastructure
//! nor the areas, the infrastructure (`app`) knows no area, no module imports itself back
//! through others (no cycle among `app`'s and `ui`'s files, none among the areas), and every
//! file stays under 600 lines unless it says why.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The longest a source file may be without a comment saying why.
const MAX_LINES: usize = 600;

fn source_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `folder`, as (module path, text): `app/state.rs` is `app::state`,
/// `areas/survey/mod.rs` is `areas::survey`, `lib.rs` is the empty path.
fn modules(folder: &Path, prefix: &[String], found: &mut BTreeMap<Vec<String>, String>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let mut module = prefix.to_vec();
        if path.is_dir() {
            module.push(name);
            modules(&path, &module, found);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        if name != "mod" && name != "lib" {
            module.push(name);
        }
        found.insert(module, std::fs::read_to_string(&path).unwrap());
    }
}

/// The crate's modules each file names (`crate::a::b`, `super::c`), resolved to the longest
/// module path that exists. In a file's test module, `super` is the file itself.
fn references(
    module: &[String],
    text: &str,
    known: &BTreeSet<Vec<String>>,
) -> BTreeSet<Vec<String>> {
    let mut found = BTreeSet::new();
    let tests_start = text.find("#[cfg(test)]\nmod tests").unwrap_or(text.len());
    for (start, _) in text
        .match_indices("crate::")
        .chain(text.match_indices("super::"))
    {
        let before = text[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest = &text[start..];
        let segments: Vec<&str> = rest
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .next()
            .unwrap()
            .split("::")
            .collect();
        let mut path: Vec<String> = Vec::new();
        let mut words = segments.iter();
        match words.next() {
            Some(&"crate") => {}
            Some(&"super") => {
                path = module.to_vec();
                // `super` in `a/b.rs` is `a`; in `a/b/mod.rs` (module `a::b`) it is `a` too.
                if start < tests_start {
                    path.pop();
                }
            }
            _ => continue,
        }
        let mut resolved = path.clone();
        for word in words {
            if *word == "super" {
                path.pop();
                resolved = path.clone();
                continue;
            }
            path.push(word.to_string());
            if known.contains(&path) {
                resolved = path.clone();
            }
        }
        found.insert(resolved);
    }
    found
}

struct Crate {
    files: BTreeMap<Vec<String>, String>,
    edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
}

fn web_crate() -> Crate {
    let mut files = BTreeMap::new();
    modules(&source_root(), &[], &mut files);
    let known: BTreeSet<Vec<String>> = files.keys().cloned().collect();
    let edges = files
        .iter()
        .map(|(module, text)| {
            (
                module.clone(),
                references(module, text, &known)
                    .into_iter()
                    .filter(|target| target != module)
                    .collect(),
            )
        })
        .collect();
    Crate { files, edges }
}

fn name(module: &[String]) -> String {
    if module.is_empty() {
        "crate".into()
    } else {
        module.join("::")
    }
}

/// A cycle in `graph`, if there is one, as the modules along it.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut found = stack[at..].to_vec();
            found.push(node.to_string());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, done, stack) {
                return Some(found);
            }
        }
        stack.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut done, &mut Vec::new()))
}

/// The graph with each module mapped by `group` (modules it maps to `None` left out), without
/// a group's edges to itself.
fn grouped(
    krate: &Crate,
    group: impl Fn(&[String]) -> Option<String>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, targets) in &krate.edges {
        let Some(from) = group(from) else { continue };
        let entry = graph.entry(from.clone()).or_default();
        for target in targets {
            if let Some(to) = group(target) {
                if to != from {
                    entry.insert(to);
                }
            }
        }
    }
    graph
}

fn layer(module: &[String]) -> &str {
    module.first().map_or("crate", String::as_str)
}

#[test]
fn the_html_kit_knows_neither_the_infrastructure_nor_the_areas() {
    let krate = web_crate();
    let mut wrong = Vec::new();
    for (from, targets) in &krate.edges {
        for target in targets {
            let allowed: &[&str] = match layer(from) {
                "ui" => &["ui"],
                "app" => &["ui", "app"],
                "areas" => &["ui", "app", "areas"],
                _ => continue,
            };
            if !allowed.contains(&layer(target)) {
                wrong.push(format!("{} uses {}", name(from), name(target)));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layers: {wrong:#?}");
    assert!(
        krate.files.keys().any(|m| layer(m) == "areas"),
        "the areas were found"
    );
}

#[test]
fn no_module_of_the_infrastructure_or_the_kit_imports_itself_back() {
    let krate = web_crate();
    let graph = grouped(&krate, |module| {
        matches!(layer(module), "ui" | "app").then(|| name(module))
    });
    assert!(graph.len() > 10, "found {} modules", graph.len());
    assert_eq!(cycle(&graph), None);
}

#[test]
fn the_areas_use_each_other_one_way() {
    let krate = web_crate();
    let graph = grouped(&krate, |module| {
        (layer(module) == "areas" && module.len() >= 2).then(|| module[1].clone())
    });
    assert!(graph.len() >= 9, "found the areas {:?}", graph.keys());
    // The dashboard shows the publication section: the references are read.
    assert!(graph["results"].contains("publication"), "{graph:?}");
    assert_eq!(cycle(&graph), None);
}

#[test]
fn a_cycle_is_found_where_there_is_one() {
    // The check above must be able to fail.
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.insert("a".into(), ["b".to_string()].into());
    graph.insert("b".into(), ["c".to_string()].into());
    graph.insert("c".into(), ["a".to_string()].into());
    assert_eq!(
        cycle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    graph.insert("c".into(), BTreeSet::new());
    assert_eq!(cycle(&graph), None);
}

#[test]
fn every_file_is_short_or_says_why() {
    let krate = web_crate();
    let long: Vec<String> = krate
        .files
        .iter()
        .filter(|(_, text)| text.lines().count() > MAX_LINES)
        .filter(|(_, text)| !text.contains("longer than 600 lines because"))
        .map(|(module, text)| format!("{} ({} lines)", name(module), text.lines().count()))
        .collect();
    assert!(long.is_empty(), "files over {MAX_LINES} lines: {long:?}");
}

/// Markup escapes by default: a page is never assembled from strings. The only markup let
/// through unescaped is what the report crate renders (its charts and tables, which escape
/// their own text), so `PreEscaped(` may wrap nothing but a call of one of its renderers
/// (`render_…`, `figure…`) or a variable holding one's output (`rendered_…`).
#[test]
fn nothing_but_the_report_renderers_is_let_through_unescaped() {
    let krate = web_crate();
    let mut wrong = Vec::new();
    for (module, text) in &krate.files {
        for (at, _) in text.match_indices("PreEscaped(") {
            let wrapped = text[at + "PreEscaped(".len()..].trim_start();
            if !(wrapped.starts_with("render_")
                || wrapped.starts_with("rendered_")
                || wrapped.starts_with("figure"))
            {
                let line = text[..at].lines().count();
                wrong.push(format!(
                    "{} line {line}: {}",
                    name(module),
                    &wrapped[..wrapped.len().min(40)]
                ));
            }
        }
        assert!(
            !text.contains("<input type=\\\"hidden\\\""),
            "{}: markup written as a string",
            name(module)
        );
    }
    assert!(wrong.is_empty(), "unescaped markup: {wrong:#?}");
}

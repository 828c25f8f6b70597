//! The crate's modules import only downward, in the layer order that `src/lib.rs` documents; no
//! module imports from the crate root's re-exports. Scans the source, code lines only.

use std::path::{Path, PathBuf};

/// Top-level modules by layer: a module may use its own layer and those below.
const LAYERS: &[(&str, usize)] = &[
    ("error", 0),
    ("linalg", 0),
    ("curve", 1),
    ("family", 2),
    ("fit", 3),
    ("scores", 3),
    ("classify", 4),
    ("compare", 5),
    ("artefact", 5),
    ("accelerating", 5),
    ("steps", 5),
    ("training", 5),
    ("difficulty", 5),
    ("axes", 5),
    ("forecast", 5),
    ("datasets", 5),
    ("io", 5),
    ("lm_eval", 5),
    ("plot", 5),
];

/// Submodules of each directory module in the order they may import each other (each only those
/// before it; items of the parent `mod.rs` are not submodules and may be used by all).
const SUBMODULES: &[(&str, &[&str])] = &[
    ("curve", &["noise", "validate", "builder"]),
    (
        "family",
        &[
            "data",
            "polynomial",
            "logistic",
            "double_logistic",
            "exact_match",
            "power_law",
            "broken_power_law",
            "hinge",
        ],
    ),
    (
        "fit",
        &[
            "termination",
            "transform",
            "workspace",
            "lm",
            "options",
            "result",
            "uncertainty",
            "report",
            "starts",
            "stats",
            "robust",
            "fallback",
            "driver",
            "refit",
        ],
    ),
    (
        "classify",
        &[
            "category",
            "candidate",
            "config",
            "builder",
            "shape",
            "verdict",
            "rule",
            "result",
            "select",
            "bootstrap",
            "intervals",
            "pointwise",
            "report",
            "pipeline",
        ],
    ),
    (
        "plot",
        &[
            "panel",
            "forecast_panel",
            "training_panel",
            "difficulty_panel",
        ],
    ),
    ("io", &["training_log"]),
];

fn order_of(top: &str) -> Option<&'static [&'static str]> {
    SUBMODULES.iter().find(|(m, _)| *m == top).map(|(_, o)| *o)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The names that follow `prefix` on the code lines of `text` (`crate::fit::x` gives `fit`).
fn names_after<'a>(text: &'a str, prefix: &str) -> Vec<(usize, &'a str)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        let mut rest = code;
        while let Some(i) = rest.find(prefix) {
            let after = &rest[i + prefix.len()..];
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            out.push((n + 1, &after[..end]));
            rest = &after[end..];
        }
    }
    out
}

fn rank(name: &str) -> Option<usize> {
    LAYERS.iter().find(|(m, _)| *m == name).map(|(_, r)| *r)
}

#[test]
fn modules_import_only_downward() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
            .collect();
        let top = parts[0].as_str();
        if top == "lib" || top == "bin" {
            continue;
        }
        let own = rank(top).unwrap_or_else(|| panic!("{} is in no layer", rel.display()));
        let text = std::fs::read_to_string(file).unwrap();
        for (line, name) in names_after(&text, "crate::") {
            match rank(name) {
                None => violations.push(format!(
                    "{}:{line}: `crate::{name}` is no module (an import from the crate root?)",
                    rel.display()
                )),
                Some(r) if r > own => violations.push(format!(
                    "{}:{line}: {top} (layer {own}) imports {name} (layer {r})",
                    rel.display()
                )),
                Some(_) => {}
            }
        }
        let Some(order) = order_of(top) else {
            continue;
        };
        let sub = parts.get(1).map(String::as_str).unwrap_or("mod");
        if sub == "mod" {
            continue;
        }
        let position = |m: &str| order.iter().position(|o| *o == m);
        let own_pos = position(sub)
            .unwrap_or_else(|| panic!("{} is missing from the submodule order", rel.display()));
        let prefix = format!("crate::{top}::");
        let mut used = names_after(&text, "super::");
        used.extend(names_after(&text, &prefix));
        for (line, name) in used {
            if let Some(p) = position(name)
                && p >= own_pos
            {
                violations.push(format!(
                    "{}:{line}: {top}::{sub} imports {top}::{name}, which comes after it",
                    rel.display()
                ));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "upward imports:\n{}",
        violations.join("\n")
    );
}

#[test]
fn every_submodule_is_in_the_order() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    for (dir, order) in SUBMODULES {
        let mut names: Vec<String> = std::fs::read_dir(src.join(dir))
            .unwrap()
            .map(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .trim_end_matches(".rs")
                    .to_string()
            })
            .filter(|n| n != "mod")
            .collect();
        names.sort();
        let mut expected: Vec<String> = order.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(names, expected, "src/{dir}");
    }
}

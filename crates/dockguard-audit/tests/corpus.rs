//! The corpus under `tests/corpus/` holds one bad and one good input per check and syntax; every
//! file must yield exactly the findings listed for it in `expected.txt`.

use dockguard_audit::{audit_path, catalog::Syntax, CHECKS};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn expected() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(corpus_dir().join("expected.txt")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (file, ids) = l.split_once(':').unwrap();
            let set = ids
                .split_whitespace()
                .filter(|s| *s != "-")
                .map(str::to_string)
                .collect();
            (file.trim().to_string(), set)
        })
        .collect()
}

fn corpus_files() -> Vec<String> {
    let root = corpus_dir();
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().unwrap() != "expected.txt" {
                out.push(
                    path.strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}

#[test]
fn corpus_yields_exactly_the_expected_findings() {
    let expected = expected();
    let files = corpus_files();
    let listed: BTreeSet<&String> = expected.keys().collect();
    let present: BTreeSet<&String> = files.iter().collect();
    assert_eq!(
        listed, present,
        "expected.txt and the corpus folder list different files"
    );
    let mut failures = Vec::new();
    for file in &files {
        let findings =
            audit_path(&corpus_dir().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let got: BTreeSet<String> = findings
            .iter()
            .map(|f| format!("{}@{}", f.id, f.location.line.unwrap_or(0)))
            .collect();
        assert_eq!(got.len(), findings.len(), "{file}: duplicate findings");
        if got != expected[file] {
            failures.push(format!(
                "{file}\n  expected {:?}\n  got      {:?}",
                expected[file], got
            ));
        }
        for f in &findings {
            assert!(
                f.fix.as_ref().is_some_and(|x| !x.description.is_empty()),
                "{file}: {} has no remediation",
                f.id
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} corpus files differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every check has a bad and a good corpus file for every syntax it applies to.
#[test]
fn every_check_has_bad_and_good_variants() {
    let files: BTreeSet<String> = corpus_files().into_iter().collect();
    let mut missing = Vec::new();
    for check in CHECKS {
        for (syntax, dir, ext) in [
            (Syntax::DockerRun, "run", "sh"),
            (Syntax::Compose, "compose", "yml"),
            (Syntax::Kubernetes, "k8s", "yaml"),
            (Syntax::DaemonJson, "daemon", "json"),
        ] {
            if !check.applies_to(syntax) {
                continue;
            }
            for variant in ["bad", "good"] {
                let name = format!("{dir}/{}.{variant}.{ext}", check.id);
                if !files.contains(&name) {
                    missing.push(name);
                }
            }
        }
    }
    assert!(missing.is_empty(), "missing corpus files: {missing:?}");
}

/// `docs/runtime-checks.md` lists every check id.
#[test]
fn docs_table_lists_every_check() {
    let doc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/runtime-checks.md");
    let Ok(text) = std::fs::read_to_string(&doc) else {
        panic!("docs/runtime-checks.md is missing");
    };
    for check in CHECKS {
        assert!(
            text.contains(check.id),
            "docs/runtime-checks.md does not mention {}",
            check.id
        );
    }
}

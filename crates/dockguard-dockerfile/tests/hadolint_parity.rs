//! Our DL findings equal hadolint 2.15's on the lint corpus and the shared fixture Dockerfiles.
//!
//! `tests/corpus/hadolint-2.15.tsv` holds what hadolint 2.15.1 reported (made by
//! `scripts/hadolint-snapshot.sh`). Every (file, line, code) must match, and the level must map
//! to our severity, except for the differences listed in `tests/corpus/known-differences.tsv`,
//! each of which `docs/hadolint-differences.md` explains. A listed difference that no longer
//! occurs fails the test too, so the list never goes stale.

use dockguard_dockerfile::lint::{lint_bytes, LintConfig};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Key = (String, u32, String);

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn repo_root() -> PathBuf {
    crate_dir()
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

/// Maps a name used in the TSV to a file on disk.
fn resolve(name: &str) -> Option<PathBuf> {
    match name.strip_prefix("shared:") {
        Some(rel) => dockguard_testkit::fixture(rel),
        None => Some(repo_root().join(name)),
    }
}

fn read_tsv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

fn corpus_files() -> Vec<String> {
    let corpus = crate_dir().join("tests/corpus").canonicalize().unwrap();
    let mut files = Vec::new();
    let mut stack = vec![corpus];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "Dockerfile") {
                let rel = path
                    .strip_prefix(repo_root())
                    .unwrap_or(&path)
                    .to_path_buf();
                files.push(normalize(&rel));
            }
        }
    }
    files.sort();
    files
}

fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

#[test]
fn dl_findings_equal_hadolint_2_15() {
    let tsv = crate_dir().join("tests/corpus/hadolint-2.15.tsv");
    if !tsv.exists() {
        panic!(
            "missing {}: run scripts/hadolint-snapshot.sh",
            tsv.display()
        );
    }
    let rows = read_tsv(&tsv);
    let mut theirs: BTreeMap<Key, String> = BTreeMap::new();
    let mut files: BTreeSet<String> = corpus_files().into_iter().collect();
    for row in &rows {
        let [file, line, code, level, ..] = row.as_slice() else {
            panic!("bad row {row:?}");
        };
        files.insert(file.clone());
        theirs.insert(
            (file.clone(), line.parse().unwrap(), code.clone()),
            level.clone(),
        );
    }
    assert!(files.len() >= 300, "corpus has only {} files", files.len());

    let with_config = {
        let mut config = LintConfig::default();
        let path = crate_dir().join("tests/corpus/with-config/.hadolint.yaml");
        if path.exists() {
            config.merge_file(&path).expect("corpus config");
        }
        config
    };
    let mut ours: BTreeMap<Key, String> = BTreeMap::new();
    let mut unparsed = BTreeSet::new();
    for file in &files {
        let Some(path) = resolve(file) else { continue };
        let config = if file.contains("/with-config/") {
            with_config.clone()
        } else {
            LintConfig::default()
        };
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        match lint_bytes(file, &bytes, &config) {
            Ok(findings) => {
                for f in findings.iter().filter(|f| f.id.starts_with("DL")) {
                    let line = f.location.line.unwrap_or(0);
                    ours.insert(
                        (file.clone(), line, f.id.clone()),
                        f.severity.hadolint_level().to_string(),
                    );
                }
            }
            Err(_) => {
                unparsed.insert(file.clone());
            }
        }
    }

    // Rows with line `*` exclude a whole file that hadolint cannot parse (it reports DL1000
    // and nothing else) while BuildKit, and so dockguard, accepts it.
    let mut excluded_files = BTreeSet::new();
    let mut known: BTreeSet<(Key, String)> = BTreeSet::new();
    for r in read_tsv(&crate_dir().join("tests/corpus/known-differences.tsv")) {
        let [file, line, code, side, ..] = r.as_slice() else {
            panic!("bad known-differences row {r:?}");
        };
        if line == "*" {
            assert_eq!(side, "hadolint-parse-error", "{r:?}");
            excluded_files.insert(file.clone());
        } else {
            known.insert((
                (file.clone(), line.parse().unwrap(), code.clone()),
                side.clone(),
            ));
        }
    }
    for file in &excluded_files {
        assert!(
            theirs.keys().any(|k| &k.0 == file && k.2 == "DL1000"),
            "{file} is excluded as a hadolint parse error, but hadolint parsed it"
        );
        assert!(
            !unparsed.contains(file),
            "{file}: we do not parse it either"
        );
    }
    theirs.retain(|k, _| !excluded_files.contains(&k.0));
    ours.retain(|k, _| !excluded_files.contains(&k.0));

    let mut unexplained = Vec::new();
    let mut seen_known = BTreeSet::new();
    for (key, level) in &theirs {
        // hadolint's DL1000 is its parse error; where BuildKit accepts the file we lint it.
        let missing = !ours.contains_key(key);
        if missing {
            let entry = (key.clone(), "hadolint-only".to_string());
            if known.contains(&entry) {
                seen_known.insert(entry);
            } else if !(key.2 == "DL1000" && unparsed.contains(&key.0)) {
                unexplained.push(format!(
                    "hadolint-only {}:{} {} ({level})",
                    key.0, key.1, key.2
                ));
            }
        } else if ours[key] != *level {
            let entry = (key.clone(), "level".to_string());
            if known.contains(&entry) {
                seen_known.insert(entry);
            } else {
                unexplained.push(format!(
                    "level {}:{} {}: hadolint {level}, ours {}",
                    key.0, key.1, key.2, ours[key]
                ));
            }
        }
    }
    for key in ours.keys() {
        if !theirs.contains_key(key) {
            let entry = (key.clone(), "dockguard-only".to_string());
            if known.contains(&entry) {
                seen_known.insert(entry);
            } else {
                unexplained.push(format!("dockguard-only {}:{} {}", key.0, key.1, key.2));
            }
        }
    }
    let stale: Vec<_> = known.difference(&seen_known).collect();
    let matched = theirs.keys().filter(|k| ours.contains_key(*k)).count();
    eprintln!(
        "parity: {} files, hadolint {} findings, ours {}, matched {matched}, known differences {}",
        files.len(),
        theirs.len(),
        ours.len(),
        known.len()
    );
    assert!(
        unexplained.is_empty() && stale.is_empty(),
        "{} unexplained differences:\n{}\n{} stale known differences:\n{:?}",
        unexplained.len(),
        unexplained.join("\n"),
        stale.len(),
        stale
    );
}

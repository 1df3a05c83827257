//! `scan --scanners lint` without `--dockerfile`: the Dockerfile reconstructed from the image
//! history, reported exactly as `lint --image` reports it; `--dockerfile` still wins; targets
//! without a history are refused with a clear error.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dockguard"))
        .args(args)
        .current_dir(cwd)
        .env_remove("DOCKGUARD_FORMAT")
        .env_remove("DOCKGUARD_DB_DIR")
        .env("XDG_CACHE_HOME", cwd.join(".cache"))
        .output()
        .expect("run dockguard")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(out)))
}

fn fixture(name: &str) -> Option<PathBuf> {
    dockguard_testkit::fixture(name)
}

/// What identifies a lint finding: rule, line, history entry, layer, message.
fn keys(report: &serde_json::Value) -> Vec<String> {
    let mut v: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let l = &f["location"];
            format!(
                "{} line={} history={} layer={} path={} {}",
                f["id"], l["line"], l["history_index"], l["layer_index"], l["path"], f["message"]
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn debian12_app_findings_are_those_of_lint_image() {
    let Some(path) = fixture("images/debian12-app") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let source = format!("oci-dir:{}", path.display());
    let lint = run(dir.path(), &["lint", "-f", "json", "--image", &source]);
    let scan = run(
        dir.path(),
        &[
            "scan",
            "--scanners",
            "lint",
            "--no-cache",
            "-f",
            "json",
            &source,
        ],
    );
    assert_eq!(lint.status.code(), Some(1), "{}", stderr(&lint));
    assert_eq!(scan.status.code(), Some(1), "{}", stderr(&scan));
    let (lint, scan_json) = (json(&lint), json(&scan));
    assert_eq!(keys(&scan_json), keys(&lint));
    assert_eq!(scan_json["findings"].as_array().unwrap().len(), 14);
    // History indexes are there (not just equal because both are missing).
    let dl3008 = scan_json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "DL3008")
        .unwrap();
    assert_eq!(dl3008["location"]["history_index"], 4);
    assert_eq!(dl3008["location"]["layer_index"], 1);
    assert_eq!(
        scan_json["reconstructed"][0]["dockerfile"],
        lint["reconstructed"][0]["dockerfile"]
    );
    let note = stderr(&scan);
    assert!(
        note.contains("no --dockerfile given")
            && note.contains("reconstructed from the image history"),
        "{note}"
    );

    // -q keeps stderr for errors only.
    let quiet = run(
        dir.path(),
        &[
            "scan",
            "-q",
            "--scanners",
            "lint",
            "--no-cache",
            "-f",
            "json",
            &source,
        ],
    );
    assert!(
        !stderr(&quiet).contains("reconstructed"),
        "{}",
        stderr(&quiet)
    );

    // The table shows the reconstructed line under each finding.
    let table = run(
        dir.path(),
        &[
            "scan",
            "--color",
            "never",
            "--scanners",
            "lint",
            "--no-cache",
            &source,
        ],
    );
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("history[4]: "), "{text}");
    assert!(text.contains("| FROM scratch"), "{text}");
}

#[test]
fn a_given_dockerfile_takes_precedence() {
    let (Some(path), Some(dockerfile)) = (
        fixture("images/debian12-app"),
        fixture("images/debian12-app.Dockerfile"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let source = format!("oci-dir:{}", path.display());
    let shown = dockerfile.display().to_string();
    let out = run(
        dir.path(),
        &[
            "scan",
            "--scanners",
            "lint",
            "--no-cache",
            "-f",
            "json",
            "--dockerfile",
            &shown,
            &source,
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!stderr(&out).contains("reconstructed"), "{}", stderr(&out));
    let report = json(&out);
    assert!(report.get("reconstructed").is_none());
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        assert_eq!(f["location"]["path"], shown.as_str(), "{f}");
        assert!(f["location"].get("history_index").is_none(), "{f}");
    }
}

#[test]
fn targets_without_history_need_a_dockerfile() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("root")).unwrap();
    std::fs::write(dir.path().join("root/hello"), "hi\n").unwrap();
    std::fs::write(
        dir.path().join("app.cdx.json"),
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[]}"#,
    )
    .unwrap();
    for target in ["dir:root", "sbom:app.cdx.json"] {
        let out = run(dir.path(), &["scan", "--scanners", "lint", target]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{target}: {err}");
        assert!(
            err.contains(target) && err.contains("needs --dockerfile PATH"),
            "{target}: {err}"
        );
    }
    // With the Dockerfile given, a directory is fine.
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM debian:12\nUSER 1000\nCMD [\"true\"]\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &[
            "scan",
            "--scanners",
            "lint",
            "--dockerfile",
            "Dockerfile",
            "dir:root",
        ],
    );
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
}

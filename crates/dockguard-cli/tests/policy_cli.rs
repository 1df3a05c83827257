//! `dockguard scan` with ignore files, VEX documents and a `[policy]` gate: the exit codes of
//! docs/policy.md, end to end on the bundled example image and OSV records.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn example_db() -> &'static str {
    static DB: OnceLock<(tempfile::TempDir, String)> = OnceLock::new();
    &DB.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db").display().to_string();
        let osv = examples().join("osv").display().to_string();
        let out = run(dir.path(), &["db", "import", "--db-dir", &path, &osv]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        (dir, path)
    })
    .1
}

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

/// `dockguard scan --scanners vuln` of the example image from `cwd`, plus `extra`.
fn scan(cwd: &Path, extra: &[&str]) -> Output {
    let image = format!("oci-dir:{}", examples().join("image").display());
    let mut args = vec!["scan", "--db-dir", example_db(), "--scanners", "vuln"];
    args.extend_from_slice(extra);
    args.push(&image);
    run(cwd, &args)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

const POLICY: &str = "[policy]\nfail-on = \"critical\"\nwarn-on = \"high\"\n";

/// lodash 4.17.4 in the example image is the only critical finding (CVE-2019-10744).
const OPENVEX: &str = r#"{
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://example.com/vex/1",
  "author": "tests",
  "timestamp": "2024-06-01T00:00:00Z",
  "version": 1,
  "statements": [{
    "vulnerability": {"name": "CVE-2019-10744"},
    "products": [{"@id": "pkg:npm/lodash"}],
    "status": "not_affected",
    "justification": "vulnerable_code_not_in_execute_path"
  }]
}"#;

#[test]
fn vex_not_affected_turns_the_gate_from_fail_to_pass() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dockguard.toml"), POLICY).unwrap();
    let out = scan(dir.path(), &["-f", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("policy: FAIL"), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["policy"]["decision"], "FAIL");
    assert!(report["policy"]["reasons"][0]["message"]
        .as_str()
        .unwrap()
        .contains("CVE-2019-10744"));

    std::fs::write(dir.path().join("app.vex.json"), OPENVEX).unwrap();
    let out = scan(
        dir.path(),
        &["-f", "json", "--vex", "app.vex.json", "--show-suppressed"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["policy"]["decision"], "WARN", "high ones still warn");
    assert_eq!(report["suppressed"][0]["finding"]["id"], "CVE-2019-10744");
    assert_eq!(report["suppressed"][0]["by"], "vex");
    assert_eq!(report["findings"].as_array().unwrap().len(), 15);
}

#[test]
fn an_expired_ignore_stops_suppressing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dockguard.toml"), POLICY).unwrap();
    std::fs::write(
        dir.path().join(".trivyignore"),
        "# accepted until the upgrade\nCVE-2019-10744 exp:2099-01-01\n",
    )
    .unwrap();
    let out = scan(dir.path(), &["--show-suppressed"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("suppressed (1):") && table.contains(".trivyignore:2"),
        "{table}"
    );

    std::fs::write(
        dir.path().join(".trivyignore"),
        "CVE-2019-10744 exp:2020-01-01\n",
    )
    .unwrap();
    let out = scan(dir.path(), &["-f", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("expired on 2020-01-01 and no longer applies"),
        "{}",
        stderr(&out)
    );
    let report = json(&out);
    assert_eq!(report["expired_ignores"][0]["id"], "CVE-2019-10744");
    assert_eq!(report["policy"]["decision"], "FAIL");
}

#[test]
fn exit_codes_match_the_documented_table() {
    let dir = tempfile::tempdir().unwrap();
    // No policy: the old rule (findings → --exit-code).
    assert_eq!(scan(dir.path(), &[]).status.code(), Some(1));
    // --policy without one is an input error.
    let out = scan(dir.path(), &["--policy"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no [policy] table"),
        "{}",
        stderr(&out)
    );
    // WARN exits 0, FAIL exits --exit-code.
    std::fs::write(
        dir.path().join("warn.toml"),
        "[policy]\nfail-on = \"never\"\n",
    )
    .unwrap();
    let out = scan(dir.path(), &["--config", "warn.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("policy: WARN"));
    std::fs::write(dir.path().join("fail.toml"), POLICY).unwrap();
    let out = scan(dir.path(), &["--config", "fail.toml", "--exit-code", "7"]);
    assert_eq!(out.status.code(), Some(7));
    // Broken inputs: exit 2 with the file named.
    std::fs::write(dir.path().join("bad.toml"), "[policy]\nfail-on = 3\n").unwrap();
    let out = scan(dir.path(), &["--config", "bad.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.toml"), "{}", stderr(&out));
    std::fs::write(dir.path().join("bad.vex.json"), "{}").unwrap();
    let out = scan(dir.path(), &["--vex", "bad.vex.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.vex.json"), "{}", stderr(&out));
    let out = scan(dir.path(), &["--config", "missing.toml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn gitlab_and_cyclonedx_formats_from_a_scan() {
    let dir = tempfile::tempdir().unwrap();
    let out = scan(dir.path(), &["-f", "gitlab"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["vulnerabilities"].as_array().unwrap().len(), 16);
    let start = doc["scan"]["start_time"].as_str().unwrap();
    assert!(start.len() == 19 && !start.starts_with("1970"), "{start}");
    assert_eq!(
        doc["vulnerabilities"][0]["location"]["operating_system"],
        "Alpine v3.10"
    );
    let out = scan(dir.path(), &["-f", "cyclonedx"]);
    let doc = json(&out);
    assert_eq!(doc["specVersion"], "1.6");
    assert!(!doc["vulnerabilities"].as_array().unwrap().is_empty());
}

#[test]
fn a_rego_deny_fails_the_gate_with_its_message() {
    let dir = tempfile::tempdir().unwrap();
    let rego = examples().join("../docs/policies/critical-vulns.rego");
    let rego = rego.display().to_string();
    let out = scan(dir.path(), &["--rego", &rego, "--exit-code", "5"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains("FAIL"), "{err}");
    assert!(
        err.contains("rego deny: CVE-2019-10744 in lodash 4.17.4: upgrade to 4.17.12"),
        "{err}"
    );

    // A policy whose rules do not fire passes, and the exit code follows the gate.
    let quiet = dir.path().join("quiet.rego");
    std::fs::write(
        &quiet,
        "package main\nimport rego.v1\ndeny contains msg if { some f in input.findings; f.kind == \"nothing\"; msg := \"x\" }\n",
    )
    .unwrap();
    let out = scan(dir.path(), &["--rego", &quiet.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // A broken policy is an input error naming the file.
    let broken = dir.path().join("broken.rego");
    std::fs::write(&broken, "package main\ndeny[msg {\n").unwrap();
    let out = scan(dir.path(), &["--rego", &broken.display().to_string()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("broken.rego"), "{}", stderr(&out));
}

#[test]
fn config_and_lint_scanners_join_one_report() {
    let dir = tempfile::tempdir().unwrap();
    let image = format!("oci-dir:{}", examples().join("image").display());
    let dockerfile = examples().join("Dockerfile").display().to_string();
    let out = run(
        dir.path(),
        &[
            "--format",
            "json",
            "scan",
            "--db-dir",
            example_db(),
            "--scanners",
            "vuln,secret,config,lint",
            "--dockerfile",
            &dockerfile,
            &image,
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = json(&out);
    let kinds: std::collections::BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    for kind in ["vulnerability", "config", "lint"] {
        assert!(kinds.contains(kind), "no {kind} finding in {kinds:?}");
    }

    // Without --dockerfile, the Dockerfile reconstructed from the image history is linted.
    let out = run(dir.path(), &["scan", "--scanners", "lint", &image]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("reconstructed"), "{}", stderr(&out));
}

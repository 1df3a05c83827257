//! The example policies in docs/policies/ evaluate as documented (needs the `rego` feature).
#![cfg(feature = "rego")]

use dockguard_policy::{add_to_verdict, eval_rego, Decision, Verdict};
use serde_json::json;
use std::path::{Path, PathBuf};

fn policy(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/policies")
        .join(name)
}

#[test]
fn a_rego_deny_fails_the_gate_with_its_message() {
    let report = json!({"schema_version": "1.0", "tool": {"name": "dockguard", "version": "0"},
        "findings": [
            {"id": "CVE-2019-10744", "kind": "vulnerability", "severity": "critical",
             "title": "t", "message": "m", "location": {"path": "/app/package.json"},
             "package": {"name": "lodash", "version": "4.17.4"},
             "fix": {"description": "Upgrade", "fixed_versions": ["4.17.12"]}},
            {"id": "CVE-2024-1", "kind": "vulnerability", "severity": "critical",
             "title": "t", "message": "m", "location": {},
             "package": {"name": "zlib", "version": "1"}}]});
    let msgs = eval_rego(&policy("critical-vulns.rego"), &report).unwrap();
    let mut verdict = Verdict::default();
    add_to_verdict(&mut verdict, &msgs);
    assert_eq!(verdict.decision, Decision::Fail);
    assert_eq!(verdict.exit_code(1), 1);
    assert!(verdict.reasons.iter().any(|r| r.decision == Decision::Fail
        && r.message == "rego deny: CVE-2019-10744 in lodash 4.17.4: upgrade to 4.17.12"));
    assert!(verdict
        .reasons
        .iter()
        .any(|r| r.decision == Decision::Warn && r.message.contains("zlib has no fix yet")));

    let lint = json!({"findings": [{"id": "DL3008", "kind": "lint", "severity": "medium",
        "title": "pin versions"}]});
    let msgs = eval_rego(&policy("max-findings.rego"), &lint).unwrap();
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0].decision, Decision::Warn);
    assert_eq!(msgs[0].message, "Dockerfile: DL3008 pin versions");
}

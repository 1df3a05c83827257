//! GitLab Code Quality output. GitLab publishes no JSON schema for it (nor does Code Climate),
//! so the fields its documentation requires are asserted here.

mod common;

use common::{
    empty_report, hostile_options, hostile_report, render_to_string, sample_options, sample_report,
};
use dockguard_core::Report;
use dockguard_report::{Format, RenderOptions};
use serde_json::Value;
use std::collections::HashSet;

fn issues(report: &Report, opts: &RenderOptions) -> Vec<Value> {
    let text = render_to_string(report, Format::GitlabCodequality, opts);
    assert!(text.ends_with('\n'));
    let value: Value = serde_json::from_str(&text).expect("Code Quality output is JSON");
    value.as_array().expect("top level is an array").clone()
}

/// Required by GitLab: `description`, `check_name`, `fingerprint`, `severity` (one of
/// info|minor|major|critical|blocker), `location.path` and `location.lines.begin`.
fn assert_documented_shape(issues: &[Value]) {
    let mut fingerprints = HashSet::new();
    for issue in issues {
        assert!(issue["description"].is_string(), "{issue}");
        assert!(!issue["check_name"].as_str().unwrap().is_empty(), "{issue}");
        let fp = issue["fingerprint"].as_str().unwrap();
        assert!(
            fp.len() >= 32 && fp.bytes().all(|b| b.is_ascii_hexdigit()),
            "{fp}"
        );
        assert!(
            fingerprints.insert(fp.to_string()),
            "duplicate fingerprint {fp}"
        );
        assert!(matches!(
            issue["severity"].as_str(),
            Some("info" | "minor" | "major" | "critical" | "blocker")
        ));
        assert!(!issue["location"]["path"].as_str().unwrap().is_empty());
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn sample_report_has_the_documented_fields() {
    let report = sample_report();
    let issues = issues(&report, &sample_options());
    assert_eq!(issues.len(), report.findings.len());
    assert_documented_shape(&issues);

    let dl3007 = issues.iter().find(|i| i["check_name"] == "DL3007").unwrap();
    assert_eq!(dl3007["severity"], "major");
    assert_eq!(dl3007["location"]["path"], "Dockerfile");
    assert_eq!(dl3007["location"]["lines"]["begin"], 1);

    let cve = issues
        .iter()
        .find(|i| i["check_name"] == "CVE-2023-38545")
        .unwrap();
    assert_eq!(cve["severity"], "blocker");
    assert_eq!(
        cve["location"]["path"],
        "sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1"
    );
}

#[test]
fn fingerprints_do_not_depend_on_source_being_passed_twice() {
    let a = issues(&sample_report(), &sample_options());
    let b = issues(&sample_report(), &sample_options());
    assert_eq!(a, b);
}

#[test]
fn empty_report_is_an_empty_array() {
    let text = render_to_string(
        &empty_report(),
        Format::GitlabCodequality,
        &RenderOptions::default(),
    );
    assert_eq!(text, "[]\n");
}

#[test]
fn hostile_text_keeps_the_documented_shape() {
    let report = hostile_report();
    let issues = issues(&report, &hostile_options());
    assert_documented_shape(&issues);
    let dl = issues
        .iter()
        .find(|i| i["check_name"] == "DL<&>\"'")
        .unwrap();
    let original = report.findings.iter().find(|f| f.id == "DL<&>\"'").unwrap();
    assert_eq!(dl["description"], original.message.as_str());
    assert_eq!(dl["location"]["lines"]["begin"], 2);
    // A finding with an empty message still describes itself.
    let layer = issues.iter().find(|i| i["check_name"] == "DG0").unwrap();
    assert!(!layer["description"].as_str().unwrap().trim().is_empty());
    assert_eq!(layer["location"]["lines"]["begin"], 1);
}

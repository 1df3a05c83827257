//! SARIF output is checked against the official OASIS SARIF 2.1.0 schema (vendored in
//! `tests/schemas/`), and its GitHub-relevant details are asserted directly.

mod common;

use common::{
    empty_report, hostile_options, hostile_report, odd_report, render_to_string, sample_options,
    sample_report,
};
use dockguard_core::Report;
use dockguard_report::{Format, RenderOptions};
use serde_json::Value;

const SCHEMA: &str = include_str!("schemas/sarif-schema-2.1.0.json");

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(SCHEMA).expect("vendored schema is JSON");
    // The meta-schema (draft-04) ships inside the crate, so this works without any network or
    // file retrieval feature.
    jsonschema::meta::validate(&schema).expect("vendored schema passes its meta-schema");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

fn sarif(report: &Report, opts: &RenderOptions) -> Value {
    let text = render_to_string(report, Format::Sarif, opts);
    assert!(text.ends_with("}\n"));
    serde_json::from_str(&text).expect("SARIF output is JSON")
}

fn assert_valid(log: &Value) {
    let validator = validator();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF invalid:\n{}", errors.join("\n"));
}

#[test]
fn sample_report_is_valid_sarif() {
    let log = sarif(&sample_report(), &sample_options());
    assert_valid(&log);
}

#[test]
fn sample_without_sources_is_valid_sarif() {
    let log = sarif(&sample_report(), &RenderOptions::default());
    assert_valid(&log);
}

#[test]
fn empty_and_hostile_reports_are_valid_sarif() {
    assert_valid(&sarif(&empty_report(), &RenderOptions::default()));
    assert_valid(&sarif(&hostile_report(), &hostile_options()));
    assert_valid(&sarif(&odd_report(), &sample_options()));
}

#[test]
fn the_validator_is_not_vacuous() {
    let mut log = sarif(&sample_report(), &sample_options());
    log["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator().is_valid(&log));
    let mut log = sarif(&sample_report(), &sample_options());
    let position = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .position(|r| r["ruleId"] == "DL3007")
        .unwrap();
    let region =
        &mut log["runs"][0]["results"][position]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 1);
    region["startLine"] = Value::from(0);
    assert!(!validator().is_valid(&log));
    let mut log = sarif(&sample_report(), &sample_options());
    log["runs"][0]["tool"]["driver"]["informationUri"] = Value::from("not a uri");
    assert!(!validator().is_valid(&log));
}

#[test]
fn header_and_driver_are_as_documented() {
    let log = sarif(&sample_report(), &sample_options());
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "dockguard");
    assert_eq!(driver["version"], "0.1.0");
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
}

#[test]
fn rules_are_unique_and_results_point_at_them() {
    let log = sarif(&sample_report(), &sample_options());
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(ids, unique);
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let fp = result["partialFingerprints"].as_object().unwrap();
        assert_eq!(fp.len(), 1);
    }
    let dl3007 = rules.iter().find(|r| r["id"] == "DL3007").unwrap();
    assert_eq!(
        dl3007["shortDescription"]["text"],
        "Using latest is prone to errors"
    );
    assert_eq!(
        dl3007["helpUri"],
        "https://github.com/hadolint/hadolint/wiki/DL3007"
    );
    assert_eq!(dl3007["defaultConfiguration"]["level"], "warning");
    // A non-URL reference is never used as helpUri.
    let dg1002 = rules.iter().find(|r| r["id"] == "DG1002").unwrap();
    assert!(dg1002.get("helpUri").is_none());
}

fn result_for<'a>(log: &'a Value, rule: &str) -> &'a Value {
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == rule)
        .unwrap_or_else(|| panic!("no result for {rule}"))
}

#[test]
fn levels_and_regions_follow_the_finding() {
    let log = sarif(&sample_report(), &sample_options());
    assert_eq!(result_for(&log, "DG3001")["level"], "error");
    assert_eq!(result_for(&log, "DG1002")["level"], "error");
    assert_eq!(result_for(&log, "DL3007")["level"], "warning");
    assert_eq!(result_for(&log, "DL3008")["level"], "note");
    assert_eq!(result_for(&log, "DG1001")["level"], "note");

    let loc = &result_for(&log, "DG3001")["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "Dockerfile");
    assert_eq!(loc["region"]["startLine"], 4);
    assert_eq!(loc["region"]["startColumn"], 5);
    assert_eq!(loc["region"]["endLine"], 5);

    let no_column = &result_for(&log, "DG1002")["locations"][0]["physicalLocation"]["region"];
    assert_eq!(no_column["startLine"], 3);
    assert!(no_column.get("startColumn").is_none());

    // A whole-file finding has a location but no region.
    let whole_file = &result_for(&log, "DG1001")["locations"][0]["physicalLocation"];
    assert_eq!(whole_file["artifactLocation"]["uri"], "Dockerfile");
    assert!(whole_file.get("region").is_none());
}

#[test]
fn layer_only_findings_still_have_a_location() {
    let log = sarif(&sample_report(), &sample_options());
    let result = result_for(&log, "DG4001");
    let location = &result["locations"][0];
    assert_eq!(
        location["physicalLocation"]["artifactLocation"]["uri"],
        "sha256%3A4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1"
    );
    assert_eq!(
        location["logicalLocations"][0]["name"],
        "sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1"
    );
    assert!(location["physicalLocation"].get("region").is_none());
}

#[test]
fn package_findings_carry_the_package() {
    let log = sarif(&sample_report(), &sample_options());
    let result = result_for(&log, "CVE-2023-38545");
    assert_eq!(result["properties"]["package"]["name"], "curl");
    assert_eq!(result["properties"]["package"]["version"], "7.88.1-10");
    assert_eq!(
        result["properties"]["package"]["purl"],
        "pkg:deb/debian/curl@7.88.1-10?distro=debian-12"
    );
}

#[test]
fn findings_without_any_location_have_no_locations() {
    let log = sarif(&sample_report(), &sample_options());
    assert!(result_for(&log, "DG9001").get("locations").is_none());
}

#[test]
fn uris_are_escaped_relative_references() {
    let log = sarif(&hostile_report(), &hostile_options());
    let result = result_for(&log, "DL<&>\"'");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "dir%20with%20space/Dock%C3%A9r%3C&%3E%22'%23%3F%25file"
    );
    // A zero line is treated as unknown instead of producing an invalid region.
    let layer = result_for(&log, "DG0");
    assert!(layer["locations"][0]["physicalLocation"]
        .get("region")
        .is_none());
    // The unusable references (a URL with a space, a javascript: link) are not offered.
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.iter().all(|r| r.get("helpUri").is_none()));
}

#[test]
fn fingerprints_are_stable_across_line_moves_and_distinct_per_finding() {
    let log = sarif(&sample_report(), &sample_options());
    let fps: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["partialFingerprints"]["dockguard/v1"].as_str().unwrap())
        .collect();
    let mut unique = fps.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), fps.len());

    // Insert two lines at the top: every finding moves down, its fingerprint must not change.
    let mut moved = sample_report();
    for f in &mut moved.findings {
        if f.location.path.as_deref() == Some("Dockerfile") {
            f.location.line = f.location.line.map(|l| l + 2);
            f.location.end_line = f.location.end_line.map(|l| l + 2);
        }
    }
    let mut opts = sample_options();
    let text = format!("# syntax=docker/dockerfile:1\n\n{}", common::DOCKERFILE);
    opts.sources.insert("Dockerfile".into(), text);
    let after = sarif(&moved, &opts);
    for rule in ["DL3007", "DL3008", "DG1002", "DG3001"] {
        assert_eq!(
            result_for(&log, rule)["partialFingerprints"],
            result_for(&after, rule)["partialFingerprints"],
            "{rule}"
        );
    }
}

/// The vendored schema is draft-04, which has no `uri-reference` format for a validator to
/// check, so the RFC 3986 relative-reference rules that matter are checked here.
fn assert_relative_reference(uri: &str) {
    let bytes = uri.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            assert!(
                bytes.len() > i + 2
                    && bytes[i + 1].is_ascii_hexdigit()
                    && bytes[i + 2].is_ascii_hexdigit(),
                "bad escape in {uri}"
            );
            i += 3;
            continue;
        }
        assert!(
            b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b),
            "{uri} contains {:?}",
            char::from(b)
        );
        i += 1;
    }
    let first_segment = uri.split('/').next().unwrap_or("");
    assert!(
        !first_segment.contains(':'),
        "{uri} would parse as a scheme"
    );
}

#[test]
fn every_artifact_uri_is_a_relative_reference() {
    for (report, opts) in [
        (sample_report(), sample_options()),
        (hostile_report(), hostile_options()),
    ] {
        let log = sarif(&report, &opts);
        for result in log["runs"][0]["results"].as_array().unwrap() {
            if let Some(uri) =
                result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str()
            {
                assert_relative_reference(uri);
            }
        }
    }
}

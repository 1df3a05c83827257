//! The GitLab container-scanning and CycloneDX outputs against their official schemas
//! (vendored in `tests/schemas/`), for a report with findings from every scanner; SARIF is
//! checked for the same report too.

mod common;

use common::{hostile_report, render_to_string, sample_report};
use dockguard_core::{Finding, FindingKind, Location, PackageRef, Report, Severity, ToolInfo};
use dockguard_report::{Format, RenderOptions};
use serde_json::Value;

const GITLAB_CS: &str = include_str!("schemas/gitlab-container-scanning-report-format-15.2.1.json");
const CDX: &str = include_str!("schemas/bom-1.6.schema.json");
const CDX_SPDX_IDS: &str = include_str!("schemas/spdx.schema.json");
const JSF: &str = include_str!("schemas/jsf-0.82.schema.json");
const SARIF: &str = include_str!("schemas/sarif-schema-2.1.0.json");

/// Serves CycloneDX's relative references from the vendored files and refuses anything
/// else, so the tests never reach the network.
struct Vendored;

impl jsonschema::Retrieve for Vendored {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let text = match uri.as_str() {
            "http://cyclonedx.org/schema/spdx.schema.json" => CDX_SPDX_IDS,
            "http://cyclonedx.org/schema/jsf-0.82.schema.json" => JSF,
            other => return Err(format!("not vendored: {other}").into()),
        };
        Ok(serde_json::from_str(text)?)
    }
}

fn assert_valid(schema: &str, doc: &Value, what: &str) {
    let schema: Value = serde_json::from_str(schema).expect("vendored schema is JSON");
    jsonschema::meta::validate(&schema).expect("vendored schema passes its meta-schema");
    let v = jsonschema::options()
        .should_validate_formats(true)
        .with_retriever(Vendored)
        .build(&schema)
        .expect("schema compiles");
    let errors: Vec<String> = v
        .iter_errors(doc)
        .take(20)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what} invalid:\n{}", errors.join("\n"));
}

fn render(report: &Report, format: Format) -> Value {
    let text = render_to_string(report, format, &RenderOptions::default());
    assert!(text.ends_with("}\n"));
    serde_json::from_str(&text).expect("output is JSON")
}

fn vuln(id: &str, sev: Severity, pkg: &str, version: &str, purl: Option<&str>) -> Finding {
    let mut f = Finding::new(
        id,
        FindingKind::Vulnerability,
        sev,
        format!("{id} in {pkg}"),
        format!("{pkg} {version} is affected by {id}"),
        Location {
            path: Some("/var/lib/dpkg/status".into()),
            layer_index: Some(0),
            layer_digest: Some("sha256:aa".into()),
            ..Location::default()
        },
    )
    .with_fix(format!("Upgrade {pkg}."))
    .with_reference("GHSA-abcd-efgh-ijkl")
    .with_reference("DSA-5678-1")
    .with_reference("https://www.cve.org/CVERecord?id=CVE-2023-38545");
    f.package = Some(PackageRef {
        name: pkg.into(),
        version: version.into(),
        ecosystem: Some("Debian:12".into()),
        purl: purl.map(str::to_string),
    });
    f
}

/// Findings of every kind, including two packages sharing one advisory and a package
/// without a purl.
fn every_scanner_report() -> Report {
    let mut findings = sample_report().findings;
    findings.extend([
        vuln(
            "CVE-2023-38545",
            Severity::Critical,
            "curl",
            "7.88.1-10",
            Some("pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12"),
        ),
        vuln(
            "CVE-2023-38545",
            Severity::High,
            "libcurl4",
            "7.88.1-10",
            Some("pkg:deb/debian/libcurl4@7.88.1-10?arch=amd64&distro=debian-12"),
        ),
        vuln(
            "GHSA-xxxx-yyyy-zzzz",
            Severity::Low,
            "left-pad",
            "1.0.0",
            None,
        ),
        Finding::new(
            "DG7001",
            FindingKind::License,
            Severity::Medium,
            "Denied licence",
            "AGPL-3.0 is on the deny-list",
            Location::file("/usr/share/doc/x/copyright"),
        ),
        Finding::new(
            "DG8001",
            FindingKind::Runtime,
            Severity::High,
            "Privileged container",
            "--privileged",
            Location::default(),
        ),
    ]);
    Report::new(
        ToolInfo::dockguard("0.1.0"),
        vec!["oci-dir:debian12-app".into()],
        findings,
    )
}

#[test]
fn every_scanner_report_has_every_kind() {
    let kinds: std::collections::BTreeSet<_> = every_scanner_report()
        .findings
        .iter()
        .map(|f| f.kind)
        .collect();
    assert_eq!(kinds.len(), 6, "{kinds:?}");
}

#[test]
fn gitlab_container_scanning_validates() {
    let report = every_scanner_report();
    let doc = render(&report, Format::GitlabContainerScanning);
    assert_valid(GITLAB_CS, &doc, "GitLab container scanning");
    let vulns = doc["vulnerabilities"].as_array().unwrap();
    let expected = report
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Vulnerability)
        .count();
    assert_eq!(vulns.len(), expected);
    let curl = vulns
        .iter()
        .find(|v| v["location"]["dependency"]["package"]["name"] == "libcurl4")
        .unwrap();
    assert_eq!(curl["severity"], "High");
    assert_eq!(curl["identifiers"][0]["type"], "cve");
    assert_eq!(curl["identifiers"][1]["type"], "ghsa");
    assert_eq!(curl["location"]["operating_system"], "Debian 12");
    assert_eq!(curl["location"]["image"], "oci-dir:debian12-app");
    assert_eq!(curl["solution"], "Upgrade libcurl4.");
    // Ids are unique and stable.
    let ids: std::collections::BTreeSet<&str> =
        vulns.iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), vulns.len());
    assert_eq!(doc, render(&report, Format::GitlabContainerScanning));

    let timed = dockguard_report::gitlab_container_scanning(
        &report,
        "2026-01-02T03:04:05",
        "2026-01-02T03:04:09",
    )
    .unwrap();
    let timed: Value = serde_json::from_str(&timed).unwrap();
    assert_valid(GITLAB_CS, &timed, "GitLab container scanning with times");
    assert_eq!(timed["scan"]["end_time"], "2026-01-02T03:04:09");
}

#[test]
fn cyclonedx_with_vulnerabilities_validates() {
    let report = every_scanner_report();
    let doc = render(&report, Format::Cyclonedx);
    assert_valid(CDX, &doc, "CycloneDX 1.6");
    let vulns = doc["vulnerabilities"].as_array().unwrap();
    let curl = vulns.iter().find(|v| v["id"] == "CVE-2023-38545").unwrap();
    // The sample report's curl (another purl), ours, and libcurl4: one entry for all three.
    assert_eq!(curl["affects"].as_array().unwrap().len(), 3);
    assert_eq!(
        curl["ratings"][0]["severity"], "critical",
        "the worst rating"
    );
    assert!(curl["affects"].as_array().unwrap().contains(
        &serde_json::json!({"ref": "pkg:deb/debian/libcurl4@7.88.1-10?arch=amd64&distro=debian-12"})
    ));
    let refs: Vec<&str> = doc["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["bom-ref"].as_str().unwrap())
        .collect();
    assert_eq!(refs.len(), 4);
    assert!(
        refs.contains(&"component-4"),
        "the package without a purl: {refs:?}"
    );
    let pad = vulns
        .iter()
        .find(|v| v["id"] == "GHSA-xxxx-yyyy-zzzz")
        .unwrap();
    assert_eq!(pad["references"][0]["id"], "GHSA-abcd-efgh-ijkl");
    assert_eq!(doc["metadata"]["component"]["type"], "container");
}

#[test]
fn sarif_validates_for_every_scanner() {
    let doc = render(&every_scanner_report(), Format::Sarif);
    assert_valid(SARIF, &doc, "SARIF");
}

#[test]
fn hostile_and_empty_reports_stay_valid() {
    let mut report = hostile_report();
    let mut nasty = report.findings[0].clone();
    nasty.kind = FindingKind::Vulnerability;
    report.findings.push(nasty);
    report.targets = vec!["a <b> \"c\" 漢字 🐳\n\u{0}".into()];
    let cs = render(&report, Format::GitlabContainerScanning);
    assert_valid(GITLAB_CS, &cs, "hostile GitLab container scanning");
    assert!(cs.to_string().contains("漢字 🐳"));
    let cdx = render(&report, Format::Cyclonedx);
    assert_valid(CDX, &cdx, "hostile CycloneDX");
    let empty = Report::new(ToolInfo::dockguard("0.1.0"), vec![], vec![]);
    assert_valid(
        GITLAB_CS,
        &render(&empty, Format::GitlabContainerScanning),
        "empty GitLab",
    );
    assert_valid(CDX, &render(&empty, Format::Cyclonedx), "empty CycloneDX");
}

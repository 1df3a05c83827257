//! The post-scan pipeline end to end: ignores (with expiry), VEX documents and the gate.

use dockguard_core::{Finding, FindingKind, Location, PackageRef, Severity};
use dockguard_policy::{
    apply, evaluate, load_policy, load_vex, Date, Decision, Ignores, Policy, Subject,
};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn vuln(id: &str, sev: Severity, purl: &str) -> Finding {
    let name = purl.rsplit('/').next().unwrap().split('@').next().unwrap();
    let mut f = Finding::new(
        id,
        FindingKind::Vulnerability,
        sev,
        "t",
        format!("{name} is affected by {id}"),
        Location::file("/var/lib/dpkg/status"),
    );
    f.package = Some(PackageRef {
        name: name.to_string(),
        version: "1".to_string(),
        ecosystem: None,
        purl: Some(purl.to_string()),
    });
    f
}

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn an_expired_ignore_stops_suppressing_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".trivyignore"),
        "CVE-2023-0001 exp:2024-03-01\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".dockguardignore"),
        "[[ignore]]\nid = \"CVE-2023-0002\"\nreason = \"not shipped\"\n",
    )
    .unwrap();
    let ignores = Ignores::discover(dir.path()).unwrap();
    assert_eq!(ignores.rules.len(), 2);
    let findings = || {
        vec![
            vuln("CVE-2023-0001", Severity::High, "pkg:deb/debian/a@1"),
            vuln("CVE-2023-0002", Severity::High, "pkg:deb/debian/b@1"),
        ]
    };

    let before = apply(findings(), &ignores, &[], day("2024-02-29"));
    assert!(before.kept.is_empty());
    assert_eq!(before.suppressed.len(), 2);
    assert!(before.expired.is_empty());

    let after = apply(findings(), &ignores, &[], day("2024-03-01"));
    assert_eq!(after.kept.len(), 1);
    assert_eq!(after.kept[0].id, "CVE-2023-0001");
    assert_eq!(after.expired.len(), 1);
    assert!(after.expired[0].origin.ends_with(".trivyignore:1"));
    assert_eq!(after.suppressed[0].reason.as_deref(), Some("not shipped"));
    let policy = Policy::default();
    assert_eq!(
        evaluate(&policy, &after.kept, &Subject::default()).decision,
        Decision::Fail
    );
}

#[test]
fn a_vex_not_affected_statement_turns_fail_into_pass() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("dockguard.toml");
    std::fs::write(
        &config,
        "[lint]\nignored = [\"DL3008\"]\n\n[policy]\nfail-on = \"high\"\nwarn-on = \"never\"\n",
    )
    .unwrap();
    let policy = load_policy(&config).unwrap().expect("a [policy] table");
    let findings = vec![vuln(
        "CVE-2023-5678",
        Severity::Critical,
        "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12",
    )];
    let none = apply(findings.clone(), &Ignores::default(), &[], Date::today());
    let v = evaluate(&policy, &none.kept, &Subject::default());
    assert_eq!(v.decision, Decision::Fail);
    assert_eq!(v.exit_code(1), 1);

    let vex = load_vex(&data("app.openvex.json")).unwrap();
    let out = apply(findings, &Ignores::default(), &vex, Date::today());
    assert!(out.kept.is_empty());
    assert_eq!(out.suppressed[0].by, "vex");
    assert_eq!(
        out.suppressed[0].reason.as_deref(),
        Some("not_affected: vulnerable_code_not_in_execute_path: the service never parses DH parameters")
    );
    let v = evaluate(&policy, &out.kept, &Subject::default());
    assert_eq!(v.decision, Decision::Pass);
    assert_eq!(v.exit_code(1), 0);
}

#[test]
fn openvex_statuses_aliases_and_versions() {
    let vex = load_vex(&data("app.openvex.json")).unwrap();
    assert_eq!(vex.len(), 3);
    let run = |f: Finding| apply(vec![f], &Ignores::default(), &vex, Date::today());
    // Matched through the alias.
    let o = run(vuln(
        "GHSA-xxxx-yyyy-zzzz",
        Severity::High,
        "pkg:deb/debian/libssl3@1",
    ));
    assert_eq!(o.suppressed.len(), 1);
    // `affected` keeps the finding.
    let o = run(vuln(
        "CVE-2024-0001",
        Severity::High,
        "pkg:pypi/requests@2.31.0",
    ));
    assert_eq!(o.kept.len(), 1);
    // `fixed` with a version-less purl covers every version.
    let o = run(vuln(
        "CVE-2024-0002",
        Severity::High,
        "pkg:npm/lodash@4.17.20",
    ));
    assert_eq!(o.suppressed.len(), 1);
    // Another package with the same CVE is not covered.
    let o = run(vuln(
        "CVE-2023-5678",
        Severity::High,
        "pkg:deb/debian/libssl1.1@1",
    ));
    assert_eq!(o.kept.len(), 1);
}

#[test]
fn openvex_product_identifiers_and_later_statements() {
    let vex = load_vex(&data("base.openvex.json")).unwrap();
    let run = |f: Finding| apply(vec![f], &Ignores::default(), &vex, Date::today());
    let o = run(vuln(
        "CVE-2023-4911",
        Severity::High,
        "pkg:deb/debian/libc6@2.36-9",
    ));
    assert_eq!(o.suppressed.len(), 1, "identifiers.purl names the package");
    assert_eq!(o.suppressed[0].reason.as_deref(), Some("fixed"));
    let o = run(vuln(
        "CVE-2023-4911",
        Severity::High,
        "pkg:deb/debian/libc-bin@2.36-9",
    ));
    assert_eq!(o.kept.len(), 1, "under_investigation keeps it");
    // A later document that says `affected` brings a suppressed finding back.
    let mut both = vex.clone();
    both.extend(
        dockguard_policy::parse_vex(
            r#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
                {"vulnerability": "CVE-2023-4911", "products": ["pkg:deb/debian/libc6"],
                 "status": "affected"}]}"#,
            "later",
        )
        .unwrap(),
    );
    let o = apply(
        vec![vuln(
            "CVE-2023-4911",
            Severity::High,
            "pkg:deb/debian/libc6@2.36-9",
        )],
        &Ignores::default(),
        &both,
        Date::today(),
    );
    assert_eq!(o.kept.len(), 1);
}

#[test]
fn cyclonedx_vex_states_and_bom_refs() {
    let vex = load_vex(&data("app.cdx-vex.json")).unwrap();
    let run = |f: Finding| apply(vec![f], &Ignores::default(), &vex, Date::today());
    let o = run(vuln(
        "CVE-2023-45853",
        Severity::Critical,
        "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12",
    ));
    assert_eq!(
        o.suppressed.len(),
        1,
        "bom-ref resolved to the component purl"
    );
    assert!(o.suppressed[0]
        .reason
        .as_deref()
        .unwrap()
        .contains("minizip"));
    let o = run(vuln(
        "CVE-2024-9999",
        Severity::High,
        "pkg:pypi/Jinja2@3.1.2",
    ));
    assert_eq!(o.suppressed.len(), 1, "resolved via a reference id");
    let o = run(vuln(
        "CVE-2024-7777",
        Severity::High,
        "pkg:pypi/jinja2@3.1.2",
    ));
    assert_eq!(o.kept.len(), 1, "exploitable keeps the finding");
}

#[test]
fn our_openvex_example_validates_against_the_official_schema() {
    let schema: Value =
        serde_json::from_str(include_str!("schemas/openvex_json_schema_0.2.0.json")).unwrap();
    let validator = jsonschema::options()
        .build(&schema)
        .expect("schema compiles");
    for name in ["app.openvex.json", "base.openvex.json"] {
        let doc: Value =
            serde_json::from_str(&std::fs::read_to_string(data(name)).unwrap()).unwrap();
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
    // And the schema does reject what we reject.
    let bad: Value = serde_json::json!({"@context": "https://openvex.dev/ns/v0.2.0",
        "@id": "x", "author": "a", "timestamp": "2024-01-01T00:00:00Z", "version": 1,
        "statements": [{"vulnerability": {"name": "CVE-1"}, "status": "maybe"}]});
    assert!(!validator.is_valid(&bad));
    assert!(dockguard_policy::parse_vex(&bad.to_string(), "bad").is_err());
}

#[test]
fn broken_inputs_are_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.vex.json");
    std::fs::write(&p, "{\"statements\": [{\"status\": \"fixed\"}]}").unwrap();
    let e = load_vex(&p).unwrap_err().to_string();
    assert!(
        e.contains("x.vex.json") && e.contains("statements[0]"),
        "{e}"
    );
    std::fs::write(&p, [0xff, 0xfe]).unwrap();
    assert!(load_vex(&p).unwrap_err().to_string().contains("UTF-8"));
    std::fs::write(&p, "[1,2]").unwrap();
    assert!(load_vex(&p).is_err());
    let t = dir.path().join(".trivyignore.yaml");
    std::fs::write(&t, "vulnerabilities: 3\n").unwrap();
    let e = Ignores::load(&t).unwrap_err().to_string();
    assert!(e.contains(".trivyignore.yaml"), "{e}");
    let c = dir.path().join("dockguard.toml");
    std::fs::write(&c, "[policy]\nfail-on = \"meh\"\n").unwrap();
    let e = load_policy(&c).unwrap_err().to_string();
    assert!(e.contains("dockguard.toml") && e.contains("meh"), "{e}");
    std::fs::write(&c, "[lint]\nx = 1\n").unwrap();
    assert!(load_policy(&c).unwrap().is_none());
}

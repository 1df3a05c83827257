//! End-to-end behaviour of `dockguard scan`: exit codes, filters, the missing-database
//! message, the bundled example, and the image fixtures against their expected matches.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn dockguard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dockguard"))
        .args(args)
        .env_remove("DOCKGUARD_FORMAT")
        .env_remove("DOCKGUARD_DB_DIR")
        .env("XDG_CACHE_HOME", cache_dir())
        .output()
        .expect("run dockguard")
}

/// A private cache so tests neither read nor fill the user's layer cache or database.
fn cache_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().unwrap()).path()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn example_image() -> String {
    format!("oci-dir:{}", examples().join("image").display())
}

fn example_osv() -> String {
    examples().join("osv").display().to_string()
}

fn ids(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

/// The example database, imported once per test binary.
fn example_db() -> &'static str {
    static DB: OnceLock<(tempfile::TempDir, String)> = OnceLock::new();
    &DB.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db").display().to_string();
        let out = dockguard(&["db", "import", "--db-dir", &path, &example_osv()]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        (dir, path)
    })
    .1
}

#[test]
fn example_scans_with_no_setup() {
    let out = dockguard(&["scan", "--osv-data", &example_osv(), &example_image()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("apk · layer 0"), "{table}");
    assert!(table.contains("CVE-2019-14697"), "{table}");
    assert!(table.contains("no secrets found"), "{table}");

    let out = dockguard(&[
        "scan",
        "-f",
        "json",
        "--scanners",
        "vuln",
        "--osv-data",
        &example_osv(),
        &example_image(),
    ]);
    let report = json(&out);
    assert_eq!(report["schema_version"], "1.0");
    let found: BTreeSet<String> = ids(&report).into_iter().collect();
    for id in [
        "CVE-2019-14697", // musl, Alpine record
        "CVE-2019-1547",  // openssl, on libcrypto1.1 and libssl1.1
        "CVE-2019-12781", // Django, PYSEC record with a GHSA alias
        "CVE-2019-10744", // lodash, critical per GitHub
    ] {
        assert!(found.contains(id), "{id} missing from {found:?}");
    }
    let musl = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "CVE-2019-14697")
        .unwrap();
    assert_eq!(musl["kind"], "vulnerability");
    assert_eq!(musl["package"]["ecosystem"], "Alpine:v3.10");
    assert_eq!(musl["fix"]["fixed_versions"][0], "1.1.22-r3");
    assert_eq!(musl["location"]["layer_index"], 0);
    assert_eq!(musl["location"]["path"], "/lib/apk/db/installed");
    assert!(musl["references"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("ALPINE-CVE-2019-14697")));
    assert_eq!(report["findings"].as_array().unwrap().len(), 16);
}

#[test]
fn exit_code_applies_only_when_findings_remain() {
    let db = example_db();
    let base = ["scan", "--db-dir", db, "--scanners", "vuln"];
    let run = |extra: &[&str]| {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        let image = example_image();
        args.push(&image);
        dockguard(&args)
    };
    assert_eq!(run(&[]).status.code(), Some(1));
    assert_eq!(run(&["--exit-code", "0"]).status.code(), Some(0));
    assert_eq!(run(&["--exit-code", "7"]).status.code(), Some(7));
    // Nothing left after filtering: success whatever --exit-code says.
    let out = run(&["--exit-code", "7", "--severity", "info", "-f", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(ids(&json(&out)).is_empty());
}

#[test]
fn severity_and_unfixed_filters() {
    let db = example_db();
    let image = example_image();
    let out = dockguard(&[
        "scan",
        "--db-dir",
        db,
        "--scanners",
        "vuln",
        "-f",
        "json",
        "--severity",
        "critical,high",
        &image,
    ]);
    let report = json(&out);
    let sev: BTreeSet<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["severity"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        sev,
        BTreeSet::from(["critical".to_string(), "high".to_string()])
    );
    assert_eq!(ids(&report).len(), 3);

    // Every example record has a fix, so --ignore-unfixed keeps all; an unfixed one is made
    // by importing a record without a `fixed` event.
    let dir = tempfile::tempdir().unwrap();
    let records = dir.path().join("records");
    std::fs::create_dir_all(&records).unwrap();
    for entry in std::fs::read_dir(example_osv()).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, records.join(p.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        records.join("TEST-0001.json"),
        serde_json::json!({
            "id": "TEST-0001", "modified": "2024-01-01T00:00:00Z", "summary": "no fix",
            "affected": [{"package": {"ecosystem": "PyPI", "name": "django"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]
        })
        .to_string(),
    )
    .unwrap();
    let osv = records.display().to_string();
    let all = json(&dockguard(&[
        "scan",
        "--osv-data",
        &osv,
        "--scanners",
        "vuln",
        "-f",
        "json",
        &image,
    ]));
    assert!(ids(&all).contains(&"TEST-0001".to_string()));
    let fixed = json(&dockguard(&[
        "scan",
        "--osv-data",
        &osv,
        "--scanners",
        "vuln",
        "-f",
        "json",
        "--ignore-unfixed",
        &image,
    ]));
    assert!(!ids(&fixed).contains(&"TEST-0001".to_string()));
    assert_eq!(ids(&fixed).len() + 1, ids(&all).len());
}

#[test]
fn missing_database_says_how_to_get_one() {
    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().join("db").display().to_string();
    let out = dockguard(&["scan", "--db-dir", &dir, &example_image()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("dockguard db update"), "{err}");
    assert!(err.contains("dockguard db import"), "{err}");
    assert!(err.contains(&dir), "{err}");
    // The secret scanner alone needs no database.
    let out = dockguard(&[
        "scan",
        "--db-dir",
        &dir,
        "--scanners",
        "secret",
        &example_image(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn usage_errors() {
    let out = dockguard(&["scan", "--scanners", "vuln,licence", &example_image()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("licence") && err.contains("vuln, secret"),
        "{err}"
    );

    let out = dockguard(&["scan", "--severity", "severe", &example_image()]);
    assert_eq!(out.status.code(), Some(2));

    let out = dockguard(&["scan", "--offline", "registry:example.invalid/app:1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--offline"), "{}", stderr(&out));
}

/// The shared OSV fixtures, imported once per test binary.
fn fixture_db() -> Option<&'static str> {
    static DB: OnceLock<Option<(tempfile::TempDir, String)>> = OnceLock::new();
    DB.get_or_init(|| {
        let osv = dockguard_testkit::fixture("osv")?;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db").display().to_string();
        let out = dockguard(&[
            "db",
            "import",
            "--db-dir",
            &path,
            &osv.display().to_string(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        Some((dir, path))
    })
    .as_ref()
    .map(|(_, p)| p.as_str())
}

fn scan_fixture(image: &Path, extra: &[&str]) -> serde_json::Value {
    let db = fixture_db().unwrap();
    let target = image.display().to_string();
    let mut args = vec!["scan", "--db-dir", db, "--scanners", "vuln", "-f", "json"];
    args.extend_from_slice(extra);
    args.push(&target);
    let out = dockguard(&args);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    json(&out)
}

/// Every advisory id a finding stands for: its id and the ids among its references.
fn all_ids(report: &serde_json::Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for f in report["findings"].as_array().unwrap() {
        out.insert(f["id"].as_str().unwrap().to_string());
        for r in f["references"].as_array().into_iter().flatten() {
            let r = r.as_str().unwrap();
            if !r.contains("://") {
                out.insert(r.to_string());
            }
        }
    }
    out
}

fn expected_ids(name: &str) -> BTreeSet<String> {
    let path = dockguard_testkit::fixture(&format!("expected/{name}.vulns.json")).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    v["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect()
}

/// The per-package comparison is in `dockguard-scan`'s tests; here the whole CLI path (read,
/// catalogue, match, report) must produce every expected advisory and no other.
#[test]
fn debian12_app_reports_the_expected_advisories() {
    let image = dockguard_testkit::require_fixture!("images/debian12-app");
    dockguard_testkit::require_fixture!("osv");
    let report = scan_fixture(&image, &[]);
    let got = all_ids(&report);
    let want = expected_ids("debian12-app");
    let missing: Vec<_> = want.difference(&got).collect();
    assert!(missing.is_empty(), "missing {missing:?}");
    // Every finding stands for at least one expected record.
    for f in report["findings"].as_array().unwrap() {
        let mut mine = BTreeSet::from([f["id"].as_str().unwrap().to_string()]);
        for r in f["references"].as_array().into_iter().flatten() {
            mine.insert(r.as_str().unwrap().to_string());
        }
        assert!(
            mine.iter().any(|i| want.contains(i)),
            "unexpected finding {}",
            f["message"]
        );
        assert!(f["location"]["layer_digest"].is_string(), "{f}");
    }
}

#[test]
fn alpine_images_use_their_own_release() {
    dockguard_testkit::require_fixture!("osv");
    for name in ["alpine-3.10.4", "alpine-3.11.5"] {
        let image =
            dockguard_testkit::require_fixture!(&format!("images/{name}.docker-archive.tar.gz"));
        let report = scan_fixture(&image, &[]);
        assert!(ids(&report).is_empty(), "{name}: {:?}", ids(&report));
    }
    // Forced onto the 3.11 data, the 3.10 image gets what a wrong-release scanner reports:
    // two advisories on four binary packages.
    let image = dockguard_testkit::require_fixture!("images/alpine-3.10.4.docker-archive.tar.gz");
    let report = scan_fixture(&image, &["--os-ecosystem", "Alpine:v3.11"]);
    assert_eq!(
        all_ids(&report)
            .intersection(&expected_ids("alpine-3.10.4.as-v3.11"))
            .count(),
        2
    );
    assert_eq!(ids(&report).len(), 4);
}

#[test]
fn sbom_target_matches_like_the_image() {
    let dir = tempfile::tempdir().unwrap();
    let sbom = dir.path().join("example.cdx.json");
    let sbom_arg = sbom.display().to_string();
    let out = dockguard(&["sbom", "-f", "cyclonedx", "-o", &sbom_arg, &example_image()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let from_sbom = json(&dockguard(&[
        "scan",
        "--osv-data",
        &example_osv(),
        "-f",
        "json",
        &format!("sbom:{sbom_arg}"),
    ]));
    let from_image = json(&dockguard(&[
        "scan",
        "--osv-data",
        &example_osv(),
        "--scanners",
        "vuln",
        "-f",
        "json",
        &example_image(),
    ]));
    let set = |r: &serde_json::Value| ids(r).into_iter().collect::<BTreeSet<_>>();
    assert_eq!(set(&from_sbom), set(&from_image));

    let missing = dockguard(&["scan", "--osv-data", &example_osv(), "sbom:no-such.json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("no-such.json"),
        "{}",
        stderr(&missing)
    );
}

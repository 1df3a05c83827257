use super::*;
use dockguard_catalog::PackageKind;
use std::path::Path;

/// A database of hand-written records in the shapes the real feeds use.
fn small_db(dir: &Path) -> Database {
    let records = dir.join("records");
    std::fs::create_dir_all(&records).unwrap();
    let write = |id: &str, v: serde_json::Value| {
        std::fs::write(records.join(format!("{id}.json")), v.to_string()).unwrap();
    };
    write(
        "DEBIAN-CVE-2024-0001",
        serde_json::json!({
            "id": "DEBIAN-CVE-2024-0001", "modified": "2024-01-01T00:00:00Z",
            "aliases": ["CVE-2024-0001"], "summary": "openssl: something bad",
            "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.13-1~deb12u1"}]}]}]
        }),
    );
    write(
        "DEBIAN-CVE-2024-0002",
        serde_json::json!({
            "id": "DEBIAN-CVE-2024-0002", "modified": "2024-01-01T00:00:00Z",
            "aliases": ["CVE-2024-0002"], "summary": "openssl: not fixed yet",
            "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]
        }),
    );
    write(
        "GHSA-aaaa-bbbb-cccc",
        serde_json::json!({
            "id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-01T00:00:00Z",
            "aliases": ["CVE-2019-0003"], "summary": "Django SQL injection",
            "database_specific": {"severity": "CRITICAL"},
            "affected": [{"package": {"ecosystem": "PyPI", "name": "django"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "2.2"}, {"fixed": "2.2.4"}]}]}]
        }),
    );
    write(
        "PYSEC-2019-3",
        serde_json::json!({
            "id": "PYSEC-2019-3", "modified": "2024-01-01T00:00:00Z",
            "aliases": ["CVE-2019-0003", "GHSA-aaaa-bbbb-cccc"],
            "affected": [{"package": {"ecosystem": "PyPI", "name": "Django"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.2.4"}]}]}]
        }),
    );
    write(
        "WITHDRAWN-1",
        serde_json::json!({
            "id": "GHSA-xxxx-yyyy-zzzz", "modified": "2024-01-01T00:00:00Z",
            "withdrawn": "2024-02-01T00:00:00Z",
            "affected": [{"package": {"ecosystem": "PyPI", "name": "django"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]
        }),
    );
    let db_dir = dir.join("db");
    dockguard_vulndb::import(&db_dir, &records).unwrap();
    Database::open(&db_dir).unwrap()
}

fn deb(name: &str, version: &str, source: &str, source_version: &str, layer: u32) -> Package {
    let mut p = Package::new(PackageKind::Deb, name, version);
    p.source_name = Some(source.to_string());
    p.source_version = Some(source_version.to_string());
    p.purl = format!("pkg:deb/debian/{name}@{version}?distro=debian-12");
    p.locations.push(Location {
        path: Some("/var/lib/dpkg/status".into()),
        layer_index: Some(layer),
        layer_digest: Some(format!("sha256:{:064}", layer)),
        ..Location::default()
    });
    p
}

fn debian() -> Distro {
    Distro {
        id: "debian".into(),
        version_id: Some("12".into()),
        ..Distro::default()
    }
}

fn inventory() -> Inventory {
    let mut django = Package::new(PackageKind::Python, "Django", "2.2");
    django.purl = "pkg:pypi/django@2.2".into();
    django.locations.push(Location {
        path: Some("/usr/lib/python3/site-packages/Django-2.2.dist-info/METADATA".into()),
        layer_index: Some(3),
        ..Location::default()
    });
    let mut local = Package::new(PackageKind::Python, "django", "2.2");
    local.unmatchable = Some("local".into());
    Inventory {
        distro: Some(debian()),
        packages: vec![
            deb(
                "libssl3",
                "3.0.11-1~deb12u2+b1",
                "openssl",
                "3.0.11-1~deb12u2",
                0,
            ),
            deb("bash", "5.2.15-2+b2", "bash", "5.2.15-2", 0),
            django,
            local,
        ],
        problems: Vec::new(),
    }
}

#[test]
fn matches_by_source_package_merges_aliases_and_skips_withdrawn() {
    let tmp = tempfile::tempdir().unwrap();
    let db = small_db(tmp.path());
    let m = match_inventory(&db, &inventory(), &MatchOptions::default()).unwrap();
    assert_eq!(m.os_ecosystem.as_deref(), Some("Debian:12"));
    assert_eq!(m.ecosystems, ["Debian:12", "PyPI"]);
    assert_eq!(m.packages_checked, 3);
    assert_eq!(m.notes.len(), 1, "{:?}", m.notes);
    let ids: Vec<(&str, &str)> = m
        .findings
        .iter()
        .map(|f| (f.package.as_ref().unwrap().name.as_str(), f.id.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("libssl3", "CVE-2024-0001"),
            ("libssl3", "CVE-2024-0002"),
            ("Django", "CVE-2019-0003"),
        ]
    );
    let django = &m.findings[2];
    assert_eq!(django.severity, Severity::Critical);
    assert!(django
        .references
        .contains(&"GHSA-aaaa-bbbb-cccc".to_string()));
    assert!(django.references.contains(&"PYSEC-2019-3".to_string()));
    assert_eq!(django.location.layer_index, Some(3));
    insta::assert_json_snapshot!("openssl_finding", &m.findings[0]);
    let unfixed = &m.findings[1];
    assert!(!has_fix(unfixed));
    assert!(
        unfixed.message.contains("no fix yet"),
        "{}",
        unfixed.message
    );
    assert_eq!(unfixed.severity, UNRATED_SEVERITY);
}

#[test]
fn wrong_or_unknown_release_is_not_matched() {
    let tmp = tempfile::tempdir().unwrap();
    let db = small_db(tmp.path());
    let mut inv = inventory();
    inv.distro = Some(Distro {
        id: "debian".into(),
        version_id: Some("11".into()),
        ..Distro::default()
    });
    let m = match_inventory(&db, &inv, &MatchOptions::default()).unwrap();
    assert!(m.findings.iter().all(|f| f.id == "CVE-2019-0003"));
    inv.distro = Some(Distro {
        id: "gentoo".into(),
        ..Distro::default()
    });
    let m = match_inventory(&db, &inv, &MatchOptions::default()).unwrap();
    assert_eq!(m.os_ecosystem, None);
    assert!(
        m.notes.iter().any(|n| n.contains("no OSV data")),
        "{:?}",
        m.notes
    );
    // The override is what `--distro`-style callers use.
    let m = match_inventory(
        &db,
        &inv,
        &MatchOptions {
            os_ecosystem: Some("Debian:12".into()),
        },
    )
    .unwrap();
    assert_eq!(m.findings.len(), 3);
}

#[test]
fn filter_by_severity_and_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let db = small_db(tmp.path());
    let m = match_inventory(&db, &inventory(), &MatchOptions::default()).unwrap();
    let keep = |f: &Filter| m.findings.iter().filter(|x| f.keeps(x)).count();
    assert_eq!(keep(&Filter::default()), 3);
    assert_eq!(
        keep(&Filter {
            ignore_unfixed: true,
            ..Filter::default()
        }),
        2
    );
    assert_eq!(
        keep(&Filter {
            severities: vec![Severity::Critical, Severity::High],
            ..Filter::default()
        }),
        1
    );
}

#[test]
fn ubuntu_and_rolling_distributions_have_ecosystems() {
    let d = |id: &str, v: Option<&str>| Distro {
        id: id.into(),
        version_id: v.map(str::to_string),
        ..Distro::default()
    };
    assert_eq!(
        os_ecosystem(&d("ubuntu", Some("22.04"))).as_deref(),
        Some("Ubuntu:22.04")
    );
    assert_eq!(
        os_ecosystem(&d("alpine", Some("3.19.1"))).as_deref(),
        Some("Alpine:v3.19")
    );
    assert_eq!(os_ecosystem(&d("wolfi", None)).as_deref(), Some("Wolfi"));
    assert_eq!(os_ecosystem(&d("arch", None)), None);
}

#[test]
fn table_groups_by_type_and_layer() {
    let tmp = tempfile::tempdir().unwrap();
    let db = small_db(tmp.path());
    let m = match_inventory(&db, &inventory(), &MatchOptions::default()).unwrap();
    let mut out = Vec::new();
    write_table(&m.findings, false, &mut out).unwrap();
    insta::assert_snapshot!("table", String::from_utf8(out).unwrap());
    let mut out = Vec::new();
    write_table(&[], false, &mut out).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "no vulnerabilities found\n"
    );
}

/// Against the shared fixtures: the findings of each image equal `expected/<image>.vulns.json`
/// by (ecosystem, package, advisory id), but for the differences `docs/matching-notes.md`
/// explains.
mod fixtures {
    use super::*;
    use std::collections::BTreeSet;
    use std::sync::OnceLock;

    /// The whole `osv/` fixture set, imported once per test binary.
    fn fixture_db() -> Option<&'static Path> {
        static DB: OnceLock<Option<tempfile::TempDir>> = OnceLock::new();
        DB.get_or_init(|| {
            let osv = dockguard_testkit::fixture("osv")?;
            let dir = tempfile::tempdir().unwrap();
            dockguard_vulndb::import(dir.path(), &osv).unwrap();
            Some(dir)
        })
        .as_ref()
        .map(|d| d.path())
    }

    fn inventory_of(path: &Path) -> Inventory {
        let image =
            dockguard_image::open(&path.display().to_string(), &Default::default()).unwrap();
        dockguard_catalog::image::catalog_image(&image, Default::default()).unwrap()
    }

    type Key = (String, String, String);

    fn expected(name: &str) -> BTreeSet<Key> {
        let path = dockguard_testkit::fixture(&format!("expected/{name}.vulns.json")).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        v["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                let eco = m["ecosystem"].as_str().unwrap().to_string();
                let pkg = dockguard_vulndb::normalize_name(&eco, m["package"].as_str().unwrap());
                (eco, pkg, m["id"].as_str().unwrap().to_string())
            })
            .collect()
    }

    /// Ours as (ecosystem, advisory package name, every id of the merged advisory).
    fn ours(inv: &Inventory, m: &Matched) -> Vec<(String, String, BTreeSet<String>)> {
        m.findings
            .iter()
            .map(|f| {
                let p = f.package.as_ref().unwrap();
                let eco = p.ecosystem.clone().unwrap();
                let pkg = inv
                    .packages
                    .iter()
                    .find(|q| q.name == p.name && q.version == p.version)
                    .map(|q| lookup_key(q).0.to_string())
                    .unwrap();
                let mut ids: BTreeSet<String> = f
                    .references
                    .iter()
                    .filter(|r| !r.contains("://"))
                    .cloned()
                    .collect();
                ids.insert(f.id.clone());
                (
                    eco.clone(),
                    dockguard_vulndb::normalize_name(&eco, &pkg),
                    ids,
                )
            })
            .collect()
    }

    /// `(expected but missing, reported but not expected)`.
    fn compare(image: &str, expected_name: &str, opts: &MatchOptions) -> (Vec<Key>, Vec<Key>) {
        let path = dockguard_testkit::fixture(&format!("images/{image}")).unwrap();
        let db = Database::open(fixture_db().unwrap()).unwrap();
        let inv = inventory_of(&path);
        let m = match_inventory(&db, &inv, opts).unwrap();
        let want = expected(expected_name);
        let got = ours(&inv, &m);
        let missing = want
            .iter()
            .filter(|(e, p, id)| {
                !got.iter()
                    .any(|(ge, gp, ids)| ge == e && gp == p && ids.contains(id))
            })
            .cloned()
            .collect();
        let extra: BTreeSet<Key> = got
            .iter()
            .filter(|(ge, gp, ids)| {
                !want
                    .iter()
                    .any(|(e, p, id)| ge == e && gp == p && ids.contains(id))
            })
            .map(|(e, p, ids)| {
                (
                    e.clone(),
                    p.clone(),
                    ids.iter().cloned().collect::<Vec<_>>().join(","),
                )
            })
            .collect();
        (missing, extra.into_iter().collect())
    }

    #[test]
    fn debian12_app_matches_expected() {
        dockguard_testkit::require_fixture!("images/debian12-app");
        dockguard_testkit::require_fixture!("osv");
        let (missing, extra) = compare("debian12-app", "debian12-app", &MatchOptions::default());
        // Every expected match is found and nothing else is reported (see
        // docs/matching-notes.md for how findings relate to the expected records).
        assert!(missing.is_empty(), "expected but not found: {missing:#?}");
        assert!(extra.is_empty(), "found but not expected: {extra:#?}");
    }

    #[test]
    fn alpine_and_static_images_have_no_findings() {
        dockguard_testkit::require_fixture!("osv");
        for (image, expected) in [
            ("alpine-3.10.4.docker-archive.tar.gz", "alpine-3.10.4"),
            ("alpine-3.11.5.docker-archive.tar.gz", "alpine-3.11.5"),
            ("static-nonroot", "static-nonroot"),
        ] {
            dockguard_testkit::require_fixture!(&format!("images/{image}"));
            let (missing, extra) = compare(image, expected, &MatchOptions::default());
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{image}: missing {missing:?}, extra {extra:?}"
            );
        }
    }

    /// Choosing the release matters: the 3.10 image must not get the 3.11 findings, and when
    /// forced onto the 3.11 data it gets exactly what a wrong-release scanner reports.
    #[test]
    fn alpine_release_is_taken_from_the_image() {
        dockguard_testkit::require_fixture!("osv");
        dockguard_testkit::require_fixture!("images/alpine-3.10.4.docker-archive.tar.gz");
        let wrong = expected("alpine-3.10.4.as-v3.11");
        assert_eq!(wrong.len(), 2);
        let image = "alpine-3.10.4.docker-archive.tar.gz";
        let (missing, extra) = compare(image, "alpine-3.10.4", &MatchOptions::default());
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{missing:?} {extra:?}"
        );
        let forced = MatchOptions {
            os_ecosystem: Some("Alpine:v3.11".into()),
        };
        let (missing, extra) = compare(image, "alpine-3.10.4.as-v3.11", &forced);
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{missing:?} {extra:?}"
        );
    }
}

//! End-to-end checks against the shared OSV fixtures: import of the whole bucket layout,
//! matching results, and dpkg agreement on every Debian version in the data.

use dockguard_vulndb::{versions, Database, Severity};
use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Instant;

/// One import shared by the tests of this file (it takes a few seconds in debug builds).
fn db() -> Option<&'static (tempfile::TempDir, Database)> {
    static DB: OnceLock<Option<(tempfile::TempDir, Database)>> = OnceLock::new();
    DB.get_or_init(|| {
        let osv = dockguard_testkit::fixture("osv")?;
        let dir = tempfile::tempdir().unwrap();
        let t = Instant::now();
        let stats = dockguard_vulndb::import(dir.path(), &osv).unwrap();
        let import_time = t.elapsed();
        let t = Instant::now();
        let db = Database::open(dir.path()).unwrap();
        let open_time = t.elapsed();
        let size: u64 = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
            .sum();
        eprintln!(
            "import: {} records ({} withdrawn, {} skipped) in {import_time:?}; db {size} bytes; \
             open {open_time:?}",
            stats.records, stats.withdrawn, stats.skipped
        );
        Some((dir, db))
    })
    .as_ref()
}

#[test]
fn import_counts_match_the_manifests() {
    let Some((_, db)) = db() else { return };
    let osv = dockguard_testkit::fixture("osv").unwrap();
    let status = db.status().unwrap();
    let names: Vec<&str> = status.iter().map(|s| s.ecosystem.as_str()).collect();
    assert_eq!(
        names,
        [
            "AlmaLinux",
            "Alpine",
            "Debian",
            "Go",
            "Maven",
            "PyPI",
            "crates.io",
            "npm"
        ]
    );
    for s in &status {
        // The zip holds one entry per record; stored + withdrawn must account for all.
        let zip = osv.join(&s.ecosystem).join("all.zip");
        let entries = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap())
            .unwrap()
            .len() as u64;
        assert_eq!(s.records + s.withdrawn, entries, "{}", s.ecosystem);
    }
    let go = status.iter().find(|s| s.ecosystem == "Go").unwrap();
    assert_eq!(go.withdrawn, 17);
    assert_eq!(go.records, 4291 - 17);
}

#[test]
fn debian_source_package_matches_with_fix() {
    let Some((_, db)) = db() else { return };
    let osv = dockguard_testkit::fixture("osv").unwrap();
    let derivation: serde_json::Value =
        serde_json::from_slice(&std::fs::read(osv.join("Debian/derivation.json")).unwrap())
            .unwrap();
    let mut checked = 0;
    for src in derivation["sources"].as_array().unwrap() {
        let name = src["source"].as_str().unwrap();
        let installed = src["installed_source_version"].as_str().unwrap();
        let newer = src["newer_version"].as_str().unwrap();
        let cves: BTreeSet<&str> = src["entries"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|e| {
                e["cves"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap())
            })
            .collect();
        let found = db.affecting("Debian:12", name, installed).unwrap();
        let ids: BTreeSet<&str> = found.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, cves, "{name} {installed}");
        for a in &found {
            assert!(
                a.aliases.iter().any(|x| x.starts_with("DEBIAN-CVE-")),
                "{a:?}"
            );
            assert!(!a.fixed.is_empty(), "{a:?}");
        }
        // The newer version fixes everything its changelog names.
        assert!(
            db.affecting("Debian:12", name, newer).unwrap().is_empty(),
            "{name} {newer}"
        );
        // Another release is another ecosystem.
        assert!(db
            .affecting("Debian:11", name, installed)
            .unwrap()
            .is_empty());
        checked += 1;
    }
    assert!(checked > 10);
}

#[test]
fn language_ecosystems_match() {
    let Some((_, db)) = db() else { return };
    // PyPI: range and explicit versions list, name normalised.
    let trac = db.affecting("PyPI", "Trac", "0.10").unwrap();
    let a = trac
        .iter()
        .find(|a| a.id == "CVE-2007-1405")
        .expect("merged under the CVE");
    assert!(a.aliases.contains(&"PYSEC-2007-2".to_string()));
    assert_eq!(a.fixed, ["0.10.3.1"]);
    assert!(db
        .affecting("PyPI", "trac", "0.10.3.1")
        .unwrap()
        .iter()
        .all(|a| a.id != "CVE-2007-1405"));

    // npm, with GHSA vendor severity.
    let lodash = db.affecting("npm", "lodash", "4.17.15").unwrap();
    assert!(!lodash.is_empty());
    assert!(lodash.iter().all(|a| a.severity.is_some()));
    assert!(lodash.iter().any(|a| a.severity >= Some(Severity::High)));

    // Go stdlib with a toolchain-style version.
    let std = db.affecting("Go", "stdlib", "go1.20.1").unwrap();
    assert!(std.len() > 10, "{}", std.len());
    let newer = db.affecting("Go", "stdlib", "1.20.1").unwrap();
    assert_eq!(std.len(), newer.len());

    // Alpine: release-specific ecosystem, several fixes per record.
    let alpine = db
        .affecting("Alpine:v3.10", "openssl", "1.1.1c-r0")
        .unwrap();
    assert!(!alpine.is_empty());
    assert!(db
        .affecting("Alpine:v3.10", "openssl", "99.0-r0")
        .unwrap()
        .is_empty());

    // AlmaLinux summary prefix is a vendor severity.
    let status = db.status().unwrap();
    assert!(status.iter().any(|s| s.ecosystem == "AlmaLinux"));
}

#[test]
fn withdrawn_records_are_not_matched() {
    let Some((_, db)) = db() else { return };
    let osv = dockguard_testkit::fixture("osv").unwrap();
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(osv.join("Go/all.zip")).unwrap()).unwrap();
    let mut checked = 0;
    for i in 0..archive.len() {
        let mut e = archive.by_index(i).unwrap();
        let mut s = String::new();
        e.read_to_string(&mut s).unwrap();
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        if v.get("withdrawn").is_none() {
            continue;
        }
        let id = v["id"].as_str().unwrap();
        for a in v["affected"].as_array().unwrap() {
            let name = a["package"]["name"].as_str().unwrap();
            for adv in db.affecting("Go", name, "0.0.1").unwrap() {
                assert!(adv.id != id && !adv.aliases.iter().any(|x| x == id), "{id}");
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 17);
}

/// A realistic inventory: distinct (ecosystem, package) pairs taken from the advisory data,
/// each at a version below its first fix, so almost every lookup finds rows to evaluate.
fn inventory(osv: &Path, size: usize) -> Vec<(String, String, String)> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for eco in [
        "Debian",
        "Alpine",
        "AlmaLinux",
        "PyPI",
        "npm",
        "Go",
        "Maven",
        "crates.io",
    ] {
        let mut archive =
            zip::ZipArchive::new(std::fs::File::open(osv.join(eco).join("all.zip")).unwrap())
                .unwrap();
        for i in 0..archive.len() {
            let mut e = archive.by_index(i).unwrap();
            let mut s = String::new();
            e.read_to_string(&mut s).unwrap();
            let v: serde_json::Value = serde_json::from_str(&s).unwrap();
            for a in v["affected"].as_array().into_iter().flatten() {
                let ecosystem = a["package"]["ecosystem"].as_str().unwrap_or("").to_string();
                let name = a["package"]["name"].as_str().unwrap_or("").to_string();
                if !seen.insert((ecosystem.clone(), name.clone())) {
                    continue;
                }
                let version = a["ranges"][0]["events"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find_map(|e| e["fixed"].as_str())
                    .unwrap_or("1.0.0")
                    .to_string();
                out.push((ecosystem, name, version));
            }
        }
    }
    // Interleave ecosystems and pad with packages no advisory names.
    out.sort_by_key(|(e, n, _)| (n.len() * 31 + e.len()) % 97);
    out.truncate(size * 3 / 4);
    let mut i = 0;
    while out.len() < size {
        out.push(("Debian:12".into(), format!("libunknown{i}"), "1.0-1".into()));
        i += 1;
    }
    out
}

#[test]
fn batch_matching_equals_single_lookups() {
    let Some((_, db)) = db() else { return };
    let osv = dockguard_testkit::fixture("osv").unwrap();
    // The benchmark's worst case (bench/vulndb.sh): three quarters of the inventory are
    // packages advisories name. Timing lives in the benchmark; this checks the batch path
    // (shared caches, repeated triples) gives what one lookup per package gives.
    let owned = inventory(&osv, 10_000);
    let mut batch: Vec<(&str, &str, &str)> = owned
        .iter()
        .map(|(e, n, v)| (e.as_str(), n.as_str(), v.as_str()))
        .collect();
    batch.extend_from_within(..50);
    let out = db.match_packages(&batch).unwrap();
    assert_eq!(out.len(), batch.len());
    let hits = out.iter().filter(|r| !r.is_empty()).count();
    assert!(hits > 100, "{hits}");
    for (i, &(e, n, v)) in batch.iter().enumerate().step_by(37) {
        assert_eq!(out[i], db.affecting(e, n, v).unwrap(), "{e} {n} {v}");
    }
    assert_eq!(out[..50], out[batch.len() - 50..]);
}

/// Every Debian version named in the fixture data (advisory events and the derivation's
/// installed and newer versions).
fn debian_versions(osv: &Path) -> Vec<String> {
    let mut set = BTreeSet::new();
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(osv.join("Debian/all.zip")).unwrap()).unwrap();
    for i in 0..archive.len() {
        let mut e = archive.by_index(i).unwrap();
        let mut s = String::new();
        e.read_to_string(&mut s).unwrap();
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        for a in v["affected"].as_array().unwrap() {
            for r in a["ranges"].as_array().unwrap() {
                for ev in r["events"].as_array().unwrap() {
                    for (_, ver) in ev.as_object().unwrap() {
                        let ver = ver.as_str().unwrap();
                        if ver != "0" {
                            set.insert(ver.to_string());
                        }
                    }
                }
            }
        }
    }
    let derivation: serde_json::Value =
        serde_json::from_slice(&std::fs::read(osv.join("Debian/derivation.json")).unwrap())
            .unwrap();
    for src in derivation["sources"].as_array().unwrap() {
        for key in ["installed_source_version", "newer_version"] {
            if let Some(v) = src[key].as_str() {
                set.insert(v.to_string());
            }
        }
        if let Some(bins) = src["installed_binary_versions"].as_object() {
            set.extend(bins.values().filter_map(|v| v.as_str()).map(str::to_string));
        }
        for e in src["entries"].as_array().into_iter().flatten() {
            if let Some(v) = e["version"].as_str() {
                set.insert(v.to_string());
            }
        }
    }
    set.into_iter().collect()
}

#[test]
fn dpkg_agrees_on_every_fixture_version_pair() {
    let osv = dockguard_testkit::require_fixture!("osv");
    if std::process::Command::new("dpkg")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(std::env::var("CI").is_err(), "dpkg is required under CI");
        eprintln!("skipping: dpkg not installed");
        return;
    }
    let versions = debian_versions(&osv);
    let mut pairs = Vec::new();
    for (i, a) in versions.iter().enumerate() {
        for b in &versions[i + 1..] {
            pairs.push((a.as_str(), b.as_str()));
        }
    }
    // One shell runs every dpkg call: spawning from the test is the slow part.
    let mut script = String::new();
    for (a, b) in &pairs {
        script.push_str(&format!(
            "if dpkg --compare-versions '{a}' lt '{b}'; then echo '<'; \
             elif dpkg --compare-versions '{a}' eq '{b}'; then echo '='; else echo '>'; fi\n"
        ));
    }
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(&script)
        .output()
        .unwrap();
    let answers: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(answers.len(), pairs.len());
    let mut disagreements = Vec::new();
    for ((a, b), want) in pairs.iter().zip(answers) {
        let want = match want {
            "<" => Ordering::Less,
            "=" => Ordering::Equal,
            _ => Ordering::Greater,
        };
        if versions::dpkg::compare(a, b) != want {
            disagreements.push(format!("{a} vs {b}: dpkg says {want:?}"));
        }
    }
    eprintln!(
        "{} versions, {} pairs checked against dpkg",
        versions.len(),
        pairs.len()
    );
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

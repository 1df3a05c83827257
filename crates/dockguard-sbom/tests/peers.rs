//! Reading other tools' SBOMs. syft's JSON of each fixture is in `expected/`; syft's
//! CycloneDX/SPDX and trivy's CycloneDX are generated here when the tools are installed
//! (found via `$SYFT`/`$TRIVY` or `PATH`), and the test is skipped otherwise, also under CI.

use dockguard_sbom::{load_sbom, read_sbom};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn syft_tsv(image: &str) -> Option<BTreeSet<String>> {
    let f = dockguard_testkit::fixture(&format!("expected/{image}.packages.tsv"))?;
    Some(
        std::fs::read_to_string(f)
            .unwrap()
            .lines()
            .skip(1)
            .filter_map(|l| l.split('\t').nth(3).map(str::to_string))
            .collect(),
    )
}

fn purls(inv: &dockguard_catalog::Inventory) -> BTreeSet<String> {
    inv.packages.iter().map(|p| p.purl.clone()).collect()
}

#[test]
fn syft_json_fixtures_load_with_every_package() {
    for image in [
        "debian12-app",
        "static-nonroot",
        "alpine-3.10.4",
        "alpine-3.11.5",
    ] {
        let Some(f) = dockguard_testkit::fixture(&format!("expected/{image}.syft.json")) else {
            return;
        };
        let inv = load_sbom(&f).unwrap();
        assert_eq!(Some(purls(&inv)), syft_tsv(image), "{image}");
        assert!(inv.problems.is_empty(), "{image}: {:?}", inv.problems);
        if image != "static-nonroot" {
            assert!(inv.distro.is_some(), "{image}");
        }
    }
}

fn tool(env: &str, name: &str) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("tool runs");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn syft_cyclonedx_and_spdx_load_into_the_same_packages() {
    let Some(syft) = tool("SYFT", "syft") else {
        eprintln!("skipping: syft not installed");
        return;
    };
    let Some(image) = dockguard_testkit::fixture("images/debian12-app") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let cdx = dir.path().join("s.cdx.json");
    let spdx = dir.path().join("s.spdx.json");
    run(Command::new(syft)
        .env("SYFT_CHECK_FOR_APP_UPDATE", "false")
        .arg("-q")
        .arg(format!("oci-dir:{}", image.display()))
        .arg("-o")
        .arg(format!("cyclonedx-json={}", cdx.display()))
        .arg("-o")
        .arg(format!("spdx-json={}", spdx.display())));
    let want = syft_tsv("debian12-app").unwrap();
    for f in [&cdx, &spdx] {
        let inv = load_sbom(f).unwrap();
        assert_eq!(purls(&inv), want, "{}", f.display());
        let d = inv.distro.as_ref().expect("distro");
        assert_eq!(
            (d.id.as_str(), d.version_id.as_deref()),
            ("debian", Some("12"))
        );
        let openssl = inv.packages.iter().find(|p| p.name == "openssl").unwrap();
        assert!(openssl.source_name.is_some());
        let stdlib = inv
            .packages
            .iter()
            .find(|p| p.kind == dockguard_core::PackageKind::GoStdlib)
            .unwrap();
        assert_eq!(stdlib.version, "1.17.2");
    }
    // syft's CycloneDX names where each package was found.
    let inv = load_sbom(&cdx).unwrap();
    assert!(inv.packages.iter().all(|p| !p.locations.is_empty()));
}

#[test]
fn trivy_cyclonedx_loads_into_the_same_packages() {
    let Some(trivy) = tool("TRIVY", "trivy") else {
        eprintln!("skipping: trivy not installed");
        return;
    };
    let Some(archive) = dockguard_testkit::fixture("images/alpine-3.10.4.docker-archive.tar.gz")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.cdx.json");
    run(Command::new(trivy)
        .args([
            "image",
            "-q",
            "--skip-db-update",
            "--offline-scan",
            "--format",
            "cyclonedx",
        ])
        .arg("--cache-dir")
        .arg(dir.path().join("cache"))
        .arg("--output")
        .arg(&out)
        .arg("--input")
        .arg(&archive));
    let inv = load_sbom(Path::new(&out)).unwrap();
    let d = inv.distro.as_ref().expect("distro");
    assert_eq!(
        (d.id.as_str(), d.version_id.as_deref()),
        ("alpine", Some("3.10.4"))
    );
    let got: BTreeSet<(String, String)> = inv
        .packages
        .iter()
        .map(|p| (p.name.clone(), p.version.clone()))
        .collect();
    let Some(tsv) = dockguard_testkit::fixture("expected/alpine-3.10.4.packages.tsv") else {
        return;
    };
    let want: BTreeSet<(String, String)> = std::fs::read_to_string(tsv)
        .unwrap()
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Some((f.get(1)?.to_string(), f.get(2)?.to_string()))
        })
        .collect();
    assert_eq!(got, want);
    assert!(inv.packages.iter().all(|p| p.source_name.is_some()));
    // And what we write from it is readable again.
    let mut doc = Vec::new();
    dockguard_sbom::write(
        &inv,
        &dockguard_sbom::Subject::default(),
        dockguard_sbom::Format::CycloneDx,
        &Default::default(),
        &mut doc,
    )
    .unwrap();
    assert_eq!(
        read_sbom(&doc, "again").unwrap().packages.len(),
        inv.packages.len()
    );
}

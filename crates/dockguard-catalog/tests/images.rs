//! End-to-end against the image fixtures' ground truth (`expected/<image>.inventory.json`).
//!
//! The image reader is not ready yet, so each test unpacks the image's layers into a temporary
//! directory with Python's `tarfile` (applying whiteouts) and catalogues it as an image. Only
//! this test does that; production code never unpacks layers.

use dockguard_catalog::{catalog_dir_with, DirOptions, Inventory, Mode, PackageKind};
use dockguard_testkit::require_fixture;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// Applies the layers of an OCI layout or (gzipped) docker-archive in order. Only regular
/// files, directories and symlinks are created, every name is checked to stay inside `dest`.
const UNPACK: &str = r#"
import io, json, os, shutil, sys, tarfile
src, dest = sys.argv[1], sys.argv[2]

def layers():
    if os.path.isdir(src):
        idx = json.load(open(os.path.join(src, "index.json")))
        def blob(d):
            a, h = d.split(":")
            return os.path.join(src, "blobs", a, h)
        m = json.load(open(blob(idx["manifests"][0]["digest"])))
        for l in m["layers"]:
            yield tarfile.open(blob(l["digest"]), "r:*")
    else:
        outer = tarfile.open(src, "r:*")
        man = json.load(outer.extractfile("manifest.json"))
        for name in man[0]["Layers"]:
            yield tarfile.open(fileobj=io.BytesIO(outer.extractfile(name).read()), mode="r:*")

def safe(name):
    p = os.path.normpath(os.path.join(dest, name.lstrip("/")))
    if p != dest and not p.startswith(dest + os.sep):
        raise SystemExit("escaping path " + name)
    return p

def remove(p):
    if os.path.islink(p) or os.path.isfile(p):
        os.remove(p)
    elif os.path.isdir(p):
        shutil.rmtree(p)

for t in layers():
    for m in t:
        d, base = os.path.split(m.name)
        if base == ".wh..wh..opq":
            target = safe(d)
            if os.path.isdir(target):
                for c in os.listdir(target):
                    remove(os.path.join(target, c))
            continue
        if base.startswith(".wh."):
            remove(safe(os.path.join(d, base[4:])))
            continue
        p = safe(m.name)
        if m.isdir():
            if os.path.lexists(p) and not os.path.isdir(p):
                remove(p)
            os.makedirs(p, exist_ok=True)
        elif m.isreg():
            os.makedirs(os.path.dirname(p), exist_ok=True)
            if os.path.lexists(p):
                remove(p)
            with open(p, "wb") as f:
                shutil.copyfileobj(t.extractfile(m), f)
        elif m.issym():
            os.makedirs(os.path.dirname(p), exist_ok=True)
            if os.path.lexists(p):
                remove(p)
            os.symlink(m.linkname, p)
"#;

fn unpack_and_catalog(image: &Path) -> Option<(tempfile::TempDir, Inventory)> {
    let in_ci = std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("rootfs");
    std::fs::create_dir(&root).unwrap();
    let out = match Command::new("python3")
        .arg("-c")
        .arg(UNPACK)
        .arg(image)
        .arg(&root)
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            assert!(
                !in_ci,
                "CI needs python3 to unpack image layers for this test: {e}"
            );
            eprintln!("skipping: python3 not available ({e})");
            return None;
        }
    };
    assert!(
        out.status.success(),
        "unpacking failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let inv = catalog_dir_with(
        &root,
        &DirOptions {
            mode: Mode::Image,
            ..DirOptions::default()
        },
    );
    Some((tmp, inv))
}

#[derive(serde::Deserialize)]
struct Expected {
    ecosystem: String,
    name: String,
    version: String,
    binary: Option<String>,
    binary_version: Option<String>,
}

/// `(ecosystem, name, version)` in the inventory file's terms: OS packages by binary name
/// and version, Go versions without the `v` the buildinfo carries.
fn expected(image: &str) -> Option<BTreeSet<(String, String, String)>> {
    let f = dockguard_testkit::fixture(&format!("expected/{image}.inventory.json"))?;
    let list: Vec<Expected> = serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap();
    Some(
        list.into_iter()
            .map(|e| match (e.binary, e.binary_version) {
                (Some(b), Some(v)) => (e.ecosystem, b, v),
                _ => (e.ecosystem, e.name, e.version),
            })
            .collect(),
    )
}

fn ours(inv: &Inventory) -> BTreeSet<(String, String, String)> {
    inv.packages
        .iter()
        .filter(|p| p.unmatchable.is_none())
        .map(|p| {
            let eco = match p.kind {
                PackageKind::Deb => "Debian".to_string(),
                PackageKind::Apk => "Alpine".to_string(),
                k => k.osv_ecosystem().unwrap_or("?").to_string(),
            };
            let version = match p.kind {
                PackageKind::GoModule => p.version.trim_start_matches('v').to_string(),
                _ => p.version.clone(),
            };
            let name = match p.kind {
                PackageKind::Python => dockguard_catalog::python::normalize_name(&p.name),
                _ => p.name.clone(),
            };
            (eco, name, version)
        })
        .collect()
}

fn compare(image: &str, inv: &Inventory) {
    let Some(want) = expected(image) else { return };
    let got = ours(inv);
    let missing: Vec<_> = want.difference(&got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    eprintln!(
        "{image}: {} packages catalogued ({} matchable), {} expected",
        inv.packages.len(),
        got.len(),
        want.len()
    );
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{image}\nmissing: {missing:#?}\nextra: {extra:#?}"
    );
}

#[test]
fn debian12_app_matches_the_independent_inventory() {
    let image = require_fixture!("images/debian12-app");
    let Some((_tmp, inv)) = unpack_and_catalog(&image) else {
        return;
    };
    let d = inv.distro.as_ref().expect("distro");
    assert_eq!(
        (
            d.id.as_str(),
            d.version_id.as_deref(),
            d.codename.as_deref()
        ),
        ("debian", Some("12"), Some("bookworm"))
    );
    compare("debian12-app", &inv);
    // Reported but not matchable: the esbuild main module at (devel), the local root crate, and
    // jars without pom.properties whose groupId is unknown.
    let unmatchable: Vec<_> = inv
        .packages
        .iter()
        .filter(|p| p.unmatchable.is_some())
        .map(|p| format!("{} {}", p.name, p.version))
        .collect();
    assert_eq!(
        unmatchable,
        [
            "github.com/evanw/esbuild (devel)",
            "dg-report 0.3.1",
            "atinject-jsr330-api 1.0.0",
            "jsr305 0.1-SNAPSHOT",
            "jsr305 0.1~+svn49",
        ]
    );
    assert!(inv
        .packages
        .iter()
        .all(|p| p.name != "acme-orders-frontend"));
    let openssl = inv
        .packages
        .iter()
        .find(|p| p.name == "openssl")
        .expect("openssl");
    assert!(
        openssl.purl.ends_with("?arch=amd64&distro=debian-12"),
        "{}",
        openssl.purl
    );
    assert!(
        !openssl.licenses.is_empty(),
        "licences from usr/share/doc/openssl/copyright"
    );
    let stdlib = inv.of_kind(PackageKind::GoStdlib).next().expect("stdlib");
    assert_eq!(
        (stdlib.version.as_str(), stdlib.purl.as_str()),
        ("1.17.2", "pkg:golang/stdlib@1.17.2")
    );
    let syft_count = syft_rows("debian12-app");
    eprintln!(
        "debian12-app: syft reports {syft_count:?} packages, we report {}",
        inv.packages.len()
    );
}

#[test]
fn static_nonroot_has_only_its_own_crate() {
    let image = require_fixture!("images/static-nonroot");
    let Some((_tmp, inv)) = unpack_and_catalog(&image) else {
        return;
    };
    assert!(inv.distro.is_none());
    assert_eq!(inv.packages.len(), 1);
    assert_eq!(inv.packages[0].name, "dg-hello");
    assert!(inv.packages[0].unmatchable.is_some());
    compare("static-nonroot", &inv);
}

#[test]
fn alpine_docker_archives() {
    for (image, version) in [("alpine-3.10.4", "3.10.4"), ("alpine-3.11.5", "3.11.5")] {
        let archive = require_fixture!(&format!("images/{image}.docker-archive.tar.gz"));
        let Some((_tmp, inv)) = unpack_and_catalog(&archive) else {
            return;
        };
        let d = inv.distro.as_ref().expect("distro");
        assert_eq!(
            (d.id.as_str(), d.version_id.as_deref()),
            ("alpine", Some(version))
        );
        assert_eq!(inv.packages.len(), 14, "{image}");
        let musl = inv.packages.iter().find(|p| p.name == "musl").unwrap();
        assert!(
            musl.purl.contains(&format!("distro=alpine-{version}")),
            "{}",
            musl.purl
        );
        compare(image, &inv);
    }
}

fn syft_rows(image: &str) -> Option<usize> {
    let f = dockguard_testkit::fixture(&format!("expected/{image}.packages.tsv"))?;
    Some(std::fs::read_to_string(f).ok()?.lines().skip(1).count())
}

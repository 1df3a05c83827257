//! OS package databases from `pkgdb/` (real dpkg, apk and rpm databases).

use dockguard_catalog::{apk, catalog_dir, dpkg, rpm, Cataloger, PackageKind};
use dockguard_testkit::require_fixture;
use std::path::Path;
use std::process::Command;

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn names(pkgs: &[dockguard_catalog::Package]) -> Vec<String> {
    pkgs.iter()
        .map(|p| format!("{} {}", p.name, p.version))
        .collect()
}

#[test]
fn dpkg_status_of_a_real_debian_image() {
    let root = require_fixture!("pkgdb/dpkg/trivy-valid");
    let inv = catalog_dir(&root);
    assert!(inv.problems.is_empty(), "{:?}", inv.problems);
    // 91 stanzas, one of them `deinstall ok config-files`.
    assert_eq!(inv.packages.len(), 90);
    let p = inv
        .packages
        .iter()
        .find(|p| p.name == "libgcc1")
        .expect("libgcc1");
    assert_eq!(p.version, "1:8-20180414-1ubuntu2");
    assert_eq!(p.source_name.as_deref(), Some("gcc-8"));
    assert_eq!(p.source_version.as_deref(), Some("8-20180414-1ubuntu2"));
    assert_eq!(p.arch.as_deref(), Some("amd64"));
    assert!(
        p.purl
            .starts_with("pkg:deb/debian/libgcc1@1:8-20180414-1ubuntu2?arch=amd64"),
        "{}",
        p.purl
    );
    assert!(inv.packages.iter().all(|p| p.kind == PackageKind::Deb));
}

#[test]
fn dpkg_edge_cases() {
    let dir = require_fixture!("pkgdb/dpkg/scalibr");
    let parse = |f: &str| dpkg::parse_status(f, &read(&dir.join(f)), false);
    assert_eq!(names(&parse("single").unwrap()).len(), 1);
    let st = parse("statusfield").unwrap();
    assert_eq!(
        st.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        [
            "wantinstall_installed",
            "wantdeinstall_installed",
            "wantpurge_installed"
        ]
    );
    // A stanza without Version or without Package is skipped, the others kept.
    assert_eq!(names(&parse("noversion").unwrap()), ["foo 1.0", "bar 2.0"]);
    assert_eq!(names(&parse("nopackage").unwrap()), ["foo 1.0", "bar 2.0"]);
    let t = parse("transitional_empty").unwrap();
    assert_eq!(t[0].source_name.as_deref(), Some("runit"));
    assert_eq!(t[0].source_version.as_deref(), Some("2.1.2-54+usrmerge"));
    assert!(parse("invalid").is_err());
    assert!(parse("empty").unwrap().is_empty());
    assert!(!parse("trailingnewlines").unwrap().is_empty());
    assert_eq!(
        dpkg::parse_status("x", &read(&dir.join("status.d/foo")), true)
            .unwrap()
            .len(),
        1
    );
    // opkg writes the same format.
    let opkg = require_fixture!("pkgdb/dpkg/scalibr-opkg/valid");
    assert!(
        !dpkg::parse_status("usr/lib/opkg/status", &read(&opkg), false)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn distroless_status_d_with_copyright_licences() {
    let root = require_fixture!("pkgdb/dpkg/syft-distroless/image-distroless-deb");
    let inv = catalog_dir(&root);
    assert!(inv.problems.is_empty(), "{:?}", inv.problems);
    assert_eq!(
        inv.packages.len(),
        1,
        "the .md5sums companion is not a stanza"
    );
    let p = &inv.packages[0];
    assert_eq!(p.name, "libsqlite3-0");
    assert!(
        !p.licenses.is_empty(),
        "licences come from usr/share/doc/libsqlite3-0/copyright"
    );
    assert!(
        p.licenses
            .iter()
            .any(|l| l.contains("public-domain") || l.contains("GPL")),
        "{:?}",
        p.licenses
    );

    let root = require_fixture!("pkgdb/dpkg/syft-distroless");
    let inv = catalog_dir(&root);
    // `corrupt` is garbage and reported; `deinstall` keeps only its installed stanza.
    assert_eq!(inv.problems.len(), 1, "{:?}", inv.problems);
    assert!(inv.problems[0].path.ends_with("status.d/corrupt"));
    let deinstall: Vec<_> = inv
        .packages
        .iter()
        .filter(|p| {
            p.locations[0]
                .path
                .as_deref()
                .unwrap()
                .ends_with("/deinstall")
        })
        .collect();
    assert_eq!(deinstall.len(), 1);
    assert_eq!(deinstall[0].name, "linux-image-6.14.0-1012-aws");
}

#[test]
fn apk_installed_databases() {
    let dir = require_fixture!("pkgdb/apk");
    let parse = |f: &str| apk::parse_installed("lib/apk/db/installed", &read(&dir.join(f)));
    for (f, n) in [
        ("scalibr/installed", 15),
        ("scalibr/single", 1),
        ("scalibr/different-arch", 1),
        ("scalibr/no-origin", 1),
        ("scalibr/empty", 0),
        ("syft/multiple-1/lib/apk/db/installed", 4),
        ("syft/multiple-2/lib/apk/db/installed", 14),
        ("syft/base", 1),
        ("syft/single", 1),
        ("syft/extra-file-attributes", 1),
        ("syft/empty-deps-and-provides", 1),
        // A garbage stanza first, then one good package.
        ("syft/corrupt/lib/apk/db/installed", 1),
        // 16 stanzas, one without a version.
        ("trivy/installed", 15),
    ] {
        assert_eq!(
            parse(f).unwrap_or_else(|e| panic!("{f}: {e}")).len(),
            n,
            "{f}"
        );
    }
    assert!(parse("scalibr/invalid").is_err());
    let no_origin = parse("scalibr/no-origin").unwrap();
    assert_eq!(
        no_origin[0].source_name.as_deref(),
        Some(no_origin[0].name.as_str())
    );
    let pkgs = parse("trivy/installed").unwrap();
    let musl = pkgs.iter().find(|p| p.name == "musl").expect("musl");
    assert_eq!(musl.source_name.as_deref(), Some("musl"));
    assert!(musl.arch.is_some() && !musl.licenses.is_empty());
    assert!(musl.metadata["files"].contains("/lib/"));
    let utils = pkgs
        .iter()
        .find(|p| p.name == "musl-utils")
        .expect("musl-utils");
    assert_eq!(utils.source_name.as_deref(), Some("musl"));
}

/// `rpm -qa` over a copy of the database in a fresh directory, or `None` when rpm is absent
/// (outside CI) or cannot read this backend.
fn rpm_qa(db: &Path, file_name: &str, backend: &str) -> Option<Vec<String>> {
    let in_ci = std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false);
    if Command::new("rpm").arg("--version").output().is_err() {
        assert!(
            !in_ci,
            "CI must install Debian's `rpm` package for the rpm database cross-check"
        );
        eprintln!("skipping rpm cross-check: rpm is not installed");
        return None;
    }
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(db, tmp.path().join(file_name)).unwrap();
    let out = Command::new("rpm")
        .arg("-qa")
        .arg("--dbpath")
        .arg(tmp.path())
        .arg("--define")
        .arg(format!("_db_backend {backend}"))
        .arg("--qf")
        .arg("%{NAME}-%{EPOCHNUM}:%{VERSION}-%{RELEASE}.%{ARCH}\\n")
        .output()
        .unwrap();
    let mut list: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    list.sort();
    Some(list)
}

fn our_nevras(data: &[u8]) -> Vec<String> {
    let mut list: Vec<String> = rpm::read_headers(data)
        .unwrap()
        .iter()
        .map(|h| h.nevra())
        .collect();
    list.sort();
    list
}

#[test]
fn rpm_berkeley_db_matches_rpm_qa() {
    let db = require_fixture!("pkgdb/rpm/go-rpmdb/libuuid/Packages");
    let data = read(&db);
    assert_eq!(rpm::detect(&data), Some(rpm::DbFormat::BerkeleyHash));
    let ours = our_nevras(&data);
    assert_eq!(ours, ["libuuid-0:2.32.1-42.el8_8.x86_64"]);
    if let Some(theirs) = rpm_qa(&db, "Packages", "bdb_ro") {
        assert_eq!(ours, theirs);
    }
    let pkgs = rpm::RpmCataloger
        .parse("var/lib/rpm/Packages", &data)
        .unwrap();
    assert_eq!(pkgs[0].source_name.as_deref(), Some("util-linux"));
    assert_eq!(pkgs[0].version, "2.32.1-42.el8_8");
    assert!(!pkgs[0].licenses.is_empty());
}

#[test]
fn rpm_sqlite_matches_rpm_qa() {
    let db = require_fixture!("pkgdb/rpm/go-rpmdb/cbl-mariner-2.0/rpmdb.sqlite");
    let data = read(&db);
    assert_eq!(rpm::detect(&data), Some(rpm::DbFormat::Sqlite));
    let ours = our_nevras(&data);
    assert_eq!(ours.len(), 129);
    if let Some(theirs) = rpm_qa(&db, "rpmdb.sqlite", "sqlite") {
        assert_eq!(ours, theirs);
    }
    let pkgs = rpm::RpmCataloger
        .parse("var/lib/rpm/rpmdb.sqlite", &data)
        .unwrap();
    let glibc = pkgs.iter().find(|p| p.name == "glibc").expect("glibc");
    assert_eq!(glibc.arch.as_deref(), Some("x86_64"));
    assert_eq!(glibc.source_name.as_deref(), Some("glibc"));
    assert!(glibc.metadata.contains_key("vendor"));
}

#[test]
fn rpm_ndb_reads_every_slot() {
    // Debian's rpm is built without the ndb backend, so there is no rpm -qa to compare with;
    // the list is checked for shape and against go-rpmdb's SLE15WithNDB expectations.
    let db = require_fixture!("pkgdb/rpm/go-rpmdb/sle15-bci/Packages.db");
    let data = read(&db);
    assert_eq!(rpm::detect(&data), Some(rpm::DbFormat::Ndb));
    let headers = rpm::read_headers(&data).unwrap();
    let slots = rpm::ndb::blobs(&data).unwrap().len();
    assert_eq!(headers.len(), slots);
    assert!(headers.len() > 20, "{}", headers.len());
    let names: Vec<&str> = headers.iter().map(|h| h.name.as_str()).collect();
    for n in ["filesystem", "glibc"] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    assert!(headers
        .iter()
        .all(|h| !h.version.is_empty() && h.arch.is_some()));
    let pkgs = rpm::RpmCataloger
        .parse("usr/lib/sysimage/rpm/Packages.db", &data)
        .unwrap();
    assert!(pkgs.iter().all(|p| p.name != "gpg-pubkey"));
}

#[test]
fn rpm_rejects_garbage_without_panicking() {
    let db = require_fixture!("pkgdb/rpm/go-rpmdb/libuuid/Packages");
    let data = read(&db);
    for cut in [0, 10, 100, 4096, 5000, data.len() / 2, data.len() - 1] {
        let _ = rpm::read_headers(&data[..cut]);
    }
    let mut flipped = data.clone();
    for i in (0..flipped.len()).step_by(97) {
        flipped[i] ^= 0xff;
    }
    let _ = rpm::read_headers(&flipped);
    let ndb = read(&require_fixture!(
        "pkgdb/rpm/go-rpmdb/sle15-bci/Packages.db"
    ));
    for cut in [16, 4096, 5000, ndb.len() / 2] {
        let _ = rpm::read_headers(&ndb[..cut]);
    }
    assert!(rpm::read_headers(b"SQLite format 3\0garbage").is_err());
    assert!(rpm::read_headers(b"nothing").is_err());
}

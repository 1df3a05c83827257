//! CycloneDX and SPDX output validates against the official schemas (vendored in
//! `tests/schemas/`), for the image fixtures and for awkward hand-made inventories.

mod common;

use common::{assert_valid_cyclonedx, assert_valid_spdx, fixture_inventory};
use dockguard_catalog::{Distro, Inventory};
use dockguard_core::{Location, Package, PackageKind};
use dockguard_sbom::{to_value, Format, Subject, WriteOptions};

fn opts() -> WriteOptions {
    WriteOptions {
        tool_version: "0.1.0".into(),
        random_serial: false,
        timestamp: "2026-01-01T00:00:00Z".into(),
    }
}

/// Packages that stress the writers: odd names, no version, free-form and expression licences,
/// duplicates of one purl, no purl at all, control characters.
fn awkward() -> Inventory {
    let mut a = Package::new(PackageKind::Deb, "libc6", "2.36-9+deb12u4");
    a.purl = "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12".into();
    a.arch = Some("amd64".into());
    a.source_name = Some("glibc".into());
    a.source_version = Some("2.36-9+deb12u4".into());
    a.licenses = vec!["GPL-2".into(), "LGPL-2.1".into(), "public domain".into()];
    a.locations.push(Location {
        path: Some("/var/lib/dpkg/status".into()),
        layer_index: Some(0),
        layer_digest: Some("sha256:00".into()),
        ..Location::default()
    });
    let mut b = Package::new(PackageKind::Npm, "@scope/na me\u{7}", "");
    b.purl = "pkg:npm/%40scope/na%20me%07".into();
    b.licenses = vec!["MIT OR Apache-2.0".into()];
    let mut c = Package::new(PackageKind::JavaArchive, "jsr305", "0.1~+svn49");
    c.purl = "pkg:maven/jsr305@0.1~%2Bsvn49".into();
    c.unmatchable = Some("no pom.properties: Maven groupId unknown".into());
    c.locations.push(Location::file("/usr/share/java/a.jar"));
    let mut d = c.clone();
    d.locations = vec![Location::file("/usr/share/java/b.jar")];
    let mut e = Package::new(PackageKind::RustCrate, "dg-report", "0.3.1");
    e.licenses = vec![
        "MIT".into(),
        "(MIT OR Apache-2.0) AND Unicode-3.0".into(),
        "".into(),
    ];
    e.metadata
        .insert("weird key: \"quoted\"".into(), "v\nw".into());
    Inventory {
        distro: Some(Distro {
            id: "debian".into(),
            version_id: Some("12".into()),
            codename: Some("bookworm".into()),
            pretty: Some("Debian GNU/Linux 12 (bookworm)".into()),
            id_like: vec![],
        }),
        packages: vec![a, b, c, d, e],
        problems: vec![],
    }
}

fn check(inv: &Inventory, subject: &Subject) {
    assert_valid_cyclonedx(&to_value(inv, subject, Format::CycloneDx, &opts()));
    assert_valid_spdx(&to_value(inv, subject, Format::Spdx, &opts()));
}

#[test]
fn awkward_and_empty_inventories_are_valid() {
    let subject = Subject {
        name: "oci-dir:odd path/x:1".into(),
        digest: Some("sha256:abc".into()),
        tags: vec!["x:1".into()],
        is_image: true,
        scope: Some("squashed".into()),
    };
    check(&awkward(), &subject);
    check(&Inventory::default(), &Subject::default());
}

#[test]
fn fixture_images_give_valid_documents() {
    for fixture in [
        "images/debian12-app",
        "images/static-nonroot",
        "images/alpine-3.10.4.docker-archive.tar.gz",
    ] {
        let Some((inv, subject)) = fixture_inventory(fixture) else {
            return;
        };
        check(&inv, &subject);
    }
}

#[test]
fn document_shapes() {
    let subject = Subject {
        name: "example".into(),
        digest: Some("sha256:abc".into()),
        tags: vec![],
        is_image: true,
        scope: Some("squashed".into()),
    };
    let inv = awkward();
    insta::assert_json_snapshot!(
        "cyclonedx",
        to_value(&inv, &subject, Format::CycloneDx, &opts())
    );
    insta::assert_json_snapshot!("spdx", to_value(&inv, &subject, Format::Spdx, &opts()));
    insta::assert_json_snapshot!(
        "inventory_json",
        to_value(&inv, &subject, Format::Json, &opts())
    );
}

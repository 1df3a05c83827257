//! Our own documents read back into the inventory they were written from, and writing is
//! deterministic.

mod common;

use common::fixture_inventory;
use dockguard_catalog::Inventory;
use dockguard_sbom::{read_sbom, write, Format, WriteOptions};

fn render(
    inv: &Inventory,
    subject: &dockguard_sbom::Subject,
    f: Format,
    o: &WriteOptions,
) -> Vec<u8> {
    let mut out = Vec::new();
    write(inv, subject, f, o, &mut out).unwrap();
    out
}

/// Licence identifiers come back in their canonical case (`mit` → `MIT`).
fn normalised(inv: &Inventory) -> Vec<dockguard_core::Package> {
    inv.packages
        .iter()
        .cloned()
        .map(|mut p| {
            p.licenses = p.licenses.iter().map(|l| l.to_ascii_lowercase()).collect();
            p
        })
        .collect()
}

#[test]
fn every_format_round_trips_the_fixture_inventories() {
    for fixture in [
        "images/debian12-app",
        "images/alpine-3.11.5.docker-archive.tar.gz",
    ] {
        let Some((inv, subject)) = fixture_inventory(fixture) else {
            return;
        };
        for f in [Format::CycloneDx, Format::Spdx, Format::Json] {
            let doc = render(&inv, &subject, f, &WriteOptions::default());
            let back = read_sbom(&doc, "doc.json").unwrap();
            assert_eq!(
                back.distro.as_ref().map(|d| &d.id),
                inv.distro.as_ref().map(|d| &d.id)
            );
            assert_eq!(
                back.distro.as_ref().map(|d| &d.version_id),
                inv.distro.as_ref().map(|d| &d.version_id)
            );
            let (a, b) = (normalised(&inv), normalised(&back));
            assert_eq!(a.len(), b.len(), "{fixture} {f:?}");
            for (x, y) in a.iter().zip(&b) {
                assert_eq!(x, y, "{fixture} {f:?}");
            }
        }
    }
}

#[test]
fn output_is_deterministic_unless_a_random_serial_is_asked_for() {
    let Some((inv, subject)) = fixture_inventory("images/static-nonroot") else {
        return;
    };
    let o = WriteOptions::default();
    for f in [Format::CycloneDx, Format::Spdx, Format::Json] {
        assert_eq!(render(&inv, &subject, f, &o), render(&inv, &subject, f, &o));
    }
    let mut shuffled = inv.clone();
    shuffled.packages.reverse();
    assert_eq!(
        render(&inv, &subject, Format::CycloneDx, &o),
        render(&shuffled, &subject, Format::CycloneDx, &o)
    );
    let r = WriteOptions {
        random_serial: true,
        ..o
    };
    assert_ne!(
        render(&inv, &subject, Format::CycloneDx, &r),
        render(&inv, &subject, Format::CycloneDx, &r)
    );
}

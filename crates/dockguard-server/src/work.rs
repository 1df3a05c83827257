//! What a job does, on a blocking thread: read an image into an inventory, match an inventory
//! against the vulnerability database, and compare two reports. These are the library calls
//! `dockguard scan` makes (catalog, scan, sbom crates), so a server report equals the CLI's
//! vulnerability report for the same input.

use crate::store::ChangeEvent;
use dockguard_catalog::image::{inventory_from_scan, CatalogAnalyzer, Scope};
use dockguard_catalog::{Inventory, Mode};
use dockguard_core::{FindingKind, Report, ToolInfo};
use dockguard_image::{Cache, FileAnalyzer, OpenOptions, Platform, ScanOptions, SourceFormat};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::Path;

/// An image read into an inventory.
pub(crate) struct ScannedImage {
    /// Manifest digest; the config digest for sources without a manifest (docker-archive);
    /// a digest of the inventory for directories.
    pub digest: String,
    /// The source as opened (`oci-dir:…`, `registry:…`).
    pub name: String,
    pub inventory: Inventory,
    /// The inventory as our inventory JSON (what rechecks read back).
    pub document: String,
}

/// A matched inventory.
pub(crate) struct MatchedReport {
    pub report: String,
    pub counts: [i64; 5],
    pub generation: String,
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let hex: String = d.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

fn document(inventory: &Inventory, subject: &dockguard_sbom::Subject) -> Result<String, String> {
    let value = dockguard_sbom::to_value(
        inventory,
        subject,
        dockguard_sbom::Format::Json,
        &dockguard_sbom::WriteOptions::default(),
    );
    serde_json::to_string(&value).map_err(|e| format!("cannot serialise the inventory: {e}"))
}

/// Opens and catalogs an image (the squashed filesystem, as `dockguard scan` does by default).
pub(crate) fn scan_image(target: &str, platform: Option<&str>) -> Result<ScannedImage, String> {
    let platform = platform
        .map(|p| {
            p.parse::<Platform>()
                .map_err(|e| format!("platform {p}: {e}"))
        })
        .transpose()?;
    let image = dockguard_image::open(
        target,
        &OpenOptions {
            platform,
            ..OpenOptions::default()
        },
    )
    .map_err(|e| e.to_string())?;
    let mode = if image.format == SourceFormat::Dir {
        Mode::Dir
    } else {
        Mode::Image
    };
    let catalog = CatalogAnalyzer::new(mode);
    let analyzers: [&dyn FileAnalyzer; 1] = [&catalog];
    let scan = image
        .scan(
            &analyzers,
            &ScanOptions {
                cache: Cache::default_dir().map(Cache::new),
                ..ScanOptions::default()
            },
        )
        .map_err(|e| e.to_string())?;
    let inventory = inventory_from_scan(&scan, Scope::Squashed);
    let image_digest = image
        .manifest_digest
        .as_ref()
        .or(image.config_digest.as_ref())
        .map(|d| d.to_string());
    let mut subject = dockguard_sbom::Subject {
        name: image.source.clone(),
        digest: image_digest.clone(),
        tags: image.repo_tags.clone(),
        is_image: image.format != SourceFormat::Dir,
        scope: Some("squashed".into()),
    };
    let mut doc = document(&inventory, &subject)?;
    let digest = match image_digest {
        Some(d) => d,
        None => {
            // A directory has no digest of its own: its content is its identity.
            let d = sha256_hex(doc.as_bytes());
            subject.digest = Some(d.clone());
            doc = document(&inventory, &subject)?;
            d
        }
    };
    Ok(ScannedImage {
        digest,
        name: image.source,
        inventory,
        document: doc,
    })
}

/// Reads a submitted SBOM: its digest (of the bytes as sent), inventory and our document of it.
pub(crate) fn read_sbom(bytes: &[u8], name: &str) -> Result<(String, String), String> {
    let inventory = dockguard_sbom::read_sbom(bytes, name).map_err(|e| e.to_string())?;
    let digest = sha256_hex(bytes);
    let subject = dockguard_sbom::Subject {
        name: name.to_string(),
        digest: Some(digest.clone()),
        ..dockguard_sbom::Subject::default()
    };
    Ok((digest, document(&inventory, &subject)?))
}

/// Reads a stored inventory document back.
pub(crate) fn stored_inventory(document: &str, digest: &str) -> Result<Inventory, String> {
    dockguard_sbom::read_sbom(
        document.as_bytes(),
        &format!("stored inventory of {digest}"),
    )
    .map_err(|e| e.to_string())
}

/// Matches `inventory` against the database in `db_dir`; the report names `target`.
pub(crate) fn match_inventory(
    db_dir: &Path,
    inventory: &Inventory,
    target: &str,
) -> Result<MatchedReport, String> {
    let db = dockguard_vulndb::Database::open(db_dir).map_err(|e| e.to_string())?;
    // Read before matching: if an import lands in between, the next poll sees a newer
    // generation and rechecks again, rather than this report claiming data it did not see.
    let generation = db.generation().map_err(|e| e.to_string())?;
    let matched =
        dockguard_scan::match_inventory(&db, inventory, &dockguard_scan::MatchOptions::default())
            .map_err(|e| e.to_string())?;
    let report = Report::new(
        ToolInfo::dockguard(env!("CARGO_PKG_VERSION")),
        vec![target.to_string()],
        matched.findings,
    );
    let counts = report.counts().map(|(_, n)| n as i64);
    let text = serde_json::to_string(&report).map_err(|e| format!("cannot serialise: {e}"))?;
    Ok(MatchedReport {
        report: text,
        counts,
        generation,
    })
}

type Key = (String, String, String);

fn vulnerabilities(report: &str) -> BTreeSet<(Key, String)> {
    let Ok(report) = serde_json::from_str::<Report>(report) else {
        return BTreeSet::new();
    };
    report
        .findings
        .into_iter()
        .filter(|f| f.kind == FindingKind::Vulnerability)
        .map(|f| {
            let (name, version) = f.package.map(|p| (p.name, p.version)).unwrap_or_default();
            ((f.id, name, version), f.severity.as_str().to_string())
        })
        .collect()
}

/// Advisories that affect a package in `new` but did not in `previous` (`added`), and the
/// other way round (`resolved`), per (advisory, package, version).
pub fn diff(previous: &str, new: &str) -> Vec<ChangeEvent> {
    let (old, new) = (vulnerabilities(previous), vulnerabilities(new));
    let old_keys: BTreeSet<&Key> = old.iter().map(|(k, _)| k).collect();
    let new_keys: BTreeSet<&Key> = new.iter().map(|(k, _)| k).collect();
    let event = |change: &str, ((id, name, version), severity): &(Key, String)| ChangeEvent {
        change: change.to_string(),
        advisory: id.clone(),
        package: name.clone(),
        version: version.clone(),
        severity: severity.clone(),
    };
    let mut out: Vec<ChangeEvent> = new
        .iter()
        .filter(|(k, _)| !old_keys.contains(k))
        .map(|e| event("added", e))
        .collect();
    out.extend(
        old.iter()
            .filter(|(k, _)| !new_keys.contains(k))
            .map(|e| event("resolved", e)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use dockguard_core::{Finding, Location, PackageRef, Severity};

    fn report(ids: &[(&str, &str)]) -> String {
        let findings = ids
            .iter()
            .map(|(id, pkg)| {
                let mut f = Finding::new(
                    *id,
                    FindingKind::Vulnerability,
                    Severity::High,
                    "t",
                    "m",
                    Location::default(),
                );
                f.package = Some(PackageRef {
                    name: pkg.to_string(),
                    version: "1.0".into(),
                    ..PackageRef::default()
                });
                f
            })
            .collect();
        serde_json::to_string(&Report::new(ToolInfo::dockguard("0"), vec![], findings)).unwrap()
    }

    #[test]
    fn diff_lists_added_and_resolved_per_package() {
        let old = report(&[("CVE-1", "a"), ("CVE-2", "b")]);
        let new = report(&[("CVE-2", "b"), ("CVE-3", "c"), ("CVE-1", "c")]);
        let d = diff(&old, &new);
        let got: Vec<(String, String, String)> = d
            .into_iter()
            .map(|e| (e.change, e.advisory, e.package))
            .collect();
        assert_eq!(
            got,
            vec![
                ("added".into(), "CVE-1".into(), "c".into()),
                ("added".into(), "CVE-3".into(), "c".into()),
                ("resolved".into(), "CVE-1".into(), "a".into()),
            ]
        );
        assert!(diff("not json", &new).len() == 3);
    }
}

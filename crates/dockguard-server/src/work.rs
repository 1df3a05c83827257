//! What a job does, on a blocking thread: read an image (packages, secrets and image
//! configuration in one pass over the layers), match an inventory against the vulnerability
//! database, gate the report on the policy, and compare two reports. These are the library
//! calls `dockguard scan` makes (catalog, secrets, imageaudit, scan, policy, sbom crates), so a
//! server report equals the CLI's `--format json` report for the same input and scanners.

use crate::store::ChangeEvent;
use dockguard_catalog::image::{inventory_from_scan, CatalogAnalyzer, Scope};
use dockguard_catalog::{Inventory, Mode};
use dockguard_core::{Finding, FindingKind, Report, ToolInfo};
use dockguard_image::{Cache, FileAnalyzer, OpenOptions, Platform, ScanOptions, SourceFormat};
use dockguard_policy::{LicensedPackage, Policy, Subject};
use dockguard_secrets::{SecretAnalyzer, SecretOptions};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::path::Path;

/// The scanners of a report: the `vuln`, `secret` and `config` of `dockguard scan
/// --scanners`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scanners {
    pub vuln: bool,
    pub secret: bool,
    pub config: bool,
}

impl Scanners {
    pub const ALL: Scanners = Scanners {
        vuln: true,
        secret: true,
        config: true,
    };
    /// What an SBOM can be scanned for: it has no file contents and no image config.
    pub const VULN: Scanners = Scanners {
        vuln: true,
        secret: false,
        config: false,
    };

    /// A request's `scanners` list.
    pub fn from_request(names: &[String]) -> Result<Scanners, String> {
        let mut s = Scanners {
            vuln: false,
            secret: false,
            config: false,
        };
        for n in names {
            match n.trim() {
                "vuln" => s.vuln = true,
                "secret" => s.secret = true,
                "config" => s.config = true,
                other => {
                    return Err(format!(
                        "unknown scanner '{}' (expected vuln, secret or config)",
                        other.chars().take(40).collect::<String>()
                    ))
                }
            }
        }
        if !(s.vuln || s.secret || s.config) {
            return Err("\"scanners\" is empty (expected vuln, secret and/or config)".into());
        }
        Ok(s)
    }

    /// The stored form (`vuln,secret,config`); unknown names are ignored.
    pub fn from_stored(text: &str) -> Scanners {
        let has = |n: &str| text.split(',').any(|s| s == n);
        Scanners {
            vuln: has("vuln"),
            secret: has("secret"),
            config: has("config"),
        }
    }

    pub fn stored(self) -> String {
        [
            (self.vuln, "vuln"),
            (self.secret, "secret"),
            (self.config, "config"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, n)| *n)
        .collect::<Vec<_>>()
        .join(",")
    }
}

/// An image read into an inventory and the findings of the scanners other than `vuln`.
pub(crate) struct ScannedImage {
    /// Manifest digest; the config digest for sources without a manifest (docker-archive);
    /// a digest of the inventory for directories.
    pub digest: String,
    /// The source as opened (`oci-dir:…`, `registry:…`).
    pub name: String,
    pub inventory: Inventory,
    /// The inventory as our inventory JSON (what rechecks read back).
    pub document: String,
    /// Secret and image-configuration findings.
    pub others: Vec<Finding>,
    /// Facts about the image the policy's non-finding rules need.
    pub subject: Subject,
}

/// A report ready to store.
pub(crate) struct MatchedReport {
    pub report: String,
    pub counts: [i64; 5],
    /// The vulnerability-data generation matched against; empty without the `vuln` scanner.
    pub generation: String,
    /// The policy verdict as JSON.
    pub policy: Option<String>,
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

/// The subject of an SBOM: only its packages' licences are known.
pub(crate) fn sbom_subject(inventory: &Inventory) -> Subject {
    Subject {
        licensed_packages: Some(LicensedPackage::from_packages(&inventory.packages)),
        ..Subject::default()
    }
}

/// Opens an image and reads it once with the catalogers and the requested secret and
/// image-configuration analyzers (the squashed filesystem, as `dockguard scan` by default).
/// The inventory is always taken: rechecks and the licence rules need it. `address_filter`
/// vets every connection the registry client makes.
pub(crate) fn scan_image(
    target: &str,
    platform: Option<&str>,
    scanners: Scanners,
    address_filter: Option<dockguard_image::registry::AddressFilter>,
) -> Result<ScannedImage, String> {
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
            registry: dockguard_image::RegistryOptions {
                address_filter,
                ..dockguard_image::RegistryOptions::default()
            },
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
    // Default options: matches are redacted in every finding.
    let secret_options = SecretOptions::default();
    let secrets = SecretAnalyzer::new(&secret_options);
    let audit = dockguard_imageaudit::AuditAnalyzer::new();
    let mut analyzers: Vec<&dyn FileAnalyzer> = vec![&catalog];
    if scanners.secret {
        analyzers.push(&secrets);
    }
    if scanners.config {
        analyzers.push(&audit);
    }
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
    let mut others = Vec::new();
    if scanners.secret {
        others.extend(dockguard_secrets::findings_from_scan(
            &image, &scan, &secrets,
        ));
    }
    if scanners.config {
        others.extend(dockguard_imageaudit::findings_from_scan(&image, &scan));
    }
    // Only a registry reference (or a daemon's or docker-archive's tag) says where the image
    // comes from; an OCI layout's tag is a bare name.
    let reference = if target.starts_with("registry:") || target.starts_with("docker:") {
        image.reference.clone()
    } else {
        image.repo_tags.first().cloned()
    };
    let (base_image, base_image_from) = image.declared_base().unzip();
    let subject = Subject {
        is_image: image.format != SourceFormat::Dir,
        user: image.config.user.clone(),
        reference,
        created: image.created.clone(),
        base_image,
        base_image_from,
        licensed_packages: Some(LicensedPackage::from_packages(&inventory.packages)),
    };
    let image_digest = image
        .manifest_digest
        .as_ref()
        .or(image.config_digest.as_ref())
        .map(|d| d.to_string());
    let mut sbom_subject = dockguard_sbom::Subject {
        name: image.source.clone(),
        digest: image_digest.clone(),
        tags: image.repo_tags.clone(),
        is_image: image.format != SourceFormat::Dir,
        scope: Some("squashed".into()),
    };
    let mut doc = document(&inventory, &sbom_subject)?;
    let digest = match image_digest {
        Some(d) => d,
        None => {
            // A directory has no digest of its own: its content is its identity.
            let d = sha256_hex(doc.as_bytes());
            sbom_subject.digest = Some(d.clone());
            doc = document(&inventory, &sbom_subject)?;
            d
        }
    };
    Ok(ScannedImage {
        digest,
        name: image.source,
        inventory,
        document: doc,
        others,
        subject,
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

/// What a recheck keeps of the previous report: its targets, the findings of the scanners
/// other than `vuln`, and its subject. `None` when there is no readable previous report.
pub(crate) struct Previous {
    pub targets: Vec<String>,
    pub others: Vec<Finding>,
    pub subject: Option<Subject>,
}

pub(crate) fn previous(report: &str) -> Option<Previous> {
    let value: serde_json::Value = serde_json::from_str(report).ok()?;
    let subject = value
        .get("subject")
        .and_then(|s| serde_json::from_value::<Subject>(s.clone()).ok());
    let report: Report = serde_json::from_value(value).ok()?;
    Some(Previous {
        targets: report.targets,
        others: report
            .findings
            .into_iter()
            .filter(|f| f.kind != FindingKind::Vulnerability)
            .collect(),
        subject,
    })
}

/// Builds the stored report: `inventory` matched against the database in `db_dir` (with the
/// `vuln` scanner), plus `others`, gated on `policy`. The shape is what `dockguard scan
/// --format json` prints: the core report plus `subject` and, with a policy, `policy`.
pub(crate) fn build_report(
    db_dir: &Path,
    policy: Option<&Policy>,
    scanners: Scanners,
    inventory: &Inventory,
    targets: Vec<String>,
    others: Vec<Finding>,
    subject: &Subject,
) -> Result<MatchedReport, String> {
    let mut findings = Vec::new();
    let mut generation = String::new();
    if scanners.vuln {
        let db = dockguard_vulndb::Database::open(db_dir).map_err(|e| e.to_string())?;
        // Read before matching: if an import lands in between, the next poll sees a newer
        // generation and rechecks again, rather than this report claiming data it did not see.
        generation = db.generation().map_err(|e| e.to_string())?;
        let matched = dockguard_scan::match_inventory(
            &db,
            inventory,
            &dockguard_scan::MatchOptions::default(),
        )
        .map_err(|e| e.to_string())?;
        findings = matched.findings;
    }
    findings.extend(others);
    let report = Report::new(
        ToolInfo::dockguard(env!("CARGO_PKG_VERSION")),
        targets,
        findings,
    );
    let counts = report.counts().map(|(_, n)| n as i64);
    let verdict = policy.map(|p| dockguard_policy::evaluate(p, &report.findings, subject));
    let cannot = |e: serde_json::Error| format!("cannot serialise the report: {e}");
    let policy_text = match &verdict {
        Some(v) => Some(serde_json::to_string(v).map_err(cannot)?),
        None => None,
    };
    let value = dockguard_policy::gated_report_json(
        &report,
        &dockguard_policy::GateFields {
            verdict: verdict.as_ref(),
            subject: Some(subject),
            ..Default::default()
        },
    )
    .map_err(cannot)?;
    Ok(MatchedReport {
        report: serde_json::to_string(&value).map_err(cannot)?,
        counts,
        generation,
        policy: policy_text,
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

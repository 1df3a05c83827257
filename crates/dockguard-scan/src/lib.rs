//! Vulnerability matching for dockguard: a package [`Inventory`] joined to the local OSV
//! database, as [`Finding`]s.
//!
//! This crate owns the decisions between "these packages are installed" and "these are the
//! vulnerabilities": which OSV ecosystem each package is looked up in (the distribution
//! release for OS packages, the language ecosystem otherwise), which name and version are
//! compared (the *source* package for distributions), which packages are never matched
//! (`unmatchable` ones: local crates, `(devel)` Go modules, private npm roots), what a
//! vulnerability finding says (id, severity, fixed versions, the layer that brought the
//! package), and the terminal table of a scan. Reading images is `dockguard-catalog`'s job,
//! version ordering and alias merging `dockguard-vulndb`'s.
//!
//! Matching is read-only apart from [`Database::note_needed`], which remembers the ecosystems
//! a scan needed so that a later `db update` fetches them; it never touches the network.

use dockguard_catalog::{Distro, Inventory, Package};
use dockguard_core::{Finding, FindingKind, Fix, Location, Severity};
use dockguard_vulndb::{Advisory, Database};
use std::collections::{BTreeMap, BTreeSet};

mod table;

pub use table::write_table;

/// Severity given to an advisory that carries neither a vendor rating nor a usable CVSS
/// vector. Our scale has no "unknown": `info` or `low` would let an unrated (often brand-new)
/// vulnerability slip under every usual failure threshold, `high` would cry wolf. Such
/// findings say in their message that the severity is not rated.
pub const UNRATED_SEVERITY: Severity = Severity::Medium;

/// How to match.
#[derive(Debug, Clone, Default)]
pub struct MatchOptions {
    /// OSV ecosystem to use for the OS packages instead of the one the detected release
    /// implies (`Alpine:v3.19`, `Debian:12`, …); for distributions we cannot detect.
    pub os_ecosystem: Option<String>,
}

/// The result of matching one inventory.
#[derive(Debug, Clone, Default)]
pub struct Matched {
    /// One finding per (installed package, advisory), in inventory order.
    pub findings: Vec<Finding>,
    /// The OSV ecosystem of the OS packages, when known.
    pub os_ecosystem: Option<String>,
    /// Every ecosystem some package was looked up in, sorted.
    pub ecosystems: Vec<String>,
    /// Packages looked up in the database.
    pub packages_checked: usize,
    /// Why some packages were not looked up, one line per reason (with a count).
    pub notes: Vec<String>,
}

/// Filters applied to findings after matching (`--severity`, `--ignore-unfixed`).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Keep only these severities; empty keeps all.
    pub severities: Vec<Severity>,
    /// Drop vulnerabilities without a fixed version.
    pub ignore_unfixed: bool,
}

impl Filter {
    /// Whether `finding` passes. Findings of other kinds than vulnerabilities pass the
    /// `ignore_unfixed` test (they have no fixed versions to wait for).
    pub fn keeps(&self, finding: &Finding) -> bool {
        if !self.severities.is_empty() && !self.severities.contains(&finding.severity) {
            return false;
        }
        if self.ignore_unfixed && finding.kind == FindingKind::Vulnerability && !has_fix(finding) {
            return false;
        }
        true
    }
}

/// Whether a vulnerability finding names a fixed version.
pub fn has_fix(finding: &Finding) -> bool {
    finding
        .fix
        .as_ref()
        .is_some_and(|f| !f.fixed_versions.is_empty())
}

/// The OSV ecosystem of a distribution release's packages, where OSV publishes one.
///
/// `dockguard_catalog::Distro::osv_ecosystem` covers Debian, Alpine, AlmaLinux and Rocky;
/// this adds Ubuntu (`Ubuntu:22.04`, which the database matches against `Ubuntu:22.04:LTS`
/// records) and the rolling distributions that OSV publishes without a release.
pub fn os_ecosystem(distro: &Distro) -> Option<String> {
    if let Some(e) = distro.osv_ecosystem() {
        return Some(e);
    }
    match distro.id.as_str() {
        "ubuntu" => distro.version_id.as_ref().map(|v| format!("Ubuntu:{v}")),
        "wolfi" => Some("Wolfi".to_string()),
        "chainguard" => Some("Chainguard".to_string()),
        _ => None,
    }
}

/// The name and version the advisories of `ecosystem` use for `package`: the source package
/// for distributions (Debian, Ubuntu and Alpine publish per source package, and a binNMU'd
/// binary version such as `1.2-3+b1` is not what the advisory ranges list).
fn lookup_key(package: &Package) -> (&str, &str) {
    if package.kind.is_os() {
        let name = package
            .source_name
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or(&package.name);
        let version = package
            .source_version
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or(&package.version);
        (name, version)
    } else {
        (&package.name, &package.version)
    }
}

/// Matches every package of `inventory` against `db`.
pub fn match_inventory(
    db: &Database,
    inventory: &Inventory,
    opts: &MatchOptions,
) -> dockguard_vulndb::Result<Matched> {
    let os = opts
        .os_ecosystem
        .clone()
        .or_else(|| inventory.distro.as_ref().and_then(os_ecosystem));
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    let mut queries: Vec<(String, &str, &str)> = Vec::new();
    let mut which: Vec<&Package> = Vec::new();
    for p in &inventory.packages {
        if p.unmatchable.is_some() {
            *skipped
                .entry("not matched by design (local or unversioned)".to_string())
                .or_default() += 1;
            continue;
        }
        if p.version.trim().is_empty() {
            *skipped.entry("no version".to_string()).or_default() += 1;
            continue;
        }
        let ecosystem = if p.kind.is_os() {
            match &os {
                Some(e) => e.clone(),
                None => {
                    let why = match &inventory.distro {
                        Some(d) => format!(
                            "{} packages of {}: no OSV data for this distribution",
                            p.kind,
                            d.pretty.clone().unwrap_or_else(|| d.purl_qualifier())
                        ),
                        None => format!("{} packages: distribution not detected", p.kind),
                    };
                    *skipped.entry(why).or_default() += 1;
                    continue;
                }
            }
        } else {
            match p.kind.osv_ecosystem() {
                Some(e) => e.to_string(),
                None => {
                    *skipped
                        .entry(format!("{} packages: no OSV ecosystem", p.kind))
                        .or_default() += 1;
                    continue;
                }
            }
        };
        let (name, version) = lookup_key(p);
        queries.push((ecosystem, name, version));
        which.push(p);
    }
    let triples: Vec<(&str, &str, &str)> = queries
        .iter()
        .map(|(e, n, v)| (e.as_str(), *n, *v))
        .collect();
    let ecosystems: BTreeSet<String> = queries.iter().map(|(e, _, _)| e.clone()).collect();
    let needed: Vec<&str> = ecosystems.iter().map(String::as_str).collect();
    db.note_needed(&needed);
    let results = db.match_packages(&triples)?;
    let mut findings = Vec::new();
    for ((p, (ecosystem, _, _)), advisories) in which.iter().zip(&queries).zip(results) {
        for a in advisories {
            findings.push(finding(p, ecosystem, &a));
        }
    }
    Ok(Matched {
        findings,
        os_ecosystem: os,
        ecosystems: ecosystems.into_iter().collect(),
        packages_checked: which.len(),
        notes: skipped
            .into_iter()
            .map(|(why, n)| format!("{n} package(s) not checked: {why}"))
            .collect(),
    })
}

/// The finding for one package affected by one advisory.
pub fn finding(package: &Package, ecosystem: &str, advisory: &Advisory) -> Finding {
    let severity = advisory.severity.unwrap_or(UNRATED_SEVERITY);
    let (source, source_version) = lookup_key(package);
    let mut what = format!("{} {}", package.name, package.version);
    if package.kind.is_os() && (source != package.name || source_version != package.version) {
        what.push_str(&format!(" (source {source} {source_version})"));
    }
    let mut message = format!("{what} is affected by {}", advisory.id);
    if advisory.fixed.is_empty() {
        message.push_str(" (no fix yet)");
    } else {
        message.push_str(&format!(" (fixed in {})", advisory.fixed.join(", ")));
    }
    if advisory.severity.is_none() {
        message.push_str(&format!(
            "; severity not rated, reported as {UNRATED_SEVERITY}"
        ));
    }
    let title = match advisory.summary.trim() {
        "" => format!("{} in {}", advisory.id, source),
        s => first_line(s),
    };
    let evidence = package.locations.first().cloned().unwrap_or_default();
    let location = Location {
        path: evidence.path,
        layer_digest: evidence.layer_digest,
        layer_index: evidence.layer_index,
        ..Location::default()
    };
    let fix = (!advisory.fixed.is_empty()).then(|| Fix {
        description: format!(
            "Upgrade {} to {} or later.",
            if package.kind.is_os() {
                source
            } else {
                &package.name
            },
            advisory.fixed[0]
        ),
        replacement: None,
        fixed_versions: advisory.fixed.clone(),
    });
    let mut references: Vec<String> = advisory.aliases.to_vec();
    for r in advisory.references.iter() {
        if !references.contains(r) {
            references.push(r.clone());
        }
    }
    Finding {
        id: advisory.id.clone(),
        kind: FindingKind::Vulnerability,
        severity,
        title,
        message,
        location,
        package: Some(package.to_ref(Some(ecosystem.to_string()))),
        fix,
        references,
    }
}

/// Summaries are one line in OSV, but not always; a table row needs one.
fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("").trim();
    const MAX: usize = 200;
    if line.chars().count() > MAX {
        let mut cut: String = line.chars().take(MAX - 1).collect();
        cut.push('…');
        cut
    } else {
        line.to_string()
    }
}

/// The package type shown in the table and used to group findings: the purl type when there
/// is one (`deb`, `apk`, `pypi`, `npm`, `golang`, `cargo`, `maven`, …), else the ecosystem.
pub fn package_type(finding: &Finding) -> String {
    let Some(p) = &finding.package else {
        return String::new();
    };
    if let Some(t) = p
        .purl
        .as_deref()
        .and_then(|u| u.strip_prefix("pkg:"))
        .and_then(|u| u.split('/').next())
        .filter(|t| !t.is_empty())
    {
        return t.to_ascii_lowercase();
    }
    p.ecosystem.clone().unwrap_or_default()
}

#[cfg(test)]
mod tests;

//! The shared vocabulary of dockguard.
//!
//! Every scanner (Dockerfile lint, image config audit, secrets, vulnerabilities, runtime audit)
//! reports through the types in this crate, and every report format reads only these types. That
//! keeps the data flow one way: source → analyzers → [`Finding`]s → policy → report.
//!
//! The JSON shape of [`Report`] is a public interface documented in `docs/json-report.md`;
//! fields may be added, never renamed or removed, without bumping [`SCHEMA_VERSION`].

pub mod time;

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Version of the JSON report shape (`schema_version` in every JSON report).
pub const SCHEMA_VERSION: &str = "1.0";

/// How bad a finding is. Ordered: `Info < Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The hadolint level name closest to this severity (`error`, `warning`, `info`, `style`).
    pub fn hadolint_level(self) -> &'static str {
        match self {
            Severity::Critical | Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low => "info",
            Severity::Info => "style",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for a severity name that is neither ours nor hadolint's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSeverity(pub String);

impl fmt::Display for UnknownSeverity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown severity '{}' (expected critical, high, medium, low, info, \
             or hadolint's error, warning, style)",
            self.0
        )
    }
}

impl std::error::Error for UnknownSeverity {}

impl FromStr for Severity {
    type Err = UnknownSeverity;

    /// Accepts our names and hadolint's (`error`, `warning`, `info`, `style`) so that
    /// `.hadolint.yaml` thresholds and overrides keep working.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "critical" => Ok(Severity::Critical),
            "high" | "error" => Ok(Severity::High),
            "medium" | "warning" | "warn" => Ok(Severity::Medium),
            "low" => Ok(Severity::Low),
            "info" | "style" | "none" => Ok(Severity::Info),
            _ => Err(UnknownSeverity(s.to_string())),
        }
    }
}

/// Which scanner produced a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    Lint,
    Vulnerability,
    Secret,
    Config,
    Runtime,
    License,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Lint => "lint",
            FindingKind::Vulnerability => "vulnerability",
            FindingKind::Secret => "secret",
            FindingKind::Config => "config",
            FindingKind::Runtime => "runtime",
            FindingKind::License => "license",
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a finding is. Every field is optional because findings come from files, image layers,
/// image config and command lines alike. Lines and columns are 1-based.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer_digest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer_index: Option<u32>,
}

impl Location {
    pub fn file(path: impl Into<String>) -> Self {
        Location {
            path: Some(path.into()),
            ..Location::default()
        }
    }

    pub fn at(path: impl Into<String>, line: u32, column: u32) -> Self {
        Location {
            path: Some(path.into()),
            line: Some(line),
            column: Some(column),
            ..Location::default()
        }
    }
}

/// The package a finding is about (vulnerabilities, licences).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PackageRef {
    pub name: String,
    pub version: String,
    /// OSV ecosystem name, e.g. `Debian:12`, `PyPI`, `npm`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ecosystem: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

/// How to make a finding go away.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Fix {
    /// A sentence a person can act on.
    pub description: String,
    /// Replacement text for the offending span, when one can be given mechanically.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
    /// Versions that fix a vulnerability.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed_versions: Vec<String>,
}

/// One problem found by one scanner.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Finding {
    /// Rule or advisory id: `DL3008`, `DG1001`, `CVE-2023-1234`, …
    pub id: String,
    pub kind: FindingKind,
    pub severity: Severity,
    /// Short, stable title of the rule.
    pub title: String,
    /// What is wrong in this instance.
    pub message: String,
    pub location: Location,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<PackageRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// URLs and cross-references (CIS ids, hadolint wiki, advisories).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
}

impl Finding {
    pub fn new(
        id: impl Into<String>,
        kind: FindingKind,
        severity: Severity,
        title: impl Into<String>,
        message: impl Into<String>,
        location: Location,
    ) -> Self {
        Finding {
            id: id.into(),
            kind,
            severity,
            title: title.into(),
            message: message.into(),
            location,
            package: None,
            fix: None,
            references: Vec::new(),
        }
    }

    pub fn with_fix(mut self, description: impl Into<String>) -> Self {
        self.fix = Some(Fix {
            description: description.into(),
            ..Fix::default()
        });
        self
    }

    pub fn with_reference(mut self, reference: impl Into<String>) -> Self {
        self.references.push(reference.into());
        self
    }

    /// Sort key that makes report output deterministic: by file, position, then id.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            &self.location.path,
            self.location.layer_index,
            self.location.line,
            self.location.column,
            &self.id,
            &self.message,
        )
    }
}

/// Name and version of the tool that wrote a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
}

impl ToolInfo {
    pub fn dockguard(version: &str) -> Self {
        ToolInfo {
            name: "dockguard".to_string(),
            version: version.to_string(),
        }
    }
}

/// The one object every JSON report is: `{"schema_version", "tool", "findings"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: String,
    pub tool: ToolInfo,
    /// The files or images that were scanned, in the order given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn new(tool: ToolInfo, targets: Vec<String>, mut findings: Vec<Finding>) -> Self {
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Report {
            schema_version: SCHEMA_VERSION.to_string(),
            tool,
            targets,
            findings,
        }
    }

    /// The highest severity present, if any finding exists.
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    /// Number of findings per severity, highest first.
    pub fn counts(&self) -> [(Severity, usize); 5] {
        Severity::ALL.map(|s| (s, self.findings.iter().filter(|f| f.severity == s).count()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_orders_and_parses_both_vocabularies() {
        assert!(Severity::Critical > Severity::High);
        assert!(Severity::Low > Severity::Info);
        assert_eq!("error".parse::<Severity>().unwrap(), Severity::High);
        assert_eq!("warning".parse::<Severity>().unwrap(), Severity::Medium);
        assert_eq!("style".parse::<Severity>().unwrap(), Severity::Info);
        assert_eq!("CRITICAL".parse::<Severity>().unwrap(), Severity::Critical);
        assert!("bogus".parse::<Severity>().is_err());
    }

    #[test]
    fn report_json_shape_is_stable() {
        let finding = Finding::new(
            "DL3007",
            FindingKind::Lint,
            Severity::Medium,
            "Using latest",
            "pin a version",
            Location::at("Dockerfile", 1, 1),
        );
        let report = Report::new(ToolInfo::dockguard("0.1.0"), vec![], vec![finding]);
        let value = serde_json::to_value(&report).unwrap();
        assert_eq!(value["schema_version"], SCHEMA_VERSION);
        assert_eq!(value["tool"]["name"], "dockguard");
        assert_eq!(value["findings"][0]["kind"], "lint");
        assert_eq!(value["findings"][0]["severity"], "medium");
        assert_eq!(value["findings"][0]["location"]["line"], 1);
        assert!(value["findings"][0].get("package").is_none());
    }
}

/// What kind of package a [`Package`] is: which package manager or language ecosystem it
/// belongs to. Serialised in kebab-case (`go-module`, `rust-crate`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PackageKind {
    Deb,
    Apk,
    Rpm,
    Python,
    Npm,
    GoModule,
    GoStdlib,
    RustCrate,
    JavaArchive,
    Gem,
    Composer,
    Nuget,
}

impl PackageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PackageKind::Deb => "deb",
            PackageKind::Apk => "apk",
            PackageKind::Rpm => "rpm",
            PackageKind::Python => "python",
            PackageKind::Npm => "npm",
            PackageKind::GoModule => "go-module",
            PackageKind::GoStdlib => "go-stdlib",
            PackageKind::RustCrate => "rust-crate",
            PackageKind::JavaArchive => "java-archive",
            PackageKind::Gem => "gem",
            PackageKind::Composer => "composer",
            PackageKind::Nuget => "nuget",
        }
    }

    /// Whether the package comes from the distribution's package manager, so that its
    /// advisories depend on the distribution release.
    pub fn is_os(self) -> bool {
        matches!(self, PackageKind::Deb | PackageKind::Apk | PackageKind::Rpm)
    }

    /// The OSV ecosystem of a language package (`PyPI`, `npm`, `Go`, …). OS packages return
    /// `None` because their ecosystem names the release (`Debian:12`, `Alpine:v3.10`).
    pub fn osv_ecosystem(self) -> Option<&'static str> {
        match self {
            PackageKind::Python => Some("PyPI"),
            PackageKind::Npm => Some("npm"),
            PackageKind::GoModule | PackageKind::GoStdlib => Some("Go"),
            PackageKind::RustCrate => Some("crates.io"),
            PackageKind::JavaArchive => Some("Maven"),
            PackageKind::Gem => Some("RubyGems"),
            PackageKind::Composer => Some("Packagist"),
            PackageKind::Nuget => Some("NuGet"),
            PackageKind::Deb | PackageKind::Apk | PackageKind::Rpm => None,
        }
    }
}

impl fmt::Display for PackageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One package installed in an image or directory, as a cataloger found it.
///
/// `name` is the name as the package manager displays it (Maven packages are
/// `groupId:artifactId`, Go's toolchain is `stdlib`); matching code normalises names itself
/// (PEP 503 for Python, lower case for npm). `version` is the full version the package manager
/// compares: for rpm `[epoch:]version-release`, for dpkg the binary package version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Package {
    pub name: String,
    pub version: String,
    pub kind: PackageKind,
    /// Package URL (purl spec), with `distro=` for OS packages when the distribution is known.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub purl: String,
    /// The source package this binary was built from (dpkg `Source:`, apk origin, rpm
    /// SOURCERPM name). Advisories for OS packages are published per source package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    /// Licence expressions or names as declared; not normalised to SPDX.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<String>,
    /// Every place the package was found (database file, manifest, binary).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    /// Why this package must not be matched against advisories although it is reported (a
    /// local root crate, a Go main module built as `(devel)`); `None` for ordinary packages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unmatchable: Option<String>,
    /// Cataloger-specific facts (`installed_size`, `epoch`, `release`, `vendor`, `group_id`, …).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub metadata: std::collections::BTreeMap<String, String>,
}

impl Package {
    pub fn new(kind: PackageKind, name: impl Into<String>, version: impl Into<String>) -> Self {
        Package {
            name: name.into(),
            version: version.into(),
            kind,
            purl: String::new(),
            source_name: None,
            source_version: None,
            arch: None,
            licenses: Vec::new(),
            locations: Vec::new(),
            unmatchable: None,
            metadata: std::collections::BTreeMap::new(),
        }
    }

    /// The reference a finding about this package carries. `ecosystem` is the OSV ecosystem,
    /// which for OS packages the caller derives from the distribution.
    pub fn to_ref(&self, ecosystem: Option<String>) -> PackageRef {
        PackageRef {
            name: self.name.clone(),
            version: self.version.clone(),
            ecosystem: ecosystem.or_else(|| self.kind.osv_ecosystem().map(str::to_string)),
            purl: (!self.purl.is_empty()).then(|| self.purl.clone()),
        }
    }
}

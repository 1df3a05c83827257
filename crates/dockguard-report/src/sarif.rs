//! SARIF 2.1.0 (OASIS), shaped for GitHub code scanning: one run, rules deduplicated by id,
//! stable `partialFingerprints`, and a location for every finding that has anything to point at.

use crate::common::{
    describe, positive, sorted_findings, target_name, uri_reference, Fingerprinter,
};
use crate::RenderOptions;
use dockguard_core::{Finding, Report, Severity};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io;

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/dockguard/dockguard";
/// Our own key: GitHub treats unknown keys as opaque, and its own `primaryLocationLineHash` has a
/// specific algorithm we do not reproduce.
const FINGERPRINT_KEY: &str = "dockguard/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    results: Vec<SarifResult<'a>>,
    /// Our columns count characters, not the UTF-16 units SARIF assumes by default.
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'a str,
    version: &'a str,
    information_uri: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    short_description: Text<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<&'a str>,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
    /// GitHub ranks security alerts by this CVSS-like score rather than by `level`.
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<SarifLocation<'a>>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties<'a>>,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    package: &'a dockguard_core::PackageRef,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fully_qualified_name: Option<String>,
    kind: &'static str,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// Values chosen inside GitHub's bands (critical > 9.0, high 7.0–8.9, medium 4.0–6.9,
/// low 0.1–3.9) so each severity lands in the band of the same name. Informational findings
/// have no band and get no score.
fn security_severity(severity: Severity) -> Option<&'static str> {
    match severity {
        Severity::Critical => Some("9.5"),
        Severity::High => Some("8.0"),
        Severity::Medium => Some("5.5"),
        Severity::Low => Some("2.0"),
        Severity::Info => None,
    }
}

/// Only an absolute http(s) URL without whitespace may go in `helpUri` (format `uri`); other
/// references, such as CIS ids, are left out rather than making the log invalid.
fn help_uri(finding: &Finding) -> Option<&str> {
    finding.references.iter().map(String::as_str).find(|r| {
        let lower = r.to_ascii_lowercase();
        (lower.starts_with("https://") || lower.starts_with("http://"))
            && r.len() > "https://".len()
            && r.chars().all(|c| {
                c.is_ascii_graphic()
                    && !matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}')
            })
    })
}

pub fn render(report: &Report, opts: &RenderOptions) -> io::Result<String> {
    let findings = sorted_findings(report);

    // Rules sorted by id so `ruleIndex` does not depend on finding order. The first finding of an
    // id supplies title and help link; the worst severity seen becomes the default level.
    let mut by_id: BTreeMap<&str, (&Finding, Severity)> = BTreeMap::new();
    for f in &findings {
        by_id
            .entry(f.id.as_str())
            .and_modify(|(_, worst)| *worst = (*worst).max(f.severity))
            .or_insert((f, f.severity));
    }
    let rule_index: BTreeMap<&str, usize> =
        by_id.keys().enumerate().map(|(i, id)| (*id, i)).collect();
    let rules = by_id
        .iter()
        .map(|(id, (first, worst))| Rule {
            id,
            short_description: Text {
                text: if first.title.trim().is_empty() {
                    id
                } else {
                    &first.title
                },
            },
            help_uri: help_uri(first),
            default_configuration: Configuration {
                level: level(*worst),
            },
            properties: RuleProperties {
                tags: vec!["security", first.kind.as_str()],
                security_severity: security_severity(*worst),
            },
        })
        .collect();

    let mut fingerprints = Fingerprinter::default();
    let results = findings
        .iter()
        .map(|f| SarifResult {
            rule_id: &f.id,
            rule_index: rule_index.get(f.id.as_str()).copied().unwrap_or(0),
            level: level(f.severity),
            message: Text { text: describe(f) },
            locations: location(f, report).into_iter().collect(),
            partial_fingerprints: BTreeMap::from([(
                FINGERPRINT_KEY,
                fingerprints.fingerprint(f, report, opts),
            )]),
            properties: f
                .package
                .as_ref()
                .map(|package| ResultProperties { package }),
        })
        .collect();

    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: &report.tool.name,
                    version: &report.tool.version,
                    information_uri: INFORMATION_URI,
                    rules,
                },
            },
            results,
            column_kind: "unicodeCodePoints",
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).map_err(io::Error::other)?;
    text.push('\n');
    Ok(text)
}

/// A file finding points at the file; a layer finding without a file points at the layer (by
/// digest, so consumers that insist on a physical location still get one) and names the layer
/// as a logical location too.
fn location<'a>(finding: &'a Finding, report: &'a Report) -> Option<SarifLocation<'a>> {
    let loc = &finding.location;
    let artifact = target_name(finding, report)?;
    let region = positive(loc.line).map(|start_line| Region {
        start_line,
        start_column: positive(loc.column),
        end_line: positive(loc.end_line).filter(|&end| end >= start_line),
    });
    let logical_locations = match &loc.layer_digest {
        Some(digest) => vec![LogicalLocation {
            name: digest,
            fully_qualified_name: loc.layer_index.map(|i| format!("layers[{i}]")),
            kind: "module",
        }],
        None => Vec::new(),
    };
    Some(SarifLocation {
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: uri_reference(artifact),
            },
            region,
        },
        logical_locations,
    })
}

//! GitLab container-scanning report (schema 15.2.1): the vulnerability findings of an image.
//!
//! The format describes vulnerable dependencies of an image only, so findings of other kinds
//! (lint, secrets, configuration) are left out; their place in GitLab is the Code Quality
//! report. Scan times are required by the schema; [`crate::render`] writes the epoch so output
//! stays deterministic, and callers that want real times use [`gitlab_container_scanning`].

use crate::common::sorted_findings;
use dockguard_core::{Finding, FindingKind, Report, Severity};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::io;

/// Time written when the caller gives none (`YYYY-MM-DDTHH:MM:SS`, as the schema demands).
pub const EPOCH: &str = "1970-01-01T00:00:00";

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
        Severity::Info => "Info",
    }
}

/// Identifier type GitLab groups advisories by.
fn identifier(id: &str) -> Value {
    let upper = id.to_ascii_uppercase();
    let (kind, url) = if upper.starts_with("CVE-") {
        (
            "cve",
            Some(format!("https://nvd.nist.gov/vuln/detail/{upper}")),
        )
    } else if upper.starts_with("GHSA-") {
        ("ghsa", Some(format!("https://github.com/advisories/{id}")))
    } else if let Some((prefix, _)) = id.split_once('-') {
        (prefix, None)
    } else {
        ("dockguard", None)
    };
    let kind = if kind.is_empty() { "dockguard" } else { kind };
    let mut v = json!({ "type": kind.to_ascii_lowercase(), "name": id, "value": id });
    if let Some(url) = url {
        v["url"] = url.into();
    }
    v
}

/// A stable UUID-shaped id from what makes the finding unique, so re-runs update rather
/// than duplicate GitLab's vulnerability records.
fn finding_uuid(f: &Finding) -> String {
    let mut h = Sha256::new();
    for part in [
        f.id.as_str(),
        f.package.as_ref().map_or("", |p| p.name.as_str()),
        f.package.as_ref().map_or("", |p| p.version.as_str()),
        f.location.path.as_deref().unwrap_or(""),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    let d = h.finalize();
    let hex: String = d[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// `Alpine:v3.10` → `Alpine v3.10`: the OS as GitLab shows it, from the OS packages' ecosystem.
fn operating_system(report: &Report) -> String {
    report
        .findings
        .iter()
        .filter_map(|f| f.package.as_ref()?.ecosystem.as_deref())
        .find(|e| e.contains(':'))
        .map(|e| e.replacen(':', " ", 1))
        .unwrap_or_else(|| "unknown".to_string())
}

/// Renders the report with the given scan start and end (`YYYY-MM-DDTHH:MM:SS`, UTC).
pub fn gitlab_container_scanning(report: &Report, start: &str, end: &str) -> io::Result<String> {
    let image = report
        .targets
        .first()
        .cloned()
        .unwrap_or_else(|| "unknown".to_string());
    let os = operating_system(report);
    let vulns: Vec<Value> = sorted_findings(report)
        .into_iter()
        .filter(|f| f.kind == FindingKind::Vulnerability)
        .map(|f| {
            let mut identifiers = vec![identifier(&f.id)];
            for r in &f.references {
                if !r.contains("://") && !r.trim().is_empty() && r != &f.id {
                    identifiers.push(identifier(r));
                }
            }
            let links: Vec<Value> = f
                .references
                .iter()
                .filter(|r| r.starts_with("https://") || r.starts_with("http://"))
                .map(|r| json!({ "url": r }))
                .collect();
            let (package, version) = f.package.as_ref().map_or(("unknown", "unknown"), |p| {
                (p.name.as_str(), p.version.as_str())
            });
            let mut v = json!({
                "id": finding_uuid(f),
                "name": if f.title.is_empty() { &f.id } else { &f.title },
                "description": f.message,
                "severity": severity(f.severity),
                "identifiers": identifiers,
                "location": {
                    "dependency": { "package": { "name": package }, "version": version },
                    "operating_system": os,
                    "image": image,
                },
            });
            if !links.is_empty() {
                v["links"] = links.into();
            }
            if let Some(fix) = &f.fix {
                v["solution"] = fix.description.clone().into();
            }
            v
        })
        .collect();
    let tool = json!({
        "id": "dockguard",
        "name": "dockguard",
        "version": report.tool.version,
        "vendor": { "name": "dockguard" },
    });
    let doc = json!({
        "version": "15.2.1",
        "scan": {
            "analyzer": tool,
            "scanner": tool,
            "type": "container_scanning",
            "start_time": start,
            "end_time": end,
            "status": "success",
        },
        "vulnerabilities": vulns,
    });
    let mut text = serde_json::to_string_pretty(&doc).map_err(io::Error::other)?;
    text.push('\n');
    Ok(text)
}

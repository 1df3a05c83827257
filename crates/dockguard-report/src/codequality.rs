//! GitLab Code Quality: a JSON array of Code Climate-style issues. GitLab publishes no schema;
//! the fields written here are the ones its documentation marks as required.

use crate::common::{describe, positive, sorted_findings, target_label, Fingerprinter};
use crate::RenderOptions;
use dockguard_core::{Report, Severity};
use serde::Serialize;
use std::io;

#[derive(Serialize)]
struct Issue<'a> {
    description: &'a str,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

/// Five severities on each side, so the mapping keeps every distinction.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "blocker",
        Severity::High => "critical",
        Severity::Medium => "major",
        Severity::Low => "minor",
        Severity::Info => "info",
    }
}

pub fn render(report: &Report, opts: &RenderOptions) -> io::Result<String> {
    let mut fingerprints = Fingerprinter::default();
    let issues: Vec<Issue<'_>> = sorted_findings(report)
        .into_iter()
        .map(|f| Issue {
            description: describe(f),
            check_name: &f.id,
            fingerprint: fingerprints.fingerprint(f, report, opts),
            severity: severity(f.severity),
            location: Location {
                path: target_label(f, report),
                // GitLab requires a line; a finding about a whole file or image is shown on the
                // first one.
                lines: Lines {
                    begin: positive(f.location.line).unwrap_or(1),
                },
            },
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).map_err(io::Error::other)?;
    text.push('\n');
    Ok(text)
}

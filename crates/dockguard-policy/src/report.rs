//! The JSON report of a gated scan: the core report plus the fields the gate adds. `dockguard
//! scan`, `dockguard evaluate` and the server all write this shape (`docs/json-report.md`),
//! and `evaluate` reads it back, so it is defined once, here.

use crate::{IgnoreRule, Subject, Suppressed, Verdict};
use dockguard_core::Report;
use serde_json::{json, Value};

/// What the gate adds to a report; empty or `None` fields are left out of the JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct GateFields<'a> {
    /// The PASS / WARN / FAIL verdict, as `policy`.
    pub verdict: Option<&'a Verdict>,
    /// Findings an ignore entry or VEX statement removed, as `suppressed`.
    pub suppressed: &'a [Suppressed],
    /// Ignore entries past their expiry date, as `expired_ignores`.
    pub expired: &'a [IgnoreRule],
    /// Facts about the target the gate judges besides the findings, as `subject`, so the
    /// report can be judged again later without rescanning.
    pub subject: Option<&'a Subject>,
}

/// The report as one JSON value: the core fields unchanged, then the gate's.
pub fn gated_report_json(report: &Report, gate: &GateFields<'_>) -> serde_json::Result<Value> {
    let mut value = serde_json::to_value(report)?;
    if let Some(obj) = value.as_object_mut() {
        if let Some(subject) = gate.subject {
            obj.insert("subject".into(), serde_json::to_value(subject)?);
        }
        if let Some(verdict) = gate.verdict {
            obj.insert("policy".into(), serde_json::to_value(verdict)?);
        }
        if !gate.suppressed.is_empty() {
            obj.insert("suppressed".into(), serde_json::to_value(gate.suppressed)?);
        }
        if !gate.expired.is_empty() {
            let list: Vec<Value> = gate
                .expired
                .iter()
                .map(|r| {
                    json!({
                        "id": r.id,
                        "origin": r.origin,
                        "expires": r.expires.map(|d| d.to_string()),
                    })
                })
                .collect();
            obj.insert("expired_ignores".into(), list.into());
        }
    }
    Ok(value)
}

//! CycloneDX 1.6 with vulnerabilities (a VDR-style BOM): the affected packages as components
//! and one `vulnerabilities[]` entry per advisory, listing every package it affects.
//!
//! Only vulnerability findings have a place here; other kinds are left out. Nothing
//! time-dependent or random is written (no timestamp, no serial number).

use crate::common::sorted_findings;
use dockguard_core::{FindingKind, Report, Severity};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::io;

/// A URL the schema's `iri-reference` format and every consumer accept as written.
fn plain_url(r: &str) -> bool {
    (r.starts_with("https://") || r.starts_with("http://"))
        && !r
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(c))
}

fn alias_source(id: &str) -> &str {
    id.split_once('-').map_or("dockguard", |(p, _)| p)
}

pub fn render(report: &Report) -> io::Result<String> {
    let findings: Vec<_> = sorted_findings(report)
        .into_iter()
        .filter(|f| f.kind == FindingKind::Vulnerability)
        .collect();

    // Components keyed by what identifies a package; bom-refs are the purl when there is one
    // (readable, and what VEX documents point at), else a numbered local ref.
    let mut components: BTreeMap<(String, String, String), String> = BTreeMap::new();
    let mut listed: Vec<Value> = Vec::new();
    let mut used_refs: std::collections::HashSet<String> = Default::default();
    let mut component_ref = |name: &str, version: &str, purl: Option<&str>| -> String {
        let key = (
            name.to_string(),
            version.to_string(),
            purl.unwrap_or("").to_string(),
        );
        if let Some(r) = components.get(&key) {
            return r.clone();
        }
        let mut r = purl
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| format!("component-{}", listed.len() + 1));
        if !used_refs.insert(r.clone()) {
            r = format!("component-{}", listed.len() + 1);
            used_refs.insert(r.clone());
        }
        let mut c = json!({ "type": "library", "bom-ref": r, "name": name, "version": version });
        if let Some(p) = purl.filter(|p| !p.is_empty()) {
            c["purl"] = p.into();
        }
        listed.push(c);
        components.insert(key, r.clone());
        r
    };

    // One entry per advisory id, in first-seen order.
    let mut order: Vec<String> = Vec::new();
    let mut vulns: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    let mut affects: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut worst: BTreeMap<String, Severity> = BTreeMap::new();
    for f in findings {
        if let Some(p) = &f.package {
            let r = component_ref(&p.name, &p.version, p.purl.as_deref());
            let list = affects.entry(f.id.clone()).or_default();
            if !list.contains(&r) {
                list.push(r);
            }
        }
        let w = worst.entry(f.id.clone()).or_insert(f.severity);
        *w = (*w).max(f.severity);
        if vulns.contains_key(&f.id) {
            continue;
        }
        order.push(f.id.clone());
        let mut v = Map::new();
        v.insert("bom-ref".into(), format!("vuln-{}", order.len()).into());
        v.insert("id".into(), f.id.clone().into());
        if !f.title.is_empty() {
            v.insert("description".into(), f.title.clone().into());
        }
        v.insert("detail".into(), f.message.clone().into());
        if let Some(fix) = &f.fix {
            v.insert("recommendation".into(), fix.description.clone().into());
        }
        let aliases: Vec<Value> = f
            .references
            .iter()
            .filter(|r| !r.contains("://") && !r.trim().is_empty() && **r != f.id)
            .map(|r| json!({ "id": r, "source": { "name": alias_source(r) } }))
            .collect();
        if !aliases.is_empty() {
            v.insert("references".into(), aliases.into());
        }
        let advisories: Vec<Value> = f
            .references
            .iter()
            .filter(|r| plain_url(r))
            .map(|r| json!({ "url": r }))
            .collect();
        if !advisories.is_empty() {
            v.insert("advisories".into(), advisories.into());
        }
        vulns.insert(f.id.clone(), v);
    }
    let vulnerabilities: Vec<Value> = order
        .iter()
        .filter_map(|id| {
            let mut v = vulns.remove(id)?;
            let sev = worst.get(id).copied().unwrap_or(Severity::Medium);
            v.insert(
                "ratings".into(),
                json!([{ "severity": sev.as_str(), "method": "other" }]),
            );
            if let Some(refs) = affects.get(id) {
                let a: Vec<Value> = refs.iter().map(|r| json!({ "ref": r })).collect();
                v.insert("affects".into(), a.into());
            }
            Some(Value::Object(v))
        })
        .collect();

    let mut metadata = json!({
        "tools": { "components": [{
            "type": "application",
            "name": report.tool.name,
            "version": report.tool.version,
        }]},
    });
    if let [only] = report.targets.as_slice() {
        metadata["component"] = json!({ "type": "container", "bom-ref": "target", "name": only });
    }
    let doc = json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": metadata,
        "components": listed,
        "vulnerabilities": vulnerabilities,
    });
    let mut text = serde_json::to_string_pretty(&doc).map_err(io::Error::other)?;
    text.push('\n');
    Ok(text)
}

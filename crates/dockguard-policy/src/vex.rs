//! VEX documents: OpenVEX (0.2, and the string-vulnerability form of 0.0.x) and CycloneDX
//! VEX (`vulnerabilities[].analysis`).

use crate::purl::Purl;
use crate::{read_bounded, Error};
use dockguard_core::Finding;
use serde_json::Value;
use std::path::Path;

/// What a VEX statement says about a vulnerability in a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VexStatus {
    NotAffected,
    Fixed,
    Affected,
    UnderInvestigation,
}

impl VexStatus {
    /// Whether the statement removes the finding.
    pub fn suppresses(self) -> bool {
        matches!(self, VexStatus::NotAffected | VexStatus::Fixed)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            VexStatus::NotAffected => "not_affected",
            VexStatus::Fixed => "fixed",
            VexStatus::Affected => "affected",
            VexStatus::UnderInvestigation => "under_investigation",
        }
    }
}

/// One statement, flattened: a vulnerability (with aliases), the purls it is about, a status.
#[derive(Debug, Clone)]
pub struct VexStatement {
    /// The vulnerability id followed by its aliases.
    pub ids: Vec<String>,
    /// Product and subcomponent purls as written.
    pub products: Vec<String>,
    pub status: VexStatus,
    /// Justification and impact statement (or CycloneDX detail), when given.
    pub justification: Option<String>,
    /// `FILE statements[N]` or `FILE vulnerabilities[N]`.
    pub origin: String,
    purls: Vec<Purl>,
}

impl VexStatement {
    /// Whether the statement is about `finding`: one of its ids names the finding's id or an
    /// alias, and one of its purls covers the finding's package purl.
    pub fn matches(&self, finding: &Finding) -> bool {
        if !self.ids.iter().any(|id| crate::names_vuln(finding, id)) {
            return false;
        }
        let Some(purl) = finding
            .package
            .as_ref()
            .and_then(|p| p.purl.as_deref())
            .and_then(Purl::parse)
        else {
            return false;
        };
        self.purls.iter().any(|p| p.covers(&purl))
    }
}

/// Reads an OpenVEX or CycloneDX VEX document.
pub fn load_vex(path: &Path) -> Result<Vec<VexStatement>, Error> {
    let text = read_bounded(path)?;
    parse_vex(&text, &path.display().to_string()).map_err(|message| Error::Invalid {
        file: path.display().to_string(),
        message,
    })
}

/// Parses a VEX document's text; `file` names it in origins.
pub fn parse_vex(text: &str, file: &str) -> Result<Vec<VexStatement>, String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    if doc.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
        return cyclonedx(&doc, file);
    }
    let context = doc.get("@context").and_then(Value::as_str).unwrap_or("");
    if context.contains("openvex") || doc.get("statements").is_some() {
        return openvex(&doc, file);
    }
    Err("neither an OpenVEX document (`@context` …openvex…) nor CycloneDX (`bomFormat`)".into())
}

fn str_of(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn openvex(doc: &Value, file: &str) -> Result<Vec<VexStatement>, String> {
    let statements = doc
        .get("statements")
        .and_then(Value::as_array)
        .ok_or("OpenVEX: `statements` is not an array")?;
    let mut out = Vec::new();
    for (i, s) in statements.iter().enumerate() {
        let at = format!("statements[{i}]");
        let mut ids = Vec::new();
        match s.get("vulnerability") {
            Some(Value::String(id)) => ids.push(id.trim().to_string()),
            Some(v @ Value::Object(_)) => {
                ids.extend(str_of(v, "name"));
                ids.extend(str_of(v, "@id"));
                if let Some(a) = v.get("aliases").and_then(Value::as_array) {
                    ids.extend(a.iter().filter_map(Value::as_str).map(str::to_string));
                }
            }
            _ => return Err(format!("{at}: no `vulnerability`")),
        }
        ids.retain(|i| !i.is_empty());
        if ids.is_empty() {
            return Err(format!("{at}: the vulnerability has no name"));
        }
        let status = match s.get("status").and_then(Value::as_str) {
            Some("not_affected") => VexStatus::NotAffected,
            Some("fixed") => VexStatus::Fixed,
            Some("affected") => VexStatus::Affected,
            Some("under_investigation") => VexStatus::UnderInvestigation,
            other => return Err(format!("{at}: unknown status {other:?}")),
        };
        let mut products = Vec::new();
        for p in s
            .get("products")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            collect_product(p, &mut products);
            for sub in p
                .get("subcomponents")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                collect_product(sub, &mut products);
            }
        }
        let justification = [str_of(s, "justification"), str_of(s, "impact_statement")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>();
        out.push(statement(
            ids,
            products,
            status,
            justification,
            format!("{file} {at}"),
        ));
    }
    Ok(out)
}

/// A product's `@id` and `identifiers.purl`, or a bare string (0.0.x).
fn collect_product(p: &Value, into: &mut Vec<String>) {
    match p {
        Value::String(s) => into.push(s.clone()),
        Value::Object(_) => {
            into.extend(str_of(p, "@id"));
            if let Some(ids) = p.get("identifiers") {
                into.extend(str_of(ids, "purl"));
            }
        }
        _ => {}
    }
}

fn statement(
    ids: Vec<String>,
    products: Vec<String>,
    status: VexStatus,
    justification: Vec<String>,
    origin: String,
) -> VexStatement {
    let purls = products.iter().filter_map(|p| Purl::parse(p)).collect();
    VexStatement {
        ids,
        products,
        status,
        justification: (!justification.is_empty()).then(|| justification.join(": ")),
        origin,
        purls,
    }
}

fn cyclonedx(doc: &Value, file: &str) -> Result<Vec<VexStatement>, String> {
    // `affects[].ref` may be a bom-ref of a component in this document or a purl itself.
    let mut refs = std::collections::HashMap::new();
    let mut stack: Vec<&Value> = doc
        .get("components")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    if let Some(c) = doc.pointer("/metadata/component") {
        stack.push(c);
    }
    while let Some(c) = stack.pop() {
        if let (Some(r), Some(p)) = (str_of(c, "bom-ref"), str_of(c, "purl")) {
            refs.insert(r, p);
        }
        if let Some(children) = c.get("components").and_then(Value::as_array) {
            stack.extend(children);
        }
    }
    let mut out = Vec::new();
    let vulns = doc
        .get("vulnerabilities")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    for (i, v) in vulns.enumerate() {
        let at = format!("vulnerabilities[{i}]");
        let Some(analysis) = v.get("analysis") else {
            continue;
        };
        let status = match analysis.get("state").and_then(Value::as_str) {
            Some("not_affected" | "false_positive") => VexStatus::NotAffected,
            Some("resolved" | "resolved_with_pedigree") => VexStatus::Fixed,
            Some("exploitable") => VexStatus::Affected,
            Some("in_triage") | None => VexStatus::UnderInvestigation,
            Some(other) => return Err(format!("{at}: unknown analysis.state '{other}'")),
        };
        let mut ids: Vec<String> = str_of(v, "id").into_iter().collect();
        for r in v
            .get("references")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            ids.extend(str_of(r, "id"));
        }
        if ids.is_empty() {
            return Err(format!("{at}: no `id`"));
        }
        let products = v
            .get("affects")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|a| str_of(a, "ref"))
            .map(|r| refs.get(&r).cloned().unwrap_or(r))
            .collect();
        let justification = [
            str_of(analysis, "justification"),
            str_of(analysis, "detail"),
        ]
        .into_iter()
        .flatten()
        .collect();
        out.push(statement(
            ids,
            products,
            status,
            justification,
            format!("{file} {at}"),
        ));
    }
    Ok(out)
}

/// The statement that decides `finding`: the last matching one, since later statements in a
/// document (and later documents on the command line) supersede earlier ones.
pub fn deciding_statement<'a>(
    statements: &'a [VexStatement],
    finding: &Finding,
) -> Option<&'a VexStatement> {
    statements.iter().rev().find(|s| s.matches(finding))
}

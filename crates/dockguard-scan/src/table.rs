//! The terminal table of `dockguard scan`: vulnerabilities grouped by package type and by the
//! layer that brought the package, one row per (package, advisory), with the fixed versions.

use crate::{has_fix, package_type};
use dockguard_core::{Finding, FindingKind, Severity};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

const TITLE_WIDTH: usize = 60;

fn paint(s: &str, severity: Severity, color: bool) -> String {
    if !color {
        return s.to_string();
    }
    let code = match severity {
        Severity::Critical => "1;31",
        Severity::High => "31",
        Severity::Medium => "33",
        Severity::Low => "36",
        Severity::Info => "2",
    };
    format!("\x1b[{code}m{s}\x1b[0m")
}

fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn short_digest(d: &str) -> &str {
    let hex_start = d.find(':').map_or(0, |i| i + 1);
    let end = (hex_start + 12).min(d.len());
    d.get(..end).unwrap_or(d)
}

/// Writes the vulnerability findings among `findings` as a table (other kinds are ignored:
/// the caller renders them with the generic report table). Prints a one-line summary first,
/// and "no vulnerabilities found" when there are none.
pub fn write_table(findings: &[Finding], color: bool, out: &mut dyn Write) -> io::Result<()> {
    let vulns: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.kind == FindingKind::Vulnerability)
        .collect();
    if vulns.is_empty() {
        return writeln!(out, "no vulnerabilities found");
    }
    let packages: BTreeSet<(&str, &str, Option<&str>)> = vulns
        .iter()
        .filter_map(|f| {
            let p = f.package.as_ref()?;
            Some((
                p.name.as_str(),
                p.version.as_str(),
                f.location.path.as_deref(),
            ))
        })
        .collect();
    let counts: Vec<String> = Severity::ALL
        .iter()
        .map(|s| format!("{s} {}", vulns.iter().filter(|f| f.severity == *s).count()))
        .collect();
    let unfixed = vulns.iter().filter(|f| !has_fix(f)).count();
    writeln!(
        out,
        "{} vulnerabilities ({}) in {} package(s); {} without a fix yet",
        vulns.len(),
        counts.join(", "),
        packages.len(),
        unfixed
    )?;

    type Key = (String, Option<u32>, Option<String>);
    let mut groups: BTreeMap<Key, Vec<&Finding>> = BTreeMap::new();
    for f in &vulns {
        groups
            .entry((
                package_type(f),
                f.location.layer_index,
                f.location.layer_digest.clone(),
            ))
            .or_default()
            .push(f);
    }
    for ((kind, layer, digest), mut rows) in groups {
        rows.sort_by(|a, b| {
            let pa = a.package.as_ref().map(|p| (&p.name, &p.version));
            let pb = b.package.as_ref().map(|p| (&p.name, &p.version));
            pa.cmp(&pb)
                .then(b.severity.cmp(&a.severity))
                .then(a.id.cmp(&b.id))
                .then(a.location.path.cmp(&b.location.path))
        });
        writeln!(out)?;
        let mut header = if kind.is_empty() {
            "packages".to_string()
        } else {
            kind.clone()
        };
        match (layer, &digest) {
            (Some(i), Some(d)) => header.push_str(&format!(" · layer {i} ({})", short_digest(d))),
            (Some(i), None) => header.push_str(&format!(" · layer {i}")),
            (None, Some(d)) => header.push_str(&format!(" · layer {}", short_digest(d))),
            (None, None) => {}
        }
        writeln!(out, "{header}")?;
        // OS packages all live in the one package database; for language packages the path
        // tells copies apart (nested node_modules, several site-packages).
        let os = matches!(kind.as_str(), "deb" | "apk" | "rpm");
        let cells: Vec<[String; 6]> = rows
            .iter()
            .map(|f| {
                let (name, version) = f
                    .package
                    .as_ref()
                    .map(|p| (p.name.clone(), p.version.clone()))
                    .unwrap_or_default();
                let fixed = match &f.fix {
                    Some(fx) if !fx.fixed_versions.is_empty() => fx.fixed_versions.join(", "),
                    _ => "no fix yet".to_string(),
                };
                let last = if os {
                    truncate(&f.title, TITLE_WIDTH)
                } else {
                    f.location.path.clone().unwrap_or_default()
                };
                [
                    name,
                    version,
                    f.id.clone(),
                    f.severity.to_string(),
                    fixed,
                    last,
                ]
            })
            .collect();
        let heads = [
            "PACKAGE",
            "VERSION",
            "VULNERABILITY",
            "SEVERITY",
            "FIXED IN",
            if os { "TITLE" } else { "PATH" },
        ];
        let mut widths = heads.map(str::len);
        for row in &cells {
            for (w, c) in widths.iter_mut().zip(row.iter()) {
                *w = (*w).max(c.chars().count());
            }
        }
        let line = |cols: [&str; 6], sev: Option<Severity>| {
            let mut s = String::from("  ");
            for (i, c) in cols.iter().enumerate() {
                let pad = widths[i].saturating_sub(c.chars().count());
                let cell = match (i, sev) {
                    (3, Some(sev)) => paint(c, sev, color),
                    _ => c.to_string(),
                };
                s.push_str(&cell);
                if i + 1 < cols.len() {
                    s.push_str(&" ".repeat(pad + 2));
                }
            }
            s
        };
        writeln!(out, "{}", line(heads, None))?;
        for (row, f) in cells.iter().zip(&rows) {
            let cols = [
                row[0].as_str(),
                row[1].as_str(),
                row[2].as_str(),
                row[3].as_str(),
                row[4].as_str(),
                row[5].as_str(),
            ];
            writeln!(out, "{}", line(cols, Some(f.severity)).trim_end())?;
        }
    }
    Ok(())
}

//! Checkstyle XML in the shape hadolint writes, which Jenkins Warnings NG, reviewdog and many CI
//! dashboards already parse.

use crate::common::{describe, group_by_target, positive};
use crate::xml;
use dockguard_core::{Report, Severity};
use std::fmt::Write as _;

/// Checkstyle knows only `error`, `warning`, `info` and `ignore`; hadolint's extra `style` level
/// is not understood by every consumer, so the two lowest severities share `info`.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "info",
    }
}

pub fn render(report: &Report) -> String {
    let mut out = String::from(xml::DECLARATION);
    out.push_str("<checkstyle version=\"4.3\">\n");
    let groups = group_by_target(report);
    if groups.is_empty() {
        // Listing clean targets tells the reader what was checked.
        for target in &report.targets {
            let _ = writeln!(out, "  <file name=\"{}\"/>", xml::attr(target));
        }
    }
    for group in &groups {
        let _ = writeln!(out, "  <file name=\"{}\">", xml::attr(group.name));
        for f in &group.findings {
            out.push_str("    <error");
            // Checkstyle has no way to say "no line"; leaving the attribute out is what its own
            // file-level checks do and what lenient parsers read as line 0.
            if let Some(line) = positive(f.location.line) {
                let _ = write!(out, " line=\"{line}\"");
                if let Some(col) = positive(f.location.column) {
                    let _ = write!(out, " column=\"{col}\"");
                }
            }
            let _ = writeln!(
                out,
                " severity=\"{}\" message=\"{}\" source=\"{}\"/>",
                severity(f.severity),
                xml::attr(describe(f)),
                xml::attr(&f.id)
            );
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}

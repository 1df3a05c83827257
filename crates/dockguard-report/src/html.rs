//! A single-file HTML report: summary, severity chart, findings grouped by image layer, and
//! client-side filters. Everything is inline (no fonts, scripts or images fetched), so the
//! file can be archived as a CI artifact and opened offline.
//!
//! Every piece of report text is escaped; control characters become U+FFFD; only `http(s)`
//! references become links.

use crate::common::sorted_findings;
use dockguard_core::{Finding, Report, Severity};
use std::collections::BTreeMap;
use std::fmt::Write as _;

fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn safe_link(r: &str) -> bool {
    (r.starts_with("https://") || r.starts_with("http://"))
        && !r.chars().any(|c| c.is_control() || c.is_whitespace())
}

const STYLE: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:0 2em 2em;color:#1b1f24}\
h1{margin:.6em 0 .2em}table{border-collapse:collapse;width:100%;margin-bottom:1.5em}\
th,td{border-bottom:1px solid #d0d7de;padding:4px 6px;text-align:left;vertical-align:top}\
th{background:#f6f8fa}td.msg{white-space:pre-wrap;word-break:break-word}\
.sev{font-weight:600;text-transform:uppercase;font-size:12px}\
.critical{color:#8b0000}.high{color:#c2410c}.medium{color:#a16207}.low{color:#1d4ed8}.info{color:#4b5563}\
#summary{display:flex;gap:1em;flex-wrap:wrap;margin:1em 0}\
#summary div{border:1px solid #d0d7de;border-radius:6px;padding:.5em 1em;min-width:6em}\
#summary b{display:block;font-size:22px}#filters{margin:1em 0;display:flex;gap:1em;flex-wrap:wrap}\
svg text{font-size:12px;fill:#1b1f24}.hidden{display:none}";

const SCRIPT: &str = "(function(){\
var boxes=document.querySelectorAll('#filters input[data-sev]');\
var kind=document.getElementById('kind');var q=document.getElementById('q');\
function apply(){var on={};boxes.forEach(function(b){on[b.dataset.sev]=b.checked;});\
var k=kind.value;var t=q.value.toLowerCase();\
document.querySelectorAll('tr.finding').forEach(function(r){\
var show=on[r.dataset.severity]&&(!k||r.dataset.kind===k)&&(!t||r.textContent.toLowerCase().indexOf(t)>=0);\
r.classList.toggle('hidden',!show);});\
document.querySelectorAll('section.group').forEach(function(s){\
s.classList.toggle('hidden',!s.querySelector('tr.finding:not(.hidden)'));});}\
boxes.forEach(function(b){b.addEventListener('change',apply);});\
kind.addEventListener('change',apply);q.addEventListener('input',apply);})();";

/// The group a finding is shown under: its layer, else "image" for findings without one.
fn group_key(f: &Finding) -> (u64, String) {
    match (f.location.layer_index, &f.location.layer_digest) {
        (Some(i), d) => (
            u64::from(i),
            format!(
                "Layer {i}{}",
                d.as_deref().map(|d| format!(" ({d})")).unwrap_or_default()
            ),
        ),
        (None, Some(d)) => (u64::MAX - 1, format!("Layer {d}")),
        (None, None) => (u64::MAX, "Not tied to a layer".to_string()),
    }
}

pub fn render(report: &Report) -> String {
    let findings = sorted_findings(report);
    let counts = report.counts();
    let total = findings.len();
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // No network: a strict CSP makes that a guarantee, not a convention.
    h.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n");
    let title = match report.targets.as_slice() {
        [] => "dockguard report".to_string(),
        t => format!("dockguard report: {}", t.join(", ")),
    };
    let _ = writeln!(
        h,
        "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>",
        esc(&title)
    );
    let _ = writeln!(h, "<h1>{}</h1>", esc(&title));
    let _ = writeln!(
        h,
        "<p>{} {}</p>",
        esc(&report.tool.name),
        esc(&report.tool.version)
    );

    // Summary cards.
    h.push_str("<div id=\"summary\">\n");
    let _ = writeln!(h, "<div class=\"total\"><b>{total}</b>findings</div>");
    for (sev, n) in counts {
        let _ = writeln!(h, "<div class=\"{sev}\"><b>{n}</b>{sev}</div>");
    }
    h.push_str("</div>\n");

    // Severity chart: horizontal bars, scaled to the largest count.
    let max = counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let _ = writeln!(
        h,
        "<svg id=\"chart\" role=\"img\" aria-label=\"findings per severity\" width=\"480\" height=\"{}\">",
        counts.len() * 24 + 4
    );
    for (i, (sev, n)) in counts.iter().enumerate() {
        let y = i * 24 + 2;
        let w = (*n * 360) / max;
        let color = match sev {
            Severity::Critical => "#8b0000",
            Severity::High => "#c2410c",
            Severity::Medium => "#ca8a04",
            Severity::Low => "#1d4ed8",
            Severity::Info => "#6b7280",
        };
        let _ = writeln!(
            h,
            "<text x=\"0\" y=\"{}\">{sev}</text><rect x=\"70\" y=\"{y}\" width=\"{w}\" height=\"18\" fill=\"{color}\"/><text x=\"{}\" y=\"{}\">{n}</text>",
            y + 14,
            74 + w,
            y + 14
        );
    }
    h.push_str("</svg>\n");

    // Filters.
    h.push_str("<div id=\"filters\">\n");
    for sev in Severity::ALL {
        let _ = writeln!(
            h,
            "<label><input type=\"checkbox\" data-sev=\"{sev}\" checked> {sev}</label>"
        );
    }
    let mut kinds: Vec<&str> = findings.iter().map(|f| f.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    h.push_str("<select id=\"kind\"><option value=\"\">all kinds</option>");
    for k in kinds {
        let _ = write!(h, "<option value=\"{k}\">{k}</option>");
    }
    h.push_str("</select>\n<input id=\"q\" type=\"search\" placeholder=\"filter text\">\n</div>\n");

    if findings.is_empty() {
        h.push_str("<p id=\"none\">No findings.</p>\n");
    }
    let mut groups: BTreeMap<(u64, String), Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        groups.entry(group_key(f)).or_default().push(f);
    }
    for ((_, name), list) in &groups {
        let _ = writeln!(
            h,
            "<section class=\"group\">\n<h2>{} <small>({})</small></h2>",
            esc(name),
            list.len()
        );
        h.push_str("<table class=\"findings\">\n<thead><tr><th>Severity</th><th>ID</th><th>Kind</th><th>Package</th><th>Location</th><th>Message</th><th>Fix</th></tr></thead>\n<tbody>\n");
        for f in list {
            let package = f
                .package
                .as_ref()
                .map(|p| format!("{} {}", esc(&p.name), esc(&p.version)))
                .unwrap_or_default();
            let location = match (&f.location.path, f.location.line) {
                (Some(p), Some(l)) => format!("{}:{l}", esc(p)),
                (Some(p), None) => esc(p),
                _ => String::new(),
            };
            let fix = f
                .fix
                .as_ref()
                .map(|x| esc(&x.description))
                .unwrap_or_default();
            let links: String = f
                .references
                .iter()
                .filter(|r| safe_link(r))
                .take(3)
                .map(|r| format!("<br><a href=\"{}\">{}</a>", esc(r), esc(r)))
                .collect();
            let _ = writeln!(
                h,
                "<tr class=\"finding\" data-severity=\"{sev}\" data-kind=\"{kind}\"><td class=\"sev {sev}\">{sev}</td><td>{id}</td><td>{kind}</td><td>{package}</td><td>{location}</td><td class=\"msg\"><b>{title}</b>\n{message}{links}</td><td>{fix}</td></tr>",
                sev = f.severity,
                kind = f.kind,
                id = esc(&f.id),
                title = esc(&f.title),
                message = esc(&f.message),
            );
        }
        h.push_str("</tbody>\n</table>\n</section>\n");
    }
    let _ = writeln!(h, "<script>{SCRIPT}</script>\n</body>\n</html>");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_controls_and_bidi() {
        assert_eq!(
            esc("<a href='x'>&\"\u{0}\u{202e}\n"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;\u{fffd}\u{fffd}\n"
        );
        assert!(!safe_link("javascript:alert(1)"));
        assert!(!safe_link("https://a b"));
        assert!(safe_link("https://example.com/x"));
    }
}

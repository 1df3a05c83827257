//! The human format: findings grouped by target, each with its source line and a caret.
//!
//! Everything printed comes from scanned files or images, which an attacker may control, so all
//! free text is passed through [`clean`] before it reaches the terminal: escape sequences and
//! bidi overrides in a Dockerfile must not be able to repaint or reorder what the user sees.

use crate::common::{group_by_target, positive, source_line};
use crate::RenderOptions;
use dockguard_core::{Finding, Report, Severity};
use std::fmt::Write as _;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";

const SEVERITY_WIDTH: usize = "critical".len();

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, style: &str, s: &str) -> String {
        if self.on && !s.is_empty() {
            format!("{style}{s}{RESET}")
        } else {
            s.to_string()
        }
    }

    fn severity(&self, severity: Severity, s: &str) -> String {
        let style = match severity {
            Severity::Critical => "\x1b[1;35m",
            Severity::High => "\x1b[1;31m",
            Severity::Medium => "\x1b[33m",
            Severity::Low => "\x1b[36m",
            Severity::Info => DIM,
        };
        self.wrap(style, s)
    }
}

pub fn render(report: &Report, opts: &RenderOptions) -> String {
    let paint = Paint { on: opts.color };
    let mut out = String::new();
    let groups = group_by_target(report);
    for group in &groups {
        let _ = writeln!(out, "{}", paint.wrap(BOLD, &clean(group.name)));
        render_group(&mut out, group.name, &group.findings, opts, &paint);
        out.push('\n');
    }
    out.push_str(&paint.wrap(BOLD, &summary(report)));
    out.push('\n');
    out
}

fn position(finding: &Finding) -> String {
    match (
        positive(finding.location.line),
        positive(finding.location.column),
    ) {
        (Some(line), Some(col)) => format!("{line}:{col}"),
        (Some(line), None) => line.to_string(),
        _ => "-".to_string(),
    }
}

fn render_group(
    out: &mut String,
    heading: &str,
    findings: &[&Finding],
    opts: &RenderOptions,
    paint: &Paint,
) {
    let pos_width = findings
        .iter()
        .map(|f| position(f).len())
        .max()
        .unwrap_or(1);
    let id_width = findings
        .iter()
        .map(|f| display_width(&clean(&f.id)))
        .max()
        .unwrap_or(0);
    let gutter = findings
        .iter()
        .filter(|f| source_line(f, opts).is_some())
        .filter_map(|f| positive(f.location.line))
        .map(|l| l.to_string().len())
        .max()
        .unwrap_or(0);
    // Where the message starts, so continuation lines of multi-line messages stay aligned.
    let message_indent = 2 + pos_width + 2 + SEVERITY_WIDTH + 2 + id_width + 2;
    let detail_prefix = format!("    {:gutter$}", "");

    for finding in findings {
        let id = clean(&finding.id);
        let id_pad = id_width.saturating_sub(display_width(&id));
        let sev = finding.severity.as_str();
        let mut message_lines = finding.message.lines();
        let first = message_lines.next().unwrap_or("");
        let _ = writeln!(
            out,
            "  {}  {}{}  {}{}  {}",
            paint.wrap(DIM, &format!("{:<pos_width$}", position(finding))),
            paint.severity(finding.severity, sev),
            " ".repeat(SEVERITY_WIDTH.saturating_sub(sev.len())),
            paint.wrap(BOLD, &id),
            " ".repeat(id_pad),
            clean(first)
        );
        for line in message_lines {
            let _ = writeln!(out, "{:message_indent$}{}", "", clean(line));
        }

        if let (Some(text), Some(line)) =
            (source_line(finding, opts), positive(finding.location.line))
        {
            let (shown, marker) = underline(text, positive(finding.location.column));
            let _ = writeln!(out, "    {line:>gutter$} {} {shown}", paint.wrap(DIM, "|"));
            let _ = writeln!(
                out,
                "{detail_prefix} {} {}",
                paint.wrap(DIM, "|"),
                paint.severity(finding.severity, &marker)
            );
        }

        let eq = paint.wrap(DIM, "=");
        if let Some(package) = &finding.package {
            let mut text = format!("{} {}", package.name, package.version);
            if let Some(eco) = &package.ecosystem {
                let _ = write!(text, " ({eco})");
            }
            let _ = writeln!(out, "{detail_prefix} {eq} package: {}", clean(&text));
        }
        let loc = &finding.location;
        if loc.layer_digest.is_some() || loc.layer_index.is_some() {
            let mut text = String::new();
            if let Some(index) = loc.layer_index {
                let _ = write!(text, "#{index}");
            }
            // A layer-only finding is already listed under its digest.
            if let Some(digest) = loc.layer_digest.as_deref().filter(|d| *d != heading) {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(digest);
            }
            let _ = writeln!(out, "{detail_prefix} {eq} layer: {}", clean(&text));
        }
        if let Some(fix) = &finding.fix {
            let mut text = fix.description.clone();
            if !fix.fixed_versions.is_empty() {
                let _ = write!(text, " (fixed in {})", fix.fixed_versions.join(", "));
            }
            if !text.trim().is_empty() {
                let _ = writeln!(out, "{detail_prefix} {eq} fix: {}", clean_flat(&text));
            }
        }
    }
}

/// "12 findings: 1 high, 8 medium, 3 low" or "no findings".
fn summary(report: &Report) -> String {
    let total = report.findings.len();
    if total == 0 {
        return "no findings".to_string();
    }
    let parts: Vec<String> = report
        .counts()
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    let noun = if total == 1 { "finding" } else { "findings" };
    format!("{total} {noun}: {}", parts.join(", "))
}

/// The source line as shown, and the marker line to print under it. With a column, a single
/// caret points at it (clamped to the end of the line); without one, the line's content is
/// underlined as a whole.
fn underline(line: &str, column: Option<u32>) -> (String, String) {
    let mut shown = String::new();
    let mut widths = Vec::new();
    for c in line.chars() {
        let piece = clean_char(c);
        widths.push(display_width(&piece));
        shown.push_str(&piece);
    }
    let marker = match column {
        Some(col) => {
            let before = usize::try_from(col)
                .unwrap_or(usize::MAX)
                .saturating_sub(1)
                .min(widths.len());
            let pad: usize = widths.iter().take(before).sum();
            format!("{}^", " ".repeat(pad))
        }
        None => {
            let chars: Vec<char> = line.chars().collect();
            let start = chars.iter().position(|c| !c.is_whitespace());
            let end = chars.iter().rposition(|c| !c.is_whitespace());
            match (start, end) {
                (Some(s), Some(e)) => {
                    let pad: usize = widths.iter().take(s).sum();
                    let span: usize = widths.iter().skip(s).take(e + 1 - s).sum();
                    format!("{}{}", " ".repeat(pad), "^".repeat(span.max(1)))
                }
                _ => "^".to_string(),
            }
        }
    };
    (shown, marker)
}

/// Makes one line of untrusted text safe to print.
fn clean(s: &str) -> String {
    s.chars().map(clean_char).collect()
}

/// Like [`clean`] but for text that may span lines and is printed on one.
fn clean_flat(s: &str) -> String {
    s.split('\n').map(clean).collect::<Vec<_>>().join(" ")
}

fn clean_char(c: char) -> String {
    match c {
        '\t' => "    ".to_string(),
        // Controls (including ESC and the C1 CSI) and bidi embedding/override/isolate characters
        // are shown as escapes so the user sees they are there without the terminal acting on them.
        c if c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') => {
            let code = u32::from(c);
            if code < 0x80 {
                format!("\\x{code:02x}")
            } else {
                format!("\\u{{{code:x}}}")
            }
        }
        c => c.to_string(),
    }
}

/// Terminal columns a cleaned string takes. An approximation without a Unicode-width table:
/// combining marks take none and the common East Asian wide and emoji blocks take two, which
/// keeps carets aligned for the text Dockerfiles realistically contain.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| match u32::from(c) {
            0x0300..=0x036f | 0x200b..=0x200f | 0xfe00..=0xfe0f => 0,
            0x1100..=0x115f
            | 0x2e80..=0x303e
            | 0x3041..=0x33ff
            | 0x3400..=0x4dbf
            | 0x4e00..=0x9fff
            | 0xa000..=0xa4cf
            | 0xac00..=0xd7a3
            | 0xf900..=0xfaff
            | 0xfe30..=0xfe4f
            | 0xff00..=0xff60
            | 0xffe0..=0xffe6
            | 0x1f300..=0x1f64f
            | 0x1f900..=0x1f9ff
            | 0x20000..=0x3fffd => 2,
            _ => 1,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_points_at_the_column() {
        let (shown, marker) = underline("FROM ubuntu:latest", Some(6));
        assert_eq!(shown, "FROM ubuntu:latest");
        assert_eq!(marker, "     ^");
    }

    #[test]
    fn caret_accounts_for_tabs_and_wide_characters() {
        let (shown, marker) = underline("\tRUN 漢字 x", Some(9));
        assert_eq!(shown, "    RUN 漢字 x");
        // tab (4) + "RUN " (4) + two wide chars (4) + space (1)
        assert_eq!(marker, format!("{}^", " ".repeat(13)));
    }

    #[test]
    fn caret_is_clamped_past_the_end_of_line() {
        let (_, marker) = underline("abc", Some(99));
        assert_eq!(marker, "   ^");
        let (_, marker) = underline("", Some(u32::MAX));
        assert_eq!(marker, "^");
    }

    #[test]
    fn no_column_underlines_the_content() {
        let (_, marker) = underline("  RUN x  ", None);
        assert_eq!(marker, "  ^^^^^");
        let (_, marker) = underline("   ", None);
        assert_eq!(marker, "^");
    }

    #[test]
    fn terminal_controls_and_bidi_overrides_are_neutralised() {
        assert_eq!(clean("a\x1b[2Jb"), "a\\x1b[2Jb");
        assert_eq!(clean("\u{9b}x\u{202e}y"), "\\u{9b}x\\u{202e}y");
        assert_eq!(clean("ok ünïcode 🐳"), "ok ünïcode 🐳");
    }
}

//! Properties every format must have: any report renders, empty reports render sensibly, hostile
//! text (markup, quotes, Unicode, newlines, control characters) cannot break the document, and
//! output is deterministic.

mod common;

use common::dom::parse;
use common::{
    empty_report, hostile_options, hostile_report, odd_report, render_to_string, sample_options,
    sample_report,
};
use dockguard_core::Report;
use dockguard_report::{Format, RenderOptions};

fn all_formats() -> Vec<Format> {
    Format::ALL_IDS
        .iter()
        .map(|id| id.parse().unwrap())
        .collect()
}

/// Checks that `text` is a valid document of `format`'s kind.
fn assert_well_formed(format: Format, text: &str) {
    assert!(
        text.ends_with('\n'),
        "{format} output lacks a final newline"
    );
    match format {
        Format::Json
        | Format::Sarif
        | Format::GitlabCodequality
        | Format::GitlabContainerScanning
        | Format::Cyclonedx => {
            serde_json::from_str::<serde_json::Value>(text)
                .unwrap_or_else(|e| panic!("{format} is not JSON: {e}"));
        }
        Format::Checkstyle | Format::Junit => {
            parse(text).unwrap_or_else(|e| panic!("{format} is not well-formed XML: {e}"));
        }
        Format::Table => {}
        Format::Html => {
            assert!(text.starts_with("<!DOCTYPE html>"), "{format}");
            assert!(text.ends_with("</html>\n"));
            // Report text can never open an element: the only tags are ours.
            assert!(!text.contains("<b>c"), "unescaped markup");
            assert!(!text.contains('\u{0}') && !text.contains('\u{1b}'));
            assert!(!text.contains("href=\"javascript:"));
        }
    }
}

#[test]
fn empty_report_renders_in_every_format() {
    for format in all_formats() {
        let text = render_to_string(&empty_report(), format, &RenderOptions::default());
        assert_well_formed(format, &text);
    }
    let table = render_to_string(&empty_report(), Format::Table, &RenderOptions::default());
    assert_eq!(table, "no findings\n");
}

#[test]
fn hostile_text_cannot_break_any_format() {
    let report = hostile_report();
    for opts in [hostile_options(), RenderOptions::default()] {
        for format in all_formats() {
            let text = render_to_string(&report, format, &opts);
            assert_well_formed(format, &text);
            // These two list vulnerabilities only, and the hostile report has none.
            if !matches!(format, Format::GitlabContainerScanning | Format::Cyclonedx) {
                assert!(text.contains("漢字 🐳"), "{format} lost Unicode text");
            }
        }
    }
}

#[test]
fn json_is_exactly_the_serialised_report() {
    for (report, opts) in [
        (sample_report(), sample_options()),
        (hostile_report(), hostile_options()),
        (empty_report(), RenderOptions::default()),
    ] {
        let text = render_to_string(&report, Format::Json, &opts);
        let expected = format!("{}\n", serde_json::to_string_pretty(&report).unwrap());
        assert_eq!(text, expected);
        let back: Report = serde_json::from_str(&text).unwrap();
        assert_eq!(back, report);
    }
}

#[test]
fn table_neutralises_terminal_controls_and_keeps_layout_for_newlines() {
    let text = render_to_string(&hostile_report(), Format::Table, &hostile_options());
    assert!(
        !text.contains('\u{1b}'),
        "raw escape reached the terminal:\n{text}"
    );
    assert!(
        !text.contains('\u{202e}'),
        "bidi override reached the terminal"
    );
    assert!(!text.contains('\r'));
    assert!(text.contains("\\x1b[31m"));
    // The message's second line is its own output line, indented under the first.
    let second = text.lines().find(|l| l.trim_start() == "second").unwrap();
    assert!(second.starts_with("    "), "{second:?}");
    // The offending source line is shown, escaped, with the caret under column 3 ('U'): the
    // escaped override takes 8 cells and 'R' one.
    let source = text
        .lines()
        .position(|l| l.contains("| \\u{202e}RUN"))
        .unwrap();
    let caret = text.lines().nth(source + 1).unwrap();
    let bar = caret.find('|').unwrap();
    assert_eq!(&caret[bar..], format!("| {}^", " ".repeat(9)));
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn table_colour_only_when_asked_and_only_adds_escapes() {
    let report = sample_report();
    let plain = render_to_string(&report, Format::Table, &sample_options());
    assert!(!plain.contains('\u{1b}'));
    let mut opts = sample_options();
    opts.color = true;
    let coloured = render_to_string(&report, Format::Table, &opts);
    assert!(coloured.contains("\u{1b}["));
    assert_eq!(strip_ansi(&coloured), plain);
}

#[test]
fn table_summary_counts_per_severity() {
    let text = render_to_string(&sample_report(), Format::Table, &sample_options());
    assert_eq!(
        text.lines().last(),
        Some("9 findings: 2 critical, 2 high, 2 medium, 2 low, 1 info")
    );
    let mut one = sample_report();
    one.findings.truncate(1);
    let text = render_to_string(&one, Format::Table, &RenderOptions::default());
    assert!(
        text.ends_with(": 1 low\n") && text.contains("1 finding: "),
        "{text}"
    );
}

#[test]
fn output_does_not_depend_on_finding_order() {
    let report = sample_report();
    let mut shuffled = report.clone();
    shuffled.findings.reverse();
    for format in all_formats().into_iter().filter(|f| *f != Format::Json) {
        let a = render_to_string(&report, format, &sample_options());
        let b = render_to_string(&shuffled, format, &sample_options());
        assert_eq!(a, b, "{format} depends on input order");
        assert_eq!(a, render_to_string(&report, format, &sample_options()));
    }
}

#[test]
fn odd_locations_render_in_every_format() {
    let report = odd_report();
    for format in all_formats() {
        for opts in [RenderOptions::default(), sample_options()] {
            let text = render_to_string(&report, format, &opts);
            assert_well_formed(format, &text);
        }
    }
}

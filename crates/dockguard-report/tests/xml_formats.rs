//! Checkstyle and JUnit output parsed back: well-formed, shaped as consumers expect, and
//! carrying text through escaping unchanged.

mod common;

use common::dom::{parse, Element};
use common::{
    empty_report, hostile_options, hostile_report, render_to_string, sample_options, sample_report,
};
use dockguard_core::Report;
use dockguard_report::{Format, RenderOptions};

fn xml(report: &Report, format: Format, opts: &RenderOptions) -> Element {
    let text = render_to_string(report, format, opts);
    assert!(text.ends_with('\n'));
    parse(&text).unwrap_or_else(|e| panic!("{format} output is not well-formed: {e}\n{text}"))
}

/// Text as it survives a trip through XML: characters XML cannot carry become U+FFFD.
fn xml_safe(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => '\u{fffd}',
            c => c,
        })
        .collect()
}

fn is_count(s: Option<&str>) -> usize {
    s.expect("count attribute present")
        .parse()
        .expect("count attribute is a number")
}

#[test]
fn checkstyle_has_hadolint_shape() {
    let report = sample_report();
    let root = xml(&report, Format::Checkstyle, &sample_options());
    assert_eq!(root.name, "checkstyle");
    assert_eq!(root.attr("version"), Some("4.3"));
    let mut errors = 0;
    for file in &root.children {
        assert_eq!(file.name, "file");
        assert!(!file.attr("name").unwrap().is_empty());
        for error in &file.children {
            assert_eq!(error.name, "error");
            errors += 1;
            assert!(matches!(
                error.attr("severity"),
                Some("error" | "warning" | "info")
            ));
            assert!(error.attr("message").is_some());
            assert!(error.attr("source").is_some());
            if let Some(line) = error.attr("line") {
                assert!(line.parse::<u32>().unwrap() >= 1);
            }
            if let Some(col) = error.attr("column") {
                assert!(col.parse::<u32>().unwrap() >= 1);
                assert!(error.attr("line").is_some(), "column without line");
            }
        }
    }
    assert_eq!(errors, report.findings.len());

    let dockerfile = root
        .children_named("file")
        .find(|f| f.attr("name") == Some("Dockerfile"))
        .unwrap();
    let dl3007 = dockerfile
        .children
        .iter()
        .find(|e| e.attr("source") == Some("DL3007"))
        .unwrap();
    assert_eq!(dl3007.attr("line"), Some("1"));
    assert_eq!(dl3007.attr("column"), Some("6"));
    assert_eq!(dl3007.attr("severity"), Some("warning"));
    assert_eq!(
        dl3007.attr("message"),
        Some("Pin the base image version instead of using 'latest'")
    );
}

#[test]
fn checkstyle_round_trips_hostile_text() {
    let report = hostile_report();
    let root = xml(&report, Format::Checkstyle, &hostile_options());
    let original = &report
        .findings
        .iter()
        .find(|f| f.id.starts_with("DL"))
        .unwrap();
    let file = root
        .children_named("file")
        .find(|f| f.attr("name") == original.location.path.as_deref())
        .expect("file name survives escaping");
    let error = &file.children[0];
    assert_eq!(error.attr("source"), Some(original.id.as_str()));
    // Newlines, CR and tab come back exactly, not folded into spaces.
    assert_eq!(
        error.attr("message"),
        Some(xml_safe(&original.message).as_str())
    );
}

#[test]
fn checkstyle_for_an_empty_report_lists_the_clean_targets() {
    let root = xml(
        &empty_report(),
        Format::Checkstyle,
        &RenderOptions::default(),
    );
    let files: Vec<&Element> = root.children_named("file").collect();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].attr("name"), Some("Dockerfile"));
    assert!(files[0].children.is_empty());
}

/// Structure required by junit-10.xsd (the schema the Jenkins xUnit plugin validates against):
/// `testsuites` holds only `testsuite`; `testsuite` needs name/tests/failures/errors and holds
/// `testcase`s; `testcase` needs a name and holds `failure`s with only `type` and `message`.
fn check_junit(root: &Element) -> (usize, usize) {
    assert_eq!(root.name, "testsuites");
    let mut total_tests = 0;
    let mut total_failures = 0;
    for suite in &root.children {
        assert_eq!(suite.name, "testsuite");
        assert!(!suite.attr("name").unwrap().is_empty());
        let tests = is_count(suite.attr("tests"));
        let failures = is_count(suite.attr("failures"));
        assert_eq!(is_count(suite.attr("errors")), 0);
        if let Some(skipped) = suite.attr("skipped") {
            assert_eq!(skipped, "0");
        }
        let allowed = [
            "name",
            "tests",
            "failures",
            "errors",
            "skipped",
            "group",
            "time",
            "timestamp",
            "hostname",
            "id",
            "package",
            "file",
            "log",
            "url",
            "version",
        ];
        for key in suite.attrs.keys() {
            assert!(
                allowed.contains(&key.as_str()),
                "testsuite@{key} not in the XSD"
            );
        }
        let mut failing = 0;
        for case in &suite.children {
            assert_eq!(case.name, "testcase");
            assert!(!case.attr("name").unwrap().is_empty());
            for key in case.attrs.keys() {
                assert!(
                    ["name", "time", "classname", "group"].contains(&key.as_str()),
                    "testcase@{key} not in the XSD"
                );
            }
            for failure in &case.children {
                assert_eq!(failure.name, "failure");
                assert!(failure.attr("message").is_some());
                assert!(failure.attr("type").is_some());
                for key in failure.attrs.keys() {
                    assert!(["type", "message"].contains(&key.as_str()));
                }
            }
            if !case.children.is_empty() {
                failing += 1;
            }
        }
        assert_eq!(
            tests,
            suite.children.len(),
            "tests count of {:?}",
            suite.attr("name")
        );
        assert_eq!(failures, failing);
        total_tests += tests;
        total_failures += failures;
    }
    assert_eq!(is_count(root.attr("tests")), total_tests);
    assert_eq!(is_count(root.attr("failures")), total_failures);
    assert_eq!(is_count(root.attr("errors")), 0);
    (total_tests, total_failures)
}

#[test]
fn junit_matches_the_xsd_structure() {
    let report = sample_report();
    let root = xml(&report, Format::Junit, &sample_options());
    let (tests, failures) = check_junit(&root);
    assert_eq!(tests, report.findings.len());
    assert_eq!(failures, report.findings.len());

    let names: Vec<&str> = root
        .children
        .iter()
        .map(|s| s.attr("name").unwrap())
        .collect();
    assert!(names.contains(&"Dockerfile"));
    assert!(names.contains(&"/root/.docker/config.json"));
    assert!(
        names.contains(&"sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1")
    );

    let dockerfile = root
        .children
        .iter()
        .find(|s| s.attr("name") == Some("Dockerfile"))
        .unwrap();
    let case = dockerfile
        .children
        .iter()
        .find(|c| c.attr("name") == Some("DL3007 at Dockerfile:1:6"))
        .unwrap();
    assert_eq!(case.attr("classname"), Some("Dockerfile"));
    let failure = &case.children[0];
    assert_eq!(failure.attr("type"), Some("DL3007"));
    assert!(failure.text.contains("Using latest is prone to errors"));
    assert!(failure.text.contains("at Dockerfile:1:6"));
}

#[test]
fn junit_repeats_of_a_rule_at_one_place_share_a_testcase() {
    let mut report = sample_report();
    let mut again = report.findings[0].clone();
    again.message = "a second message".into();
    report.findings.push(again);
    let root = xml(&report, Format::Junit, &sample_options());
    let (tests, failures) = check_junit(&root);
    assert_eq!(tests, report.findings.len() - 1);
    assert_eq!(failures, tests);
}

#[test]
fn junit_for_an_empty_report_has_a_passing_testcase() {
    let root = xml(&empty_report(), Format::Junit, &RenderOptions::default());
    let (tests, failures) = check_junit(&root);
    assert_eq!((tests, failures), (1, 0));
    assert_eq!(root.children[0].attr("name"), Some("Dockerfile"));

    let mut no_targets = empty_report();
    no_targets.targets.clear();
    let root = xml(&no_targets, Format::Junit, &RenderOptions::default());
    assert_eq!(check_junit(&root), (1, 0));
}

#[test]
fn junit_round_trips_hostile_text() {
    let report = hostile_report();
    let root = xml(&report, Format::Junit, &hostile_options());
    check_junit(&root);
    let original = report
        .findings
        .iter()
        .find(|f| f.id.starts_with("DL"))
        .unwrap();
    let failure = root
        .children
        .iter()
        .flat_map(|s| &s.children)
        .flat_map(|c| &c.children)
        .find(|f| f.attr("type") == Some(original.id.as_str()))
        .expect("failure with the hostile rule id");
    assert_eq!(
        failure.attr("message"),
        Some(xml_safe(&original.message).as_str())
    );
    assert!(failure.text.contains(&xml_safe(&original.title)));
}

#[test]
fn the_well_formedness_check_rejects_broken_xml() {
    let decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    assert!(parse(&format!("{decl}<a><b/></a>\n")).is_ok());
    assert!(parse("<a/>").is_err(), "missing declaration");
    assert!(
        parse(&format!("{decl}<a><b></a>")).is_err(),
        "mismatched end tag"
    );
    assert!(
        parse(&format!("{decl}<a x=\"1\" x=\"2\"/>")).is_err(),
        "duplicate attribute"
    );
    assert!(
        parse(&format!("{decl}<a>&bogus;</a>")).is_err(),
        "unknown entity"
    );
    assert!(
        parse(&format!("{decl}<a>\u{1b}</a>")).is_err(),
        "forbidden character"
    );
    assert!(
        parse(&format!("{decl}<a>&#0;</a>")).is_err(),
        "forbidden reference"
    );
    assert!(parse(&format!("{decl}<a/><b/>")).is_err(), "two roots");
    assert!(parse(&format!("{decl}<a>")).is_err(), "unclosed");
}

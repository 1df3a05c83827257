//! JUnit XML for CI systems that only understand test reports: each target is a test suite and
//! each rule violated at a location is a failing test case.

use crate::common::{describe, group_by_target, positive};
use crate::xml;
use dockguard_core::{Finding, Report};
use std::collections::HashMap;
use std::fmt::Write as _;

/// Name of the passing test case written when nothing was found, so the CI widget shows the scan
/// ran instead of showing nothing at all.
const CLEAN_CASE: &str = "no findings";

struct Case<'a> {
    name: String,
    failures: Vec<&'a Finding>,
}

struct Suite<'a> {
    name: &'a str,
    cases: Vec<Case<'a>>,
}

pub fn render(report: &Report) -> String {
    let suites = suites(report);
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failures = failing(&suites);

    let mut out = String::from(xml::DECLARATION);
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">",
        xml::attr(&report.tool.name)
    );
    for suite in &suites {
        let suite_failures = failing(std::slice::from_ref(suite));
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{suite_failures}\" errors=\"0\" skipped=\"0\">",
            xml::attr(suite.name),
            suite.cases.len()
        );
        for case in &suite.cases {
            let open = format!(
                "    <testcase name=\"{}\" classname=\"{}\"",
                xml::attr(&case.name),
                xml::attr(suite.name)
            );
            if case.failures.is_empty() {
                let _ = writeln!(out, "{open}/>");
                continue;
            }
            let _ = writeln!(out, "{open}>");
            for f in &case.failures {
                let _ = writeln!(
                    out,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    xml::attr(describe(f)),
                    xml::attr(&f.id),
                    xml::text(&failure_body(f, suite.name))
                );
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn failing(suites: &[Suite<'_>]) -> usize {
    suites
        .iter()
        .flat_map(|s| &s.cases)
        .filter(|c| !c.failures.is_empty())
        .count()
}

fn suites(report: &Report) -> Vec<Suite<'_>> {
    let groups = group_by_target(report);
    if groups.is_empty() {
        let clean = |name| Suite {
            name,
            cases: vec![Case {
                name: CLEAN_CASE.to_string(),
                failures: Vec::new(),
            }],
        };
        if report.targets.is_empty() {
            return vec![clean(report.tool.name.as_str())];
        }
        return report.targets.iter().map(|t| clean(t.as_str())).collect();
    }
    groups
        .into_iter()
        .map(|group| {
            let mut cases: Vec<Case<'_>> = Vec::new();
            let mut index: HashMap<String, usize> = HashMap::new();
            for f in group.findings {
                let name = case_name(f, group.name);
                match index.get(&name).and_then(|&i| cases.get_mut(i)) {
                    Some(case) => case.failures.push(f),
                    None => {
                        index.insert(name.clone(), cases.len());
                        cases.push(Case {
                            name,
                            failures: vec![f],
                        });
                    }
                }
            }
            Suite {
                name: group.name,
                cases,
            }
        })
        .collect()
}

fn position(f: &Finding) -> Option<String> {
    let line = positive(f.location.line)?;
    Some(match positive(f.location.column) {
        Some(col) => format!("{line}:{col}"),
        None => line.to_string(),
    })
}

fn case_name(f: &Finding, target: &str) -> String {
    let mut name = f.id.clone();
    if let Some(package) = &f.package {
        let _ = write!(name, " ({} {})", package.name, package.version);
    }
    match position(f) {
        Some(pos) => {
            let _ = write!(name, " at {target}:{pos}");
        }
        None => {
            let _ = write!(name, " in {target}");
        }
    }
    name
}

fn failure_body(f: &Finding, target: &str) -> String {
    let mut body = format!("{}: {}\n{}\n", f.severity, f.title, f.message);
    match position(f) {
        Some(pos) => {
            let _ = writeln!(body, "at {target}:{pos}");
        }
        None => {
            let _ = writeln!(body, "in {target}");
        }
    }
    if let Some(digest) = &f.location.layer_digest {
        let _ = writeln!(body, "layer: {digest}");
    }
    if let Some(fix) = &f.fix {
        let _ = writeln!(body, "fix: {}", fix.description);
        if !fix.fixed_versions.is_empty() {
            let _ = writeln!(body, "fixed in: {}", fix.fixed_versions.join(", "));
        }
    }
    for reference in &f.references {
        let _ = writeln!(body, "see: {reference}");
    }
    body
}

//! Ignore pragmas in comments: `# hadolint ignore=DL3008,DL3015` (the next line),
//! `# hadolint global ignore=DL3059` (the whole file), and the same with `dockguard`.

use super::catalog::rule_info;
use super::config::LintConfig;
use crate::ast::Dockerfile;
use dockguard_core::{Finding, FindingKind, Location, Severity};
use std::collections::{BTreeMap, BTreeSet};

pub(crate) struct Pragmas {
    /// Line of the instruction → codes ignored there.
    by_line: BTreeMap<u32, BTreeSet<String>>,
    global: BTreeSet<String>,
    /// Codes named in pragmas that no rule has, with the pragma's line.
    unknown: Vec<(u32, String)>,
}

impl Pragmas {
    pub(crate) fn collect(df: &Dockerfile, config: &LintConfig) -> Pragmas {
        let mut pragmas = Pragmas {
            by_line: BTreeMap::new(),
            global: BTreeSet::new(),
            unknown: Vec::new(),
        };
        for comment in &df.comments {
            let Some((global, codes)) = parse_pragma(&comment.text) else {
                continue;
            };
            for code in &codes {
                let looks_ours = code.starts_with("DL") || code.starts_with("DG");
                if looks_ours && rule_info(code).is_none() {
                    pragmas.unknown.push((comment.line, code.clone()));
                }
            }
            if global {
                pragmas.global.extend(codes);
            } else if !config.disable_ignore_pragma {
                pragmas
                    .by_line
                    .entry(comment.line + 1)
                    .or_default()
                    .extend(codes);
            }
        }
        pragmas
    }

    pub(crate) fn suppresses(&self, code: &str, line: u32) -> bool {
        self.global.contains(code)
            || self
                .by_line
                .get(&line)
                .is_some_and(|codes| codes.contains(code))
    }

    pub(crate) fn unknown_codes(&self, path: &str) -> Vec<Finding> {
        self.unknown
            .iter()
            .map(|(line, code)| {
                Finding::new(
                    "DG0003",
                    FindingKind::Lint,
                    Severity::Medium,
                    "Unknown rule code in an ignore pragma",
                    format!("ignore pragma names {code}, which is not a rule; it ignores nothing"),
                    Location::at(path, *line, 1),
                )
            })
            .collect()
    }
}

/// `hadolint ignore=A,B`, `hadolint global ignore=A`, `dockguard ignore=A` → (global, codes).
pub(crate) fn parse_pragma(text: &str) -> Option<(bool, Vec<String>)> {
    let rest = text
        .strip_prefix("hadolint")
        .or_else(|| text.strip_prefix("dockguard"))?
        .trim_start();
    let (global, rest) = match rest.strip_prefix("global") {
        Some(r) => (true, r.trim_start()),
        None => (false, rest),
    };
    let list = rest
        .strip_prefix("ignore")?
        .trim_start()
        .strip_prefix('=')?;
    let codes: Vec<String> = list
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    if codes.is_empty() {
        None
    } else {
        Some((global, codes))
    }
}

/// True when the comment is an inline (non-global) ignore pragma (for DL1001).
pub(crate) fn is_inline_ignore(text: &str) -> bool {
    matches!(parse_pragma(text), Some((false, _)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pragmas() {
        assert_eq!(
            parse_pragma("hadolint ignore=DL3008,DL3015"),
            Some((false, vec!["DL3008".into(), "DL3015".into()]))
        );
        assert_eq!(
            parse_pragma("hadolint global ignore=DL3059"),
            Some((true, vec!["DL3059".into()]))
        );
        assert_eq!(
            parse_pragma("dockguard ignore=DG1001"),
            Some((false, vec!["DG1001".into()]))
        );
        assert_eq!(parse_pragma("just a comment"), None);
        assert!(is_inline_ignore("hadolint ignore=DL3008"));
    }
}

//! The Dockerfile linter: hadolint's DL rules under their own codes, plus dockguard's security
//! rules (`DG…`).
//!
//! Rules are plain functions over a [`Context`] that push [`Hit`]s. After all rules ran, hits
//! pass through the filters users control — `# hadolint ignore=` / `# dockguard ignore=` pragmas,
//! the `ignored` list, severity overrides — and become [`Finding`]s.

mod catalog;
mod catalog_dg;
mod config;
mod context;
mod pragma;
mod rules;

pub use catalog::{all_rules, rule_info, RuleInfo, DG_RULES, DL_RULES};
pub use config::{ConfigError, LabelType, LintConfig};
pub use context::{Context, RunShell};

use crate::ast::Dockerfile;
use crate::parser::{parse_bytes, ParseError};
use dockguard_core::{Finding, FindingKind, Location, Severity};

/// One rule violation before filtering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub code: &'static str,
    pub line: u32,
    pub column: u32,
    /// Overrides the rule's default message when set.
    pub message: Option<String>,
}

/// Where rules put their hits.
#[derive(Debug, Default)]
pub struct Hits {
    hits: Vec<Hit>,
}

impl Hits {
    /// A hit at the start of an instruction (the line hadolint reports).
    pub fn add(&mut self, code: &'static str, instruction: &crate::Instruction) {
        self.hits.push(Hit {
            code,
            line: instruction.start_line,
            column: instruction.column,
            message: None,
        });
    }

    /// A hit at an instruction, with a message specific to this instance.
    pub fn add_msg(
        &mut self,
        code: &'static str,
        instruction: &crate::Instruction,
        message: impl Into<String>,
    ) {
        self.hits.push(Hit {
            code,
            line: instruction.start_line,
            column: instruction.column,
            message: Some(message.into()),
        });
    }

    /// A hit at an exact position.
    pub fn add_at(&mut self, code: &'static str, line: u32, column: u32, message: Option<String>) {
        self.hits.push(Hit {
            code,
            line,
            column,
            message,
        });
    }

    pub fn into_vec(self) -> Vec<Hit> {
        self.hits
    }
}

/// Lints raw bytes read from `path`. A file that cannot be parsed is an input error.
pub fn lint_bytes(
    path: &str,
    bytes: &[u8],
    config: &LintConfig,
) -> Result<Vec<Finding>, ParseError> {
    let df = parse_bytes(bytes)?;
    Ok(lint(path, &df, config))
}

/// Lints a parsed Dockerfile.
pub fn lint(path: &str, df: &Dockerfile, config: &LintConfig) -> Vec<Finding> {
    let cx = Context::new(df, config);
    let mut hits = Hits::default();
    for group in rules::ALL {
        for rule in *group {
            rule(&cx, &mut hits);
        }
    }
    let pragmas = pragma::Pragmas::collect(df, config);
    let mut findings: Vec<Finding> = hits
        .into_vec()
        .into_iter()
        .filter(|hit| !config.is_ignored(hit.code) && !pragmas.suppresses(hit.code, hit.line))
        .filter_map(|hit| finding_of(path, hit, config))
        .collect();
    findings.extend(pragmas.unknown_codes(path));
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup();
    findings
}

fn finding_of(path: &str, hit: Hit, config: &LintConfig) -> Option<Finding> {
    let info = rule_info(hit.code)?;
    let severity = config.severity_for(info)?;
    let mut finding = Finding::new(
        info.code,
        FindingKind::Lint,
        severity,
        info.title,
        hit.message.unwrap_or_else(|| info.title.to_string()),
        Location::at(path, hit.line, hit.column),
    );
    finding.references.push(info.url());
    if let Some(fix) = info.fix {
        finding = finding.with_fix(fix);
    }
    Some(finding)
}

/// The severity a finding of this rule gets by default (hadolint's level, mapped).
pub fn default_severity(code: &str) -> Option<Severity> {
    rule_info(code).and_then(|r| r.default_severity)
}

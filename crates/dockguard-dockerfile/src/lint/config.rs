//! Lint configuration: hadolint's `.hadolint.yaml` and the `[lint]` table of `dockguard.toml`.
//!
//! Both files map onto one [`LintConfig`]; command-line flags are applied on top by the CLI.
//! Unknown keys are ignored (hadolint does the same), but wrong types and unknown severities
//! are errors naming the file, so a typo never silently disables a gate.

use super::catalog::RuleInfo;
use dockguard_core::Severity;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The value type a label must have under a `label-schema`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelType {
    Text,
    Url,
    Email,
    Rfc3339,
    Semver,
    Hash,
    Spdx,
}

/// Everything that changes what the linter reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintConfig {
    /// Rule codes never reported.
    pub ignored: BTreeSet<String>,
    /// Severity per rule code; `None` turns the rule off, `Some` turns it on at that level.
    pub overrides: BTreeMap<String, Option<Severity>>,
    /// Registries FROM may use (DL3026). Empty means any.
    pub trusted_registries: Vec<String>,
    /// Findings at or above this fail the run.
    pub failure_threshold: Severity,
    /// Required labels and their types (DL3049–DL3058).
    pub label_schema: BTreeMap<String, LabelType>,
    /// Labels outside the schema are reported (DL3050).
    pub strict_labels: bool,
    /// Inline `# hadolint ignore=` pragmas are not honoured.
    pub disable_ignore_pragma: bool,
    /// Exit 0 whatever is found.
    pub no_fail: bool,
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            ignored: BTreeSet::new(),
            overrides: BTreeMap::new(),
            trusted_registries: Vec::new(),
            failure_threshold: Severity::Low,
            label_schema: BTreeMap::new(),
            strict_labels: false,
            disable_ignore_pragma: false,
            no_fail: false,
        }
    }
}

/// A configuration file that could not be used.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ConfigError {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
struct HadolintFile {
    ignored: Vec<String>,
    #[serde(rename = "override")]
    overrides: HadolintOverrides,
    #[serde(alias = "trustedRegistries")]
    trusted_registries: Vec<String>,
    failure_threshold: Option<String>,
    label_schema: BTreeMap<String, LabelType>,
    strict_labels: bool,
    disable_ignore_pragma: bool,
    no_fail: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct HadolintOverrides {
    error: Vec<String>,
    warning: Vec<String>,
    info: Vec<String>,
    style: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DockguardFile {
    lint: DockguardLint,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
struct DockguardLint {
    ignored: Vec<String>,
    #[serde(rename = "override")]
    overrides: BTreeMap<String, String>,
    trusted_registries: Vec<String>,
    failure_threshold: Option<String>,
    label_schema: BTreeMap<String, LabelType>,
    strict_labels: bool,
    disable_ignore_pragma: bool,
    no_fail: bool,
}

impl LintConfig {
    /// Reads `.hadolint.yaml`/`.yml` or `dockguard.toml` (chosen by extension) on top of `self`.
    pub fn merge_file(&mut self, path: &Path) -> Result<(), ConfigError> {
        let shown = path.display().to_string();
        let fail = |message: String| ConfigError {
            path: shown.clone(),
            message,
        };
        let meta = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?;
        if meta.len() > 4 * 1024 * 1024 {
            return Err(fail("configuration file larger than 4 MiB".to_string()));
        }
        let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
        if path.extension().is_some_and(|e| e == "toml") {
            let file: DockguardFile = toml::from_str(&text).map_err(|e| fail(e.to_string()))?;
            self.merge_dockguard(file.lint).map_err(fail)
        } else {
            let file: HadolintFile = if text.trim().is_empty() {
                HadolintFile::default()
            } else {
                serde_saphyr::from_str(&text).map_err(|e| fail(e.to_string()))?
            };
            self.merge_hadolint(file).map_err(fail)
        }
    }

    fn merge_hadolint(&mut self, file: HadolintFile) -> Result<(), String> {
        self.ignored.extend(file.ignored);
        for (level, codes) in [
            ("error", file.overrides.error),
            ("warning", file.overrides.warning),
            ("info", file.overrides.info),
            ("style", file.overrides.style),
        ] {
            let severity = hadolint_level(level)?;
            for code in codes {
                self.overrides.insert(code, Some(severity));
            }
        }
        self.trusted_registries.extend(file.trusted_registries);
        if let Some(t) = file.failure_threshold {
            self.failure_threshold = if t.eq_ignore_ascii_case("none") {
                Severity::Critical
            } else {
                hadolint_level(&t)?
            };
        }
        self.label_schema.extend(file.label_schema);
        self.strict_labels |= file.strict_labels;
        self.disable_ignore_pragma |= file.disable_ignore_pragma;
        self.no_fail |= file.no_fail;
        Ok(())
    }

    fn merge_dockguard(&mut self, lint: DockguardLint) -> Result<(), String> {
        self.ignored.extend(lint.ignored);
        for (code, level) in lint.overrides {
            let severity = if matches!(level.as_str(), "off" | "ignore") {
                None
            } else {
                Some(
                    level
                        .parse()
                        .map_err(|e| format!("override of {code}: {e}"))?,
                )
            };
            self.overrides.insert(code, severity);
        }
        self.trusted_registries.extend(lint.trusted_registries);
        if let Some(t) = lint.failure_threshold {
            self.failure_threshold = parse_threshold(&t)?;
        }
        self.label_schema.extend(lint.label_schema);
        self.strict_labels |= lint.strict_labels;
        self.disable_ignore_pragma |= lint.disable_ignore_pragma;
        self.no_fail |= lint.no_fail;
        Ok(())
    }

    pub fn is_ignored(&self, code: &str) -> bool {
        self.ignored.contains(code)
    }

    /// The severity a rule reports at, or `None` when it is off.
    pub fn severity_for(&self, rule: &RuleInfo) -> Option<Severity> {
        match self.overrides.get(rule.code) {
            Some(choice) => *choice,
            None => rule.default_severity,
        }
    }

    /// Whether a rule is enabled at all (rules skip expensive work when it is not).
    pub fn enabled(&self, rule: &RuleInfo) -> bool {
        !self.is_ignored(rule.code) && self.severity_for(rule).is_some()
    }
}

/// hadolint's level names in `.hadolint.yaml`. They overlap ours (`info`), so hadolint files
/// are read with hadolint's meaning: its `info` is our `low`, its `style` our `info`.
fn hadolint_level(name: &str) -> Result<Severity, String> {
    match name.trim().to_ascii_lowercase().as_str() {
        "error" => Ok(Severity::High),
        "warning" => Ok(Severity::Medium),
        "info" => Ok(Severity::Low),
        "style" => Ok(Severity::Info),
        other => Err(format!(
            "unknown level '{other}' (hadolint levels are error, warning, info, style, none)"
        )),
    }
}

/// hadolint's `none` threshold means "never fail".
fn parse_threshold(text: &str) -> Result<Severity, String> {
    if text.eq_ignore_ascii_case("none") {
        return Ok(Severity::Critical);
    }
    text.parse::<Severity>().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hadolint_yaml() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".hadolint.yaml");
        std::fs::write(
            &path,
            "ignored: [DL3008]\noverride:\n  error: [DL3015]\ntrustedRegistries:\n  - docker.io\n\
             failure-threshold: info\nlabel-schema:\n  maintainer: email\nstrict-labels: true\n",
        )
        .unwrap();
        let mut config = LintConfig::default();
        config.merge_file(&path).unwrap();
        assert!(config.is_ignored("DL3008"));
        assert_eq!(config.overrides["DL3015"], Some(Severity::High));
        assert_eq!(config.trusted_registries, vec!["docker.io"]);
        assert_eq!(
            config.failure_threshold,
            Severity::Low,
            "hadolint's info is our low"
        );
        assert_eq!(config.label_schema["maintainer"], LabelType::Email);
        assert!(config.strict_labels);
    }

    #[test]
    fn reads_dockguard_toml_and_rejects_bad_levels() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dockguard.toml");
        std::fs::write(
            &path,
            "[lint]\nignored = [\"DL3059\"]\n[lint.override]\nDL3057 = \"low\"\nDL3008 = \"off\"\n",
        )
        .unwrap();
        let mut config = LintConfig::default();
        config.merge_file(&path).unwrap();
        assert!(config.is_ignored("DL3059"));
        assert_eq!(config.overrides["DL3057"], Some(Severity::Low));
        assert_eq!(config.overrides["DL3008"], None);
        std::fs::write(&path, "[lint.override]\nDL3057 = \"loud\"\n").unwrap();
        let err = LintConfig::default().merge_file(&path).unwrap_err();
        assert!(err.to_string().contains("loud"), "{err}");
    }
}

//! Secret scanning for dockguard: credentials, tokens and private keys in image layers, the
//! image config and history, and plain directories.
//!
//! This crate owns the rule set (our own patterns, covering the provider families of the
//! common scanners), the matching engine (keyword automata as a prefilter, then per-rule
//! regexes on the lines where a keyword occurs), redaction, custom and allow rules from
//! `dockguard.toml`, and the [`dockguard_image::FileAnalyzer`] that lets secret scanning share
//! the image's single pass over its layers with the catalogers.
//!
//! ```no_run
//! use dockguard_secrets::{scan_image, SecretOptions};
//! let image = dockguard_image::open("oci-dir:images/app:1.0", &Default::default())?;
//! for f in scan_image(&image, &SecretOptions::default())? {
//!     println!("{} {:?} {}", f.id, f.location.path, f.message);
//! }
//! # Ok::<(), dockguard_secrets::Error>(())
//! ```
//!
//! Every version of every file is scanned, so a key that a later layer deletes or overwrites
//! is still reported, with the layer it can be extracted from. Secret values never leave this
//! crate unredacted unless [`SecretOptions::show_secrets`] is set. Analyzer outputs, which the
//! layer cache stores on disk, hold only what may be shown; [`scan_image`] therefore does not
//! use the cache when `show_secrets` is set, and callers sharing a scan should do the same.

mod engine;
mod image;
mod prefilter;
mod rules;

pub use engine::Scanner;
pub use image::{findings_from_scan, scan_dir, scan_image, SecretAnalyzer, ANALYZER_NAME};

use dockguard_core::Severity;
use globset::GlobSet;
use regex::bytes::Regex;
use serde::Deserialize;
use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

/// Default cap on how much of one file is scanned.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Why a scan or a configuration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {message}")]
    Config { path: String, message: String },
    #[error("secret rule '{id}': {message}")]
    Rule { id: String, message: String },
    #[error(transparent)]
    Image(#[from] dockguard_image::Error),
}

/// How to scan.
#[derive(Debug, Clone)]
pub struct SecretOptions {
    /// Put secret values in findings as they are instead of redacted.
    pub show_secrets: bool,
    /// Only the first this-many bytes of a file are scanned.
    pub max_file_size: u64,
    /// Extra rules from the configuration.
    pub rules: Vec<CustomRule>,
    /// Matches these describe are dropped.
    pub allow: Vec<AllowRule>,
    /// Built-in rule ids not to run.
    pub disabled_rules: Vec<String>,
    /// How [`scan_image`] reads layers (limits, cache). The cache is not used when
    /// `show_secrets` is set, so that unredacted values are never written to disk.
    pub scan: dockguard_image::ScanOptions,
}

impl Default for SecretOptions {
    fn default() -> Self {
        SecretOptions {
            show_secrets: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            rules: Vec::new(),
            allow: Vec::new(),
            disabled_rules: Vec::new(),
            scan: dockguard_image::ScanOptions::default(),
        }
    }
}

/// A rule from the configuration: a regex with keywords that every match contains.
#[derive(Debug, Clone)]
pub struct CustomRule {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub(crate) regex: Regex,
    /// ASCII-case-insensitive literals; without any, the regex runs over whole files (slow).
    pub keywords: Vec<String>,
    pub(crate) paths: Option<GlobSet>,
    /// Capture group holding the secret (0 = the whole match).
    pub secret_group: usize,
}

impl CustomRule {
    /// Validates and compiles a rule; errors name the rule.
    pub fn new(
        id: &str,
        title: &str,
        severity: Severity,
        regex: &str,
        keywords: Vec<String>,
        paths: &[String],
        secret_group: usize,
    ) -> Result<CustomRule, Error> {
        let fail = |message: String| Error::Rule {
            id: id.to_string(),
            message,
        };
        if id.is_empty() {
            return Err(fail("empty id".into()));
        }
        let regex = regex::bytes::RegexBuilder::new(regex)
            .size_limit(8 << 20)
            .build()
            .map_err(|e| fail(format!("invalid regex: {e}")))?;
        if secret_group >= regex.captures_len() {
            return Err(fail(format!(
                "secret-group {secret_group} but the regex has {} groups",
                regex.captures_len() - 1
            )));
        }
        if keywords.iter().any(|k| k.is_empty()) {
            return Err(fail("empty keyword".into()));
        }
        let paths = engine::globset(paths).map_err(|e| fail(format!("invalid path glob: {e}")))?;
        Ok(CustomRule {
            id: id.to_string(),
            title: if title.is_empty() { id } else { title }.to_string(),
            severity,
            regex,
            keywords,
            paths,
            secret_group,
        })
    }
}

/// Drops matches it describes: every condition given must hold (rule ids, path globs, a regex
/// over the secret value).
#[derive(Debug, Clone)]
pub struct AllowRule {
    pub id: String,
    pub description: String,
    pub rules: Vec<String>,
    path_patterns: Vec<String>,
    paths: Option<GlobSet>,
    regex: Option<Regex>,
}

impl AllowRule {
    pub fn new(
        id: &str,
        description: &str,
        rules: Vec<String>,
        paths: &[String],
        regex: Option<&str>,
    ) -> Result<AllowRule, Error> {
        let fail = |message: String| Error::Rule {
            id: id.to_string(),
            message,
        };
        let regex = match regex {
            Some(r) => Some(
                regex::bytes::RegexBuilder::new(r)
                    .size_limit(8 << 20)
                    .build()
                    .map_err(|e| fail(format!("invalid regex: {e}")))?,
            ),
            None => None,
        };
        let paths_src = paths;
        let paths = engine::globset(paths).map_err(|e| fail(format!("invalid path glob: {e}")))?;
        if rules.is_empty() && paths.is_none() && regex.is_none() {
            return Err(fail(
                "an allow rule needs at least one of rules, paths, regex".into(),
            ));
        }
        Ok(AllowRule {
            id: id.to_string(),
            description: description.to_string(),
            rules,
            path_patterns: paths_src.to_vec(),
            paths,
            regex,
        })
    }

    pub(crate) fn paths_source(&self) -> &[String] {
        &self.path_patterns
    }

    pub(crate) fn regex_source(&self) -> Option<&str> {
        self.regex.as_ref().map(|r| r.as_str())
    }

    pub(crate) fn allows(&self, _path: &str, rel: &str, m: &SecretMatch) -> bool {
        (self.rules.is_empty() || self.rules.contains(&m.rule_id))
            && self.paths.as_ref().is_none_or(|p| p.is_match(rel))
            && self
                .regex
                .as_ref()
                .is_none_or(|r| r.is_match(m.secret.as_bytes()))
    }
}

/// One secret found in one byte string.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretMatch {
    pub rule_id: String,
    pub title: String,
    pub severity: Severity,
    /// 1-based line and column of the secret (of `-----BEGIN` for keys).
    pub line: u32,
    pub column: u32,
    /// Byte offset of the secret value.
    pub offset: usize,
    /// The secret value as found. Use [`SecretMatch::shown`] or [`redact`] for output.
    pub secret: String,
    /// Extra context: the key type of a private key, or why the severity was lowered.
    pub detail: Option<String>,
    /// A vendor's published example (e.g. AWS's `AKIAIOSFODNN7EXAMPLE`): reported at low
    /// severity.
    pub documentation_example: bool,
}

impl SecretMatch {
    pub fn redacted(&self) -> String {
        redact(&self.secret)
    }

    /// The value as it may be printed: redacted unless `show_secrets`.
    pub fn shown(&self, show_secrets: bool) -> String {
        if show_secrets {
            self.secret.clone()
        } else {
            self.redacted()
        }
    }
}

/// Redacted on purpose: a `{:?}` in a log line must not leak the value.
impl fmt::Debug for SecretMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretMatch")
            .field("rule_id", &self.rule_id)
            .field("severity", &self.severity)
            .field("line", &self.line)
            .field("column", &self.column)
            .field("secret", &self.redacted())
            .field("detail", &self.detail)
            .finish_non_exhaustive()
    }
}

/// Keeps the first and last characters and masks the rest with a fixed-width run, so neither
/// the value nor its length is shown. Short values are masked completely.
pub fn redact(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let keep = match chars.len() {
        0..=7 => 0,
        8..=15 => 1,
        _ => 2,
    };
    let mut out: String = chars[..keep].iter().collect();
    out.push_str("****");
    out.extend(&chars[chars.len() - keep..]);
    out
}

/// Scans one byte string that came from `path`. Options without custom rules share one
/// compiled rule set; otherwise the rules are compiled for this call (use [`Scanner`] to
/// compile once).
pub fn scan_bytes(path: &str, bytes: &[u8], opts: &SecretOptions) -> Vec<SecretMatch> {
    static DEFAULT: OnceLock<Scanner> = OnceLock::new();
    if opts.rules.is_empty() && opts.allow.is_empty() && opts.disabled_rules.is_empty() {
        DEFAULT
            .get_or_init(|| Scanner::new(&SecretOptions::default()))
            .scan_bytes(path, bytes)
    } else {
        Scanner::new(opts).scan_bytes(path, bytes)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ConfigFile {
    secrets: SecretsTable,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
struct SecretsTable {
    max_file_size: Option<u64>,
    disable: Vec<String>,
    rules: Vec<RuleTable>,
    allow: Vec<AllowTable>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RuleTable {
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default = "default_severity")]
    severity: String,
    regex: String,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
    secret_group: Option<usize>,
}

fn default_severity() -> String {
    "high".into()
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct AllowTable {
    id: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
    regex: Option<String>,
}

impl SecretOptions {
    /// Adds the `[secrets]` table of a `dockguard.toml` (custom rules, allow rules, disabled
    /// rules, size cap). Other tables are ignored; unknown keys in `[secrets]` are errors.
    pub fn merge_config_file(&mut self, path: &Path) -> Result<(), Error> {
        let shown = path.display().to_string();
        let fail = |message: String| Error::Config {
            path: shown.clone(),
            message,
        };
        let meta = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?;
        if meta.len() > 4 * 1024 * 1024 {
            return Err(fail("configuration file larger than 4 MiB".into()));
        }
        let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
        self.merge_config_str(&text).map_err(|e| match e {
            Error::Config { message, .. } => fail(message),
            other => fail(other.to_string()),
        })
    }

    /// As [`SecretOptions::merge_config_file`], from TOML text.
    pub fn merge_config_str(&mut self, text: &str) -> Result<(), Error> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| Error::Config {
            path: "<config>".into(),
            message: e.to_string(),
        })?;
        let t = file.secrets;
        if let Some(m) = t.max_file_size {
            self.max_file_size = m;
        }
        self.disabled_rules.extend(t.disable);
        for r in t.rules {
            let severity: Severity = r.severity.parse().map_err(|e| Error::Rule {
                id: r.id.clone(),
                message: format!("{e}"),
            })?;
            let group = r.secret_group.unwrap_or(0);
            self.rules.push(CustomRule::new(
                &r.id, &r.title, severity, &r.regex, r.keywords, &r.paths, group,
            )?);
        }
        for a in t.allow {
            self.allow.push(AllowRule::new(
                &a.id,
                &a.description,
                a.rules,
                &a.paths,
                a.regex.as_deref(),
            )?);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;

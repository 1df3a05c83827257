//! What happens to findings after the scanners: ignore files (`.dockguardignore`,
//! `.trivyignore`, `.trivyignore.yaml`), VEX documents (OpenVEX, CycloneDX VEX) and the
//! PASS / WARN / FAIL gate of a `[policy]` table, and (with the `rego` feature) Rego
//! policies, conftest-style `deny` / `warn` rules evaluated over the JSON report.
//!
//! This crate owns those decisions and nothing else: it never reads images or renders
//! reports. Input files are size-bounded and every error names the file and the entry.

use dockguard_core::Finding;
use serde::{Deserialize, Serialize};
use std::path::Path;

mod date;
mod gate;
mod ignore;
mod license;
mod purl;
#[cfg(feature = "rego")]
mod rego;
mod report;
mod vex;

pub use date::{utc_timestamp, Date};
pub use gate::{
    evaluate, evaluate_on, normalise_reference, normalise_with_tag, Decision, Policy, Reason,
    Subject, Threshold, Thresholds, Verdict,
};
pub use ignore::{IgnoreRule, Ignores, IGNORE_FILES};
pub use license::LicensedPackage;
#[cfg(feature = "rego")]
pub use rego::{add_to_verdict, eval_rego, eval_rego_text, RegoMessage};
pub use report::{gated_report_json, GateFields};
pub use vex::{deciding_statement, load_vex, parse_vex, VexStatement, VexStatus};

/// Largest ignore, VEX or config file read; larger ones are refused, not truncated.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// The config files looked for in the working directory, in order.
pub const CONFIG_FILES: [&str; 3] = ["dockguard.toml", "dockguard.yaml", "dockguard.yml"];

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    #[error("{file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
}

fn read_bounded(path: &Path) -> Result<String, Error> {
    use std::io::Read;
    let file = path.display().to_string();
    let io = |source| Error::Io {
        file: file.clone(),
        source,
    };
    let f = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    f.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::Invalid {
            file,
            message: format!("larger than {MAX_FILE_BYTES} bytes"),
        });
    }
    String::from_utf8(bytes).map_err(|_| Error::Invalid {
        file,
        message: "not UTF-8 text".to_string(),
    })
}

/// Whether `id` is the finding's id or one of its aliases (references that are ids, not URLs).
fn names_vuln(finding: &Finding, id: &str) -> bool {
    let id = id.trim();
    finding.id.eq_ignore_ascii_case(id)
        || finding
            .references
            .iter()
            .any(|r| !r.contains("://") && r.eq_ignore_ascii_case(id))
}

/// The `policy` part of `dockguard.toml` / `dockguard.yaml`; other tables belong to other
/// commands and are not looked at.
pub fn load_policy(path: &Path) -> Result<Option<Policy>, Error> {
    #[derive(Deserialize)]
    struct Whole {
        policy: Option<Policy>,
    }
    let text = read_bounded(path)?;
    let invalid = |message: String| Error::Invalid {
        file: path.display().to_string(),
        message,
    };
    let yaml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    let whole: Whole = if yaml {
        if text.trim().is_empty() {
            return Ok(None);
        }
        serde_saphyr::from_str(&text).map_err(|e| invalid(format!("[policy]: {e}")))?
    } else {
        toml::from_str(&text).map_err(|e| invalid(format!("[policy]: {e}")))?
    };
    if let Some(p) = &whole.policy {
        p.validate()
            .map_err(|e| invalid(format!("[policy]: {e}")))?;
    }
    Ok(whole.policy)
}

/// The first of [`CONFIG_FILES`] present in `dir`.
pub fn find_config(dir: &Path) -> Option<std::path::PathBuf> {
    CONFIG_FILES
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

/// A finding taken out of the report, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Suppressed {
    pub finding: Finding,
    /// `ignore` or `vex`.
    pub by: &'static str,
    /// Where the decision came from (`.trivyignore:3`, `app.vex.json statements[0]`).
    pub origin: String,
    /// The reason, justification or VEX status given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The result of [`apply`].
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub kept: Vec<Finding>,
    pub suppressed: Vec<Suppressed>,
    /// Ignore entries that have expired: they no longer suppress anything.
    pub expired: Vec<IgnoreRule>,
}

/// Applies ignores (those not expired on `today`) and VEX statements to `findings`.
pub fn apply(
    findings: Vec<Finding>,
    ignores: &Ignores,
    vex: &[VexStatement],
    today: Date,
) -> Outcome {
    let (live, expired): (Vec<&IgnoreRule>, Vec<&IgnoreRule>) =
        ignores.rules.iter().partition(|r| !r.expired(today));
    let mut out = Outcome {
        expired: expired.into_iter().cloned().collect(),
        ..Outcome::default()
    };
    for finding in findings {
        if let Some(rule) = live.iter().find(|r| r.matches(&finding)) {
            out.suppressed.push(Suppressed {
                by: "ignore",
                origin: rule.origin.clone(),
                reason: rule.reason.clone(),
                finding,
            });
            continue;
        }
        match deciding_statement(vex, &finding) {
            Some(s) if s.status.suppresses() => out.suppressed.push(Suppressed {
                by: "vex",
                origin: s.origin.clone(),
                reason: Some(match &s.justification {
                    Some(j) => format!("{}: {j}", s.status.as_str()),
                    None => s.status.as_str().to_string(),
                }),
                finding,
            }),
            _ => out.kept.push(finding),
        }
    }
    out
}

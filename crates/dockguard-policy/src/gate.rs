//! The gate: a `[policy]` table turns the remaining findings (and facts about the image) into
//! PASS, WARN or FAIL with reasons.

use dockguard_core::{Finding, FindingKind, Severity};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A threshold: findings at or above the severity trigger it; `never` switches it off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threshold {
    AtLeast(Severity),
    Never,
}

impl<'de> Deserialize<'de> for Threshold {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match s.trim().to_ascii_lowercase().as_str() {
            "never" | "off" | "none" => Ok(Threshold::Never),
            other => other
                .parse::<Severity>()
                .map(Threshold::AtLeast)
                .map_err(|_| {
                    serde::de::Error::custom(format!(
                        "unknown threshold '{s}' (expected critical, high, medium, low, info or never)"
                    ))
                }),
        }
    }
}

impl Threshold {
    fn hit(self, s: Severity) -> bool {
        matches!(self, Threshold::AtLeast(min) if s >= min)
    }
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Threshold::AtLeast(s) => write!(f, "{s}"),
            Threshold::Never => f.write_str("never"),
        }
    }
}

/// Per-scanner overrides of the thresholds.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Thresholds {
    pub fail_on: Option<Threshold>,
    pub warn_on: Option<Threshold>,
}

/// The `[policy]` table of `dockguard.toml` (or `policy:` in YAML).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Policy {
    /// Fail when a finding is at or above this severity (default `high`).
    pub fail_on: Option<Threshold>,
    /// Warn when a finding is at or above this severity and does not fail (default `info`:
    /// any remaining finding warns).
    pub warn_on: Option<Threshold>,
    /// Fail when the image's configured user is root (or unset).
    #[serde(default)]
    pub deny_root: bool,
    /// Registries (`ghcr.io`) or repository prefixes (`ghcr.io/acme/`) images may come from.
    #[serde(default)]
    pub allowed_registries: Vec<String>,
    #[serde(default, alias = "vulnerability")]
    pub vuln: Option<Thresholds>,
    #[serde(default)]
    pub secret: Option<Thresholds>,
    #[serde(default)]
    pub lint: Option<Thresholds>,
    #[serde(default)]
    pub config: Option<Thresholds>,
    #[serde(default)]
    pub license: Option<Thresholds>,
    #[serde(default)]
    pub runtime: Option<Thresholds>,
}

impl Policy {
    fn for_kind(&self, kind: FindingKind) -> (Threshold, Threshold) {
        let specific = match kind {
            FindingKind::Vulnerability => &self.vuln,
            FindingKind::Secret => &self.secret,
            FindingKind::Lint => &self.lint,
            FindingKind::Config => &self.config,
            FindingKind::License => &self.license,
            FindingKind::Runtime => &self.runtime,
        };
        let fail = specific
            .as_ref()
            .and_then(|t| t.fail_on)
            .or(self.fail_on)
            .unwrap_or(Threshold::AtLeast(Severity::High));
        let warn = specific
            .as_ref()
            .and_then(|t| t.warn_on)
            .or(self.warn_on)
            .unwrap_or(Threshold::AtLeast(Severity::Info));
        (fail, warn)
    }
}

/// Facts about the scanned target the non-finding rules need. `None` means unknown (an SBOM
/// or a directory has no user; a local layout may have no reference).
#[derive(Debug, Clone, Default)]
pub struct Subject {
    /// Whether the target is a container image (the root and registry rules apply only then).
    pub is_image: bool,
    /// `USER` of the image configuration; empty or absent means root.
    pub user: Option<String>,
    /// The image reference, e.g. `ghcr.io/acme/app:1.0`.
    pub reference: Option<String>,
}

/// The gate's decision. Ordered: `Pass < Warn < Fail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Decision {
    Pass,
    Warn,
    Fail,
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Decision::Pass => "PASS",
            Decision::Warn => "WARN",
            Decision::Fail => "FAIL",
        })
    }
}

/// One reason for a WARN or FAIL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub decision: Decision,
    pub message: String,
}

/// The outcome of the gate (also written as `policy` in the JSON report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub decision: Decision,
    pub reasons: Vec<Reason>,
}

impl Default for Verdict {
    fn default() -> Self {
        Verdict {
            decision: Decision::Pass,
            reasons: Vec::new(),
        }
    }
}

impl Verdict {
    /// Adds a reason and raises the decision to it (a reason never lowers it).
    pub fn add(&mut self, decision: Decision, message: impl Into<String>) {
        self.decision = self.decision.max(decision);
        self.reasons.push(Reason {
            decision,
            message: message.into(),
        });
    }

    /// The process exit code: `fail_code` for FAIL, 0 otherwise.
    pub fn exit_code(&self, fail_code: u8) -> u8 {
        if self.decision == Decision::Fail {
            fail_code
        } else {
            0
        }
    }

    /// `PASS`, or `FAIL` followed by one indented reason per line.
    pub fn summary(&self) -> String {
        let mut s = self.decision.to_string();
        for r in &self.reasons {
            s.push_str(&format!("\n  {}: {}", r.decision, r.message));
        }
        s
    }
}

/// Decides the gate for the findings that remain after ignores and VEX.
pub fn evaluate(policy: &Policy, findings: &[Finding], subject: &Subject) -> Verdict {
    let mut verdict = Verdict::default();
    let kinds = [
        FindingKind::Vulnerability,
        FindingKind::Secret,
        FindingKind::Lint,
        FindingKind::Config,
        FindingKind::License,
        FindingKind::Runtime,
    ];
    for kind in kinds {
        let (fail, warn) = policy.for_kind(kind);
        let of_kind = findings.iter().filter(|f| f.kind == kind);
        let failing: Vec<&Finding> = of_kind.clone().filter(|f| fail.hit(f.severity)).collect();
        let warning: Vec<&Finding> = of_kind
            .filter(|f| !fail.hit(f.severity) && warn.hit(f.severity))
            .collect();
        if !failing.is_empty() {
            verdict.add(Decision::Fail, describe(kind, &failing, "fail-on", fail));
        }
        if !warning.is_empty() {
            verdict.add(Decision::Warn, describe(kind, &warning, "warn-on", warn));
        }
    }
    if subject.is_image && policy.deny_root {
        let user = subject.user.as_deref().map(str::trim).unwrap_or("");
        let name = user.split(':').next().unwrap_or("");
        if name.is_empty() || name == "root" || name == "0" {
            let shown = if user.is_empty() {
                "no USER, so root"
            } else {
                user
            };
            verdict.add(
                Decision::Fail,
                format!("deny-root: the image runs as root ({shown})"),
            );
        }
    }
    if subject.is_image && !policy.allowed_registries.is_empty() {
        match subject.reference.as_deref() {
            Some(r) => {
                let full = normalise_reference(r);
                let ok = policy.allowed_registries.iter().any(|a| {
                    let a = a.trim().trim_end_matches('/');
                    full == a || full.starts_with(&format!("{a}/"))
                });
                if !ok {
                    verdict.add(
                        Decision::Fail,
                        format!(
                            "allowed-registries: {full} is not from {}",
                            policy.allowed_registries.join(", ")
                        ),
                    );
                }
            }
            None => verdict.add(
                Decision::Warn,
                "allowed-registries: the image has no reference, so its registry is unknown",
            ),
        }
    }
    verdict
}

fn describe(kind: FindingKind, hits: &[&Finding], rule: &str, t: Threshold) -> String {
    const SHOWN: usize = 5;
    let mut ids: Vec<&str> = hits.iter().map(|f| f.id.as_str()).collect();
    ids.dedup();
    let more = ids.len().saturating_sub(SHOWN);
    ids.truncate(SHOWN);
    format!(
        "{} {kind} finding(s) at or above {t} ({rule}): {}{}",
        hits.len(),
        ids.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    )
}

/// `alpine:3` → `docker.io/library/alpine`, `ghcr.io/a/b:1` → `ghcr.io/a/b`: what Docker
/// itself would pull, without tag or digest.
pub fn normalise_reference(reference: &str) -> String {
    let r = reference.trim();
    let r = r
        .strip_prefix("registry:")
        .or_else(|| r.strip_prefix("docker:"))
        .unwrap_or(r);
    let r = r.split_once('@').map_or(r, |(n, _)| n);
    let r = match r.rsplit_once(':') {
        Some((n, tag)) if !tag.contains('/') => n,
        _ => r,
    };
    let (first, rest) = r.split_once('/').unwrap_or(("", r));
    if !first.is_empty() && (first.contains('.') || first.contains(':') || first == "localhost") {
        return format!("{first}/{rest}");
    }
    if first.is_empty() {
        return format!("docker.io/library/{rest}");
    }
    format!("docker.io/{r}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use dockguard_core::Location;

    fn f(kind: FindingKind, sev: Severity, id: &str) -> Finding {
        Finding::new(id, kind, sev, "t", "m", Location::default())
    }

    fn policy(toml_text: &str) -> Policy {
        toml::from_str(toml_text).unwrap()
    }

    #[test]
    fn thresholds_per_scanner() {
        let p =
            policy("fail-on = \"critical\"\nwarn-on = \"medium\"\n[secret]\nfail-on = \"low\"\n");
        let image = Subject::default();
        let v = evaluate(
            &p,
            &[f(FindingKind::Vulnerability, Severity::High, "CVE-1")],
            &image,
        );
        assert_eq!(v.decision, Decision::Warn, "{v:?}");
        let v = evaluate(&p, &[f(FindingKind::Secret, Severity::Low, "aws")], &image);
        assert_eq!(v.decision, Decision::Fail);
        assert!(v.reasons[0]
            .message
            .contains("1 secret finding(s) at or above low (fail-on): aws"));
        let v = evaluate(
            &p,
            &[f(FindingKind::Vulnerability, Severity::Low, "CVE-2")],
            &image,
        );
        assert_eq!(v.decision, Decision::Pass);
        assert_eq!(v.exit_code(1), 0);
        let p = policy("[vulnerability]\nfail-on = \"never\"\nwarn-on = \"never\"\n");
        let v = evaluate(
            &p,
            &[f(FindingKind::Vulnerability, Severity::Critical, "C")],
            &image,
        );
        assert_eq!(v.decision, Decision::Pass);
    }

    #[test]
    fn defaults_fail_on_high_and_warn_on_anything() {
        let p = Policy::default();
        let s = Subject::default();
        let many: Vec<Finding> = (0..7)
            .map(|i| {
                f(
                    FindingKind::Vulnerability,
                    Severity::Critical,
                    &format!("CVE-{i}"),
                )
            })
            .collect();
        let v = evaluate(&p, &many, &s);
        assert_eq!(v.decision, Decision::Fail);
        assert_eq!(v.exit_code(3), 3);
        assert!(v.summary().contains("and 2 more"), "{}", v.summary());
        let v = evaluate(&p, &[f(FindingKind::Lint, Severity::Info, "DL1")], &s);
        assert_eq!(v.decision, Decision::Warn);
        assert!(toml::from_str::<Policy>("fail-on = \"sometimes\"").is_err());
        assert!(toml::from_str::<Policy>("fial-on = \"high\"").is_err());
    }

    #[test]
    fn root_and_registries() {
        let p = policy(
            "deny-root = true\nallowed-registries = [\"ghcr.io/acme\", \"docker.io/library\"]\n",
        );
        let mut s = Subject {
            is_image: true,
            user: None,
            reference: Some("ghcr.io/acme/app:1.0".into()),
        };
        let v = evaluate(&p, &[], &s);
        assert_eq!(v.decision, Decision::Fail);
        assert!(v.reasons[0].message.contains("root"));
        s.user = Some("1000:1000".into());
        assert_eq!(evaluate(&p, &[], &s).decision, Decision::Pass);
        s.user = Some("0".into());
        assert_eq!(evaluate(&p, &[], &s).decision, Decision::Fail);
        s.user = Some("app".into());
        s.reference = Some("alpine:3.19".into());
        assert_eq!(evaluate(&p, &[], &s).decision, Decision::Pass);
        s.reference = Some("quay.io/evil/app@sha256:abc".into());
        let v = evaluate(&p, &[], &s);
        assert!(v.reasons[0].message.contains("quay.io/evil/app"), "{v:?}");
        s.reference = Some("ghcr.io/acmecorp/app".into());
        assert_eq!(evaluate(&p, &[], &s).decision, Decision::Fail);
        s.reference = None;
        assert_eq!(evaluate(&p, &[], &s).decision, Decision::Warn);
        s.is_image = false;
        assert_eq!(evaluate(&p, &[], &s).decision, Decision::Pass);
    }

    #[test]
    fn references_normalise_like_docker() {
        assert_eq!(normalise_reference("alpine"), "docker.io/library/alpine");
        assert_eq!(
            normalise_reference("bitnami/redis:7"),
            "docker.io/bitnami/redis"
        );
        assert_eq!(
            normalise_reference("localhost:5000/x:1"),
            "localhost:5000/x"
        );
        assert_eq!(
            normalise_reference("registry:ghcr.io/a/b@sha256:00"),
            "ghcr.io/a/b"
        );
    }
}

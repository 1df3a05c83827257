//! The gate: a `[policy]` table turns the remaining findings (and facts about the image) into
//! PASS, WARN or FAIL with reasons.

use crate::date::Date;
use crate::license::{DenyList, LicensedPackage};
use dockguard_core::{Finding, FindingKind, Severity};
use globset::GlobBuilder;
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
    /// FAIL when the image config's `created` is more than this many days ago.
    #[serde(default, alias = "max_image_age_days")]
    pub max_image_age_days: Option<u32>,
    /// Globs the base image reference must match (`docker.io/library/debian:12*`).
    #[serde(default, alias = "allowed_base_images")]
    pub allowed_base_images: Vec<String>,
    /// SPDX ids or globs no package may be licensed under (unless a choice avoids them).
    #[serde(default, alias = "deny_licenses")]
    pub deny_licenses: Vec<String>,
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
    /// Checks what deserialising cannot: that every glob compiles.
    pub fn validate(&self) -> Result<(), String> {
        DenyList::new(&self.deny_licenses)?;
        for p in &self.allowed_base_images {
            base_glob(p)?;
        }
        Ok(())
    }

    /// Whether a rule needs facts about the image, not only findings (so a report without a
    /// subject cannot decide it).
    pub fn has_image_rules(&self) -> bool {
        self.deny_root
            || !self.allowed_registries.is_empty()
            || self.max_image_age_days.is_some()
            || !self.allowed_base_images.is_empty()
            || !self.deny_licenses.is_empty()
    }

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
///
/// `dockguard scan -f json` writes it as `subject`, so `dockguard evaluate` can decide the
/// same rules later without the image.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    /// Whether the target is a container image (the root and registry rules apply only then).
    #[serde(default)]
    pub is_image: bool,
    /// `USER` of the image configuration; empty or absent means root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The image reference, e.g. `ghcr.io/acme/app:1.0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// `created` of the image config (RFC 3339), as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// The base image reference, when a label or the Dockerfile tells it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_image: Option<String>,
    /// Where `base_image` came from (`label org.opencontainers.image.base.name`,
    /// `Dockerfile app/Dockerfile`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_image_from: Option<String>,
    /// Packages that declare licences; `None` when no package inventory was taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licensed_packages: Option<Vec<LicensedPackage>>,
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

/// Decides the gate for the findings that remain after ignores and VEX, with image ages
/// counted up to today (UTC).
pub fn evaluate(policy: &Policy, findings: &[Finding], subject: &Subject) -> Verdict {
    evaluate_on(policy, findings, subject, Date::today())
}

/// [`evaluate`] as if it were `today`.
pub fn evaluate_on(
    policy: &Policy,
    findings: &[Finding],
    subject: &Subject,
    today: Date,
) -> Verdict {
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
    if subject.is_image {
        if let Some(max) = policy.max_image_age_days {
            check_age(&mut verdict, max, subject.created.as_deref(), today);
        }
        if !policy.allowed_base_images.is_empty() {
            check_base(&mut verdict, &policy.allowed_base_images, subject);
        }
    }
    if !policy.deny_licenses.is_empty() {
        check_licenses(&mut verdict, &policy.deny_licenses, subject);
    }
    verdict
}

fn check_age(verdict: &mut Verdict, max: u32, created: Option<&str>, today: Date) {
    let date = created.and_then(Date::parse);
    // Reproducible builds stamp the epoch (or Go's zero time): that says nothing about age.
    let Some(date) = date.filter(|d| d.to_days() > 0) else {
        let shown = match created {
            Some(c) if !c.trim().is_empty() => format!("`created` is {}", c.trim()),
            _ => "the image config has no `created`".to_string(),
        };
        verdict.add(
            Decision::Warn,
            format!("max-image-age-days: the image's age is unknown ({shown})"),
        );
        return;
    };
    let age = today.to_days() - date.to_days();
    if age > i64::from(max) {
        verdict.add(
            Decision::Fail,
            format!(
                "max-image-age-days: the image was built on {date}, {age} days ago (limit {max})"
            ),
        );
    }
}

fn base_glob(pattern: &str) -> Result<globset::GlobMatcher, String> {
    GlobBuilder::new(pattern.trim())
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| format!("allowed-base-images: invalid pattern '{pattern}': {e}"))
}

fn check_base(verdict: &mut Verdict, allowed: &[String], subject: &Subject) {
    let Some(base) = subject.base_image.as_deref().map(str::trim) else {
        verdict.add(
            Decision::Warn,
            "allowed-base-images: base image unknown (no org.opencontainers.image.base.name \
             label; pass the Dockerfile with --dockerfile)",
        );
        return;
    };
    let full = normalise_with_tag(base);
    let ok = allowed
        .iter()
        .any(|p| base_glob(p).is_ok_and(|m| m.is_match(base) || m.is_match(&full)));
    if !ok {
        let from = subject
            .base_image_from
            .as_deref()
            .map(|f| format!(" (from {f})"))
            .unwrap_or_default();
        verdict.add(
            Decision::Fail,
            format!(
                "allowed-base-images: the base image {full}{from} matches none of {}",
                allowed.join(", ")
            ),
        );
    }
}

fn check_licenses(verdict: &mut Verdict, deny: &[String], subject: &Subject) {
    let Ok(list) = DenyList::new(deny) else {
        // load_policy validates; a policy built in code with a bad glob denies nothing.
        return;
    };
    let Some(packages) = &subject.licensed_packages else {
        verdict.add(
            Decision::Warn,
            "deny-licenses: no package inventory was taken, so licences are unknown",
        );
        return;
    };
    for p in packages {
        let hits = list.denied(&p.licenses);
        if hits.is_empty() {
            continue;
        }
        let what: Vec<String> = hits
            .iter()
            .map(|(id, pattern)| {
                if id.eq_ignore_ascii_case(pattern) {
                    id.clone()
                } else {
                    format!("{id} (denied by {pattern})")
                }
            })
            .collect();
        let mut place = String::new();
        if let Some(path) = &p.path {
            place.push_str(&format!(" at {path}"));
        }
        if let Some(layer) = p.layer_index {
            place.push_str(&format!(", layer {layer}"));
        }
        let kind = if p.kind.is_empty() {
            String::new()
        } else {
            format!(" ({})", p.kind)
        };
        verdict.add(
            Decision::Fail,
            format!(
                "deny-licenses: {} {}{kind} is licensed {}{place}",
                p.name,
                p.version,
                what.join(", ")
            ),
        );
    }
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

/// `debian:12` → `docker.io/library/debian:12`: the reference Docker would pull, keeping the
/// tag and digest.
pub fn normalise_with_tag(reference: &str) -> String {
    let r = reference.trim();
    let (name, digest) = match r.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (r, None),
    };
    let tag = match name.rsplit_once(':') {
        Some((_, tag)) if !tag.contains('/') => Some(tag),
        _ => None,
    };
    let mut out = normalise_reference(name);
    if let Some(t) = tag {
        out.push(':');
        out.push_str(t);
    }
    if let Some(d) = digest {
        out.push('@');
        out.push_str(d);
    }
    out
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
            ..Subject::default()
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

    fn image() -> Subject {
        Subject {
            is_image: true,
            user: Some("1000".into()),
            ..Subject::default()
        }
    }

    #[test]
    fn image_age_fails_when_older_and_warns_when_unknown() {
        let p = policy("max_image_age_days = 30\n");
        let today = Date::parse("2026-03-01").unwrap();
        let mut s = image();
        s.created = Some("2026-01-31T23:00:00Z".into());
        assert_eq!(evaluate_on(&p, &[], &s, today).decision, Decision::Pass);
        s.created = Some("2026-01-29T00:00:00.123Z".into());
        let v = evaluate_on(&p, &[], &s, today);
        assert_eq!(v.decision, Decision::Fail, "{v:?}");
        assert_eq!(
            v.reasons[0].message,
            "max-image-age-days: the image was built on 2026-01-29, 31 days ago (limit 30)"
        );
        for unknown in [
            Some("1970-01-01T00:00:00Z"),
            Some("0001-01-01T00:00:00Z"),
            Some("yesterday"),
            None,
        ] {
            s.created = unknown.map(str::to_string);
            let v = evaluate_on(&p, &[], &s, today);
            assert_eq!(v.decision, Decision::Warn, "{unknown:?}");
            assert!(v.reasons[0].message.contains("age is unknown"), "{v:?}");
        }
        s.is_image = false;
        assert_eq!(evaluate_on(&p, &[], &s, today).decision, Decision::Pass);
    }

    #[test]
    fn base_images_match_globs_on_the_normalised_reference() {
        let p = policy(
            "allowed-base-images = [\"docker.io/library/debian:12*\", \"gcr.io/distroless/*\"]\n",
        );
        let mut s = image();
        let v = evaluate(&p, &[], &s);
        assert_eq!(v.decision, Decision::Warn);
        assert!(v.reasons[0].message.contains("base image unknown"), "{v:?}");
        for ok in [
            "debian:12",
            "debian:12-slim@sha256:00",
            "docker.io/library/debian:12.5",
            "gcr.io/distroless/static:nonroot",
        ] {
            s.base_image = Some(ok.into());
            assert_eq!(evaluate(&p, &[], &s).decision, Decision::Pass, "{ok}");
        }
        s.base_image = Some("ubuntu:24.04".into());
        s.base_image_from = Some("Dockerfile app/Dockerfile".into());
        let v = evaluate(&p, &[], &s);
        assert_eq!(v.decision, Decision::Fail);
        assert_eq!(
            v.reasons[0].message,
            "allowed-base-images: the base image docker.io/library/ubuntu:24.04 (from \
             Dockerfile app/Dockerfile) matches none of docker.io/library/debian:12*, \
             gcr.io/distroless/*"
        );
        assert!(policy("allowed-base-images = [\"[\"]").validate().is_err());
    }

    #[test]
    fn licences_report_each_offending_package_with_its_place() {
        let p = policy("deny-licenses = [\"AGPL-3.0-only\", \"GPL-3.0*\"]\n");
        let pkg = |name: &str, lic: &[&str]| LicensedPackage {
            name: name.into(),
            version: "1.0".into(),
            kind: "npm".into(),
            licenses: lic.iter().map(|l| l.to_string()).collect(),
            path: Some(format!("app/node_modules/{name}/package.json")),
            layer_index: Some(4),
            layer_digest: None,
        };
        let mut s = Subject::default();
        let v = evaluate(&p, &[], &s);
        assert_eq!(v.decision, Decision::Warn, "no inventory: unknown");
        s.licensed_packages = Some(vec![
            pkg("dual", &["MIT OR GPL-3.0-only"]),
            pkg("strong", &["AGPL-3.0-only"]),
            pkg("both", &["GPL-3.0-or-later AND MIT"]),
            pkg("fine", &["Apache-2.0"]),
        ]);
        let v = evaluate(&p, &[], &s);
        assert_eq!(v.decision, Decision::Fail);
        let messages: Vec<&str> = v.reasons.iter().map(|r| r.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "deny-licenses: strong 1.0 (npm) is licensed AGPL-3.0-only at \
                 app/node_modules/strong/package.json, layer 4",
                "deny-licenses: both 1.0 (npm) is licensed GPL-3.0-or-later (denied by \
                 GPL-3.0*) at app/node_modules/both/package.json, layer 4",
            ]
        );
    }

    #[test]
    fn new_keys_read_from_yaml_in_both_spellings() {
        let p: Policy = serde_saphyr::from_str(
            "max-image-age-days: 90\nallowed_base_images: [\"debian:12*\"]\n\
             deny-licenses:\n  - AGPL-3.0-only\n",
        )
        .unwrap();
        assert_eq!(p.max_image_age_days, Some(90));
        assert_eq!(p.allowed_base_images, ["debian:12*"]);
        assert_eq!(p.deny_licenses, ["AGPL-3.0-only"]);
        assert!(p.has_image_rules());
        assert!(!Policy::default().has_image_rules());
        assert!(serde_saphyr::from_str::<Policy>("max-image-age-days: -1\n").is_err());
    }

    #[test]
    fn subject_round_trips_through_json() {
        let s = Subject {
            is_image: true,
            user: Some("app".into()),
            created: Some("2026-01-01T00:00:00Z".into()),
            licensed_packages: Some(Vec::new()),
            ..Subject::default()
        };
        let text = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<Subject>(&text).unwrap(), s);
        assert_eq!(
            serde_json::from_str::<Subject>("{}").unwrap(),
            Subject::default()
        );
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
        assert_eq!(
            normalise_with_tag("localhost:5000/x:1@sha256:00"),
            "localhost:5000/x:1@sha256:00"
        );
        assert_eq!(normalise_with_tag("alpine"), "docker.io/library/alpine");
    }
}

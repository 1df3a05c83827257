//! The subset of the OSV schema we read, and its reduction to what matching and reports need.
//!
//! Every field is optional or defaulted: records come from many producers, and a record we
//! cannot use must be skipped with a reason rather than abort an import.

use crate::cvss;
use crate::names::{normalize_ecosystem, normalize_name};
use dockguard_core::Severity;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Record {
    pub id: String,
    pub summary: Option<String>,
    pub details: Option<String>,
    pub aliases: Vec<String>,
    pub upstream: Vec<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub withdrawn: Option<String>,
    pub severity: Vec<SeverityEntry>,
    pub affected: Vec<Affected>,
    pub references: Vec<Reference>,
    pub database_specific: Option<serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SeverityEntry {
    #[serde(rename = "type")]
    pub kind: String,
    pub score: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Affected {
    pub package: Package,
    pub ranges: Vec<Range>,
    pub versions: Vec<String>,
    pub severity: Vec<SeverityEntry>,
    pub ecosystem_specific: Option<serde_json::Value>,
    pub database_specific: Option<serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Package {
    pub ecosystem: String,
    pub name: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Range {
    #[serde(rename = "type")]
    pub kind: String,
    pub events: Vec<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Reference {
    pub url: String,
}

/// What we keep of a record for reports (stored as compact JSON, one row per record).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub(crate) struct StoredAdvisory {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss_score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss_vector: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
}

/// One range event, kept in the order given; matching sorts them. `S` is `String` when
/// importing and `&str` borrowed from the stored row when matching.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Event<S = String> {
    #[serde(rename = "i")]
    Introduced(S),
    #[serde(rename = "f")]
    Fixed(S),
    #[serde(rename = "l")]
    LastAffected(S),
    #[serde(rename = "m")]
    Limit(S),
}

/// The matchable part of one `affected` entry (stored as compact JSON in the index table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Spec<S = String> {
    #[serde(
        default = "Vec::new",
        rename = "r",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub ranges: Vec<Vec<Event<S>>>,
    #[serde(
        default = "Vec::new",
        rename = "v",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub versions: Vec<S>,
}

impl<S> Default for Spec<S> {
    fn default() -> Self {
        Spec {
            ranges: Vec::new(),
            versions: Vec::new(),
        }
    }
}

/// An `affected` entry reduced to its index key and spec.
pub(crate) struct IndexRow {
    pub ecosystem: String,
    pub name: String,
    pub spec: Spec,
}

const MAX_REFERENCES: usize = 32;
const MAX_SUMMARY: usize = 300;

fn vendor_severity(word: &str) -> Option<Severity> {
    match word.trim().to_ascii_uppercase().as_str() {
        "CRITICAL" => Some(Severity::Critical),
        "HIGH" | "IMPORTANT" => Some(Severity::High),
        "MODERATE" | "MEDIUM" => Some(Severity::Medium),
        "LOW" => Some(Severity::Low),
        "NEGLIGIBLE" | "UNIMPORTANT" | "NONE" => Some(Severity::Info),
        _ => None,
    }
}

fn truncate(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

impl Record {
    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn
            .as_deref()
            .is_some_and(|w| !w.trim().is_empty())
    }

    /// The report-facing part of the record.
    pub fn stored(&self) -> StoredAdvisory {
        let mut aliases: Vec<String> = Vec::new();
        for a in self.aliases.iter().chain(&self.upstream) {
            let a = a.trim();
            if !a.is_empty() && a != self.id && !aliases.iter().any(|x| x == a) {
                aliases.push(a.to_string());
            }
        }
        let summary = match self.summary.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(s) => truncate(s, MAX_SUMMARY),
            None => {
                let details = self.details.as_deref().unwrap_or("");
                truncate(details.lines().next().unwrap_or(""), MAX_SUMMARY)
            }
        };

        // Scores: the newest CVSS version we can compute wins; within one version the highest.
        let mut best: Option<(cvss::Score, String)> = None;
        let entries = self
            .severity
            .iter()
            .chain(self.affected.iter().flat_map(|a| a.severity.iter()));
        for e in entries {
            if !matches!(e.kind.as_str(), "CVSS_V3" | "CVSS_V4") {
                continue;
            }
            if let Some(s) = cvss::score(&e.score) {
                let better = match &best {
                    None => true,
                    Some((b, _)) => {
                        (s.version == cvss::CvssVersion::V4 && b.version == cvss::CvssVersion::V3)
                            || (s.version == b.version && s.base > b.base)
                    }
                };
                if better {
                    best = Some((s, e.score.trim().to_string()));
                }
            }
        }

        // A vendor rating (GHSA `database_specific.severity`, a distribution's "Important:"
        // summary prefix) is the publisher's own judgement for its packages: it wins.
        let vendor = self
            .database_specific
            .as_ref()
            .and_then(|d| d.get("severity"))
            .and_then(|s| s.as_str())
            .and_then(vendor_severity)
            .or_else(|| {
                self.affected.iter().find_map(|a| {
                    [&a.ecosystem_specific, &a.database_specific]
                        .into_iter()
                        .flatten()
                        .find_map(|d| {
                            d.get("severity")
                                .or_else(|| d.get("urgency"))
                                .and_then(|s| s.as_str())
                                .and_then(vendor_severity)
                        })
                })
            })
            .or_else(|| {
                let s = self.summary.as_deref()?;
                let (word, _) = s.split_once(':')?;
                vendor_severity(word)
            });

        let severity = vendor.or_else(|| best.as_ref().map(|(s, _)| s.severity()));
        let mut references: Vec<String> = Vec::new();
        for r in &self.references {
            let url = r.url.trim();
            if !url.is_empty() && !references.iter().any(|x| x == url) {
                references.push(url.to_string());
            }
            if references.len() == MAX_REFERENCES {
                break;
            }
        }
        StoredAdvisory {
            id: self.id.clone(),
            aliases,
            summary,
            severity,
            cvss_score: best.as_ref().map(|(s, _)| s.base),
            cvss_vector: best.map(|(_, v)| v),
            references,
            published: self.published.clone().filter(|p| !p.starts_with("0001-")),
            modified: self.modified.clone().filter(|p| !p.starts_with("0001-")),
        }
    }

    /// Index rows: one per affected package that has something matchable.
    pub fn index_rows(&self) -> Vec<IndexRow> {
        let mut rows = Vec::new();
        for a in &self.affected {
            if a.package.name.trim().is_empty() || a.package.ecosystem.trim().is_empty() {
                continue;
            }
            let ecosystem = normalize_ecosystem(&a.package.ecosystem);
            let name = normalize_name(&ecosystem, &a.package.name);
            let mut spec = Spec {
                versions: a
                    .versions
                    .iter()
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                    .collect(),
                ..Spec::default()
            };
            for r in &a.ranges {
                // GIT ranges name commits, which an installed package cannot be compared with.
                if !matches!(r.kind.as_str(), "ECOSYSTEM" | "SEMVER") {
                    continue;
                }
                let mut events = Vec::new();
                for e in &r.events {
                    for (k, v) in e {
                        let Some(v) = v.as_str().map(str::trim).filter(|v| !v.is_empty()) else {
                            continue;
                        };
                        let v = v.to_string();
                        events.push(match k.as_str() {
                            "introduced" => Event::Introduced(v),
                            "fixed" => Event::Fixed(v),
                            "last_affected" => Event::LastAffected(v),
                            "limit" => Event::Limit(v),
                            _ => continue,
                        });
                    }
                }
                if !events.is_empty() {
                    spec.ranges.push(events);
                }
            }
            if spec.ranges.is_empty() && spec.versions.is_empty() {
                continue;
            }
            rows.push(IndexRow {
                ecosystem,
                name,
                spec,
            });
        }
        rows
    }

    /// The bucket directories this record's affected packages belong to (the normalised
    /// ecosystem before the first `:`), distinct, in order of first mention.
    pub fn buckets(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for a in &self.affected {
            if a.package.ecosystem.trim().is_empty() {
                continue;
            }
            let b = bucket_of(&normalize_ecosystem(&a.package.ecosystem)).to_string();
            if !b.is_empty() && !out.contains(&b) {
                out.push(b);
            }
        }
        out
    }
}

/// The bucket of a normalised ecosystem: its part before the first `:`.
pub(crate) fn bucket_of(ecosystem: &str) -> &str {
    ecosystem.split(':').next().unwrap_or("").trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(json: &str) -> Record {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn vendor_severity_wins_and_cvss_is_computed() {
        let r = rec(r#"{"id":"GHSA-x","aliases":["CVE-1"],"summary":"s",
            "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
            "database_specific":{"severity":"MODERATE"},"affected":[]}"#);
        let s = r.stored();
        assert_eq!(s.severity, Some(Severity::Medium));
        assert_eq!(s.cvss_score, Some(9.8));
        assert_eq!(s.aliases, vec!["CVE-1"]);
    }

    #[test]
    fn distro_summary_prefix_is_a_vendor_rating() {
        let r = rec(r#"{"id":"ALSA-2024:1","summary":"Important: kernel security update"}"#);
        assert_eq!(r.stored().severity, Some(Severity::High));
        let r = rec(r#"{"id":"ALBA-1","summary":"perl bug fix"}"#);
        assert_eq!(r.stored().severity, None);
    }

    #[test]
    fn git_ranges_are_not_indexed() {
        let r = rec(
            r#"{"id":"PYSEC-1","affected":[{"package":{"ecosystem":"PyPI","name":"Foo_Bar"},
            "ranges":[{"type":"GIT","events":[{"introduced":"abc"}]},
                      {"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0"}]}]}]}"#,
        );
        let rows = r.index_rows();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].name, "foo-bar");
        assert_eq!(rows[0].spec.ranges.len(), 1);
    }
}

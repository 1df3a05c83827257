//! Pieces several formats need to agree on: ordering, grouping by target, source lines,
//! fingerprints and URI escaping. Keeping them in one place means a finding is named and
//! identified the same way in SARIF, Code Quality, JUnit and the table.

use crate::RenderOptions;
use dockguard_core::{Finding, Report};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Heading used when a finding names neither a file nor a layer and the report scanned several
/// targets, so there is no honest way to attribute it.
pub const UNKNOWN_TARGET: &str = "(unknown target)";

/// Findings in the order every format lists them. `Report::new` already sorts, but the fields are
/// public, so a hand-built report may not be; sorting again keeps output deterministic.
pub fn sorted_findings(report: &Report) -> Vec<&Finding> {
    let mut findings: Vec<&Finding> = report.findings.iter().collect();
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings
}

/// What a finding is "in": its file, else its image layer, else the only scanned target.
pub fn target_name<'a>(finding: &'a Finding, report: &'a Report) -> Option<&'a str> {
    if let Some(path) = &finding.location.path {
        return Some(path);
    }
    if let Some(digest) = &finding.location.layer_digest {
        return Some(digest);
    }
    match report.targets.as_slice() {
        [only] => Some(only),
        _ => None,
    }
}

/// [`target_name`] with a visible placeholder for findings that cannot be attributed.
pub fn target_label<'a>(finding: &'a Finding, report: &'a Report) -> &'a str {
    target_name(finding, report).unwrap_or(UNKNOWN_TARGET)
}

pub struct Group<'a> {
    pub name: &'a str,
    pub findings: Vec<&'a Finding>,
}

/// Findings grouped by [`target_label`], groups in order of their first finding.
pub fn group_by_target(report: &Report) -> Vec<Group<'_>> {
    let mut groups: Vec<Group<'_>> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for finding in sorted_findings(report) {
        let name = target_label(finding, report);
        match index.get(name) {
            Some(&i) => {
                if let Some(group) = groups.get_mut(i) {
                    group.findings.push(finding);
                }
            }
            None => {
                index.insert(name, groups.len());
                groups.push(Group {
                    name,
                    findings: vec![finding],
                });
            }
        }
    }
    groups
}

/// The text that says what is wrong, never empty: consumers such as GitHub reject or hide blank
/// messages, so the title and then the id stand in for a missing message.
pub fn describe(finding: &Finding) -> &str {
    [&finding.message, &finding.title, &finding.id]
        .into_iter()
        .find(|s| !s.trim().is_empty())
        .map_or("(no message)", String::as_str)
}

/// Line numbers are 1-based; a 0 can only come from a buggy producer and would make SARIF
/// invalid, so it is treated as "no line".
pub fn positive(n: Option<u32>) -> Option<u32> {
    n.filter(|&n| n > 0)
}

/// The text of the finding's first line, when the caller supplied the file.
pub fn source_line<'a>(finding: &Finding, opts: &'a RenderOptions) -> Option<&'a str> {
    let path = finding.location.path.as_ref()?;
    let line = positive(finding.location.line)?;
    let text = opts.sources.get(path)?;
    let index = usize::try_from(line).ok()?.checked_sub(1)?;
    text.lines().nth(index)
}

/// Produces fingerprints that survive unrelated edits: they hash the rule, the target, the
/// package and the offending line's *content* (or the message when the source is unknown), never
/// the line number. Identical findings get an occurrence counter so they stay distinct, the same
/// trick GitHub's own line hashes use.
#[derive(Default)]
pub struct Fingerprinter {
    seen: HashMap<String, u32>,
}

impl Fingerprinter {
    pub fn fingerprint(
        &mut self,
        finding: &Finding,
        report: &Report,
        opts: &RenderOptions,
    ) -> String {
        let content = match source_line(finding, opts) {
            Some(line) => line.trim(),
            None => finding.message.as_str(),
        };
        let (package, ecosystem) = match &finding.package {
            Some(p) => (p.name.as_str(), p.ecosystem.as_deref().unwrap_or("")),
            None => ("", ""),
        };
        let base = hash_parts(&[
            &finding.id,
            target_name(finding, report).unwrap_or(""),
            package,
            ecosystem,
            content,
        ]);
        let count = self.seen.entry(base.clone()).or_insert(0);
        let occurrence = *count;
        *count = count.saturating_add(1);
        if occurrence == 0 {
            base
        } else {
            hash_parts(&[&base, &occurrence.to_string()])
        }
    }
}

/// SHA-256 over length-prefixed parts, so that moving text between parts changes the hash.
fn hash_parts(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Turns a path "as given" into a relative URI reference (RFC 3986) that names the same path.
///
/// Every byte outside the unreserved set, sub-delims, `:`, `@` and `/` is percent-encoded, so `%`,
/// `#`, `?`, spaces and non-ASCII are safe. A `:` in the first segment is encoded too: left alone,
/// `sha256:abc` or `C:\x` would be read as a URI scheme rather than a path.
pub fn uri_reference(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_first_segment = true;
    for &b in path.as_bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
                    | b'/'
            )
            || (b == b':' && !in_first_segment);
        if b == b'/' {
            in_first_segment = false;
        }
        if keep {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push_str(&hex(&[b]).to_ascii_uppercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use dockguard_core::{FindingKind, Location, Severity, ToolInfo};

    fn finding(path: &str, line: u32, message: &str) -> Finding {
        Finding::new(
            "DL3007",
            FindingKind::Lint,
            Severity::Medium,
            "title",
            message,
            Location::at(path, line, 1),
        )
    }

    #[test]
    fn uri_reference_escapes_what_would_change_meaning() {
        assert_eq!(uri_reference("Dockerfile"), "Dockerfile");
        assert_eq!(
            uri_reference("sub dir/Docker file"),
            "sub%20dir/Docker%20file"
        );
        assert_eq!(uri_reference("a#b?c%d"), "a%23b%3Fc%25d");
        assert_eq!(uri_reference("sha256:abc"), "sha256%3Aabc");
        assert_eq!(uri_reference("dir/x:y"), "dir/x:y");
        assert_eq!(uri_reference("C:\\x"), "C%3A%5Cx");
        assert_eq!(uri_reference("döcker"), "d%C3%B6cker");
        assert_eq!(uri_reference("/etc/shadow"), "/etc/shadow");
    }

    #[test]
    fn fingerprint_follows_line_content_not_line_number() {
        let report = Report::new(ToolInfo::dockguard("0"), vec![], vec![]);
        let mut opts = RenderOptions::default();
        opts.sources
            .insert("Dockerfile".into(), "FROM a:latest\n".into());
        let before =
            Fingerprinter::default().fingerprint(&finding("Dockerfile", 1, "m1"), &report, &opts);
        opts.sources
            .insert("Dockerfile".into(), "# added\n\n  FROM a:latest\n".into());
        let after =
            Fingerprinter::default().fingerprint(&finding("Dockerfile", 3, "m2"), &report, &opts);
        assert_eq!(before, after);
        assert_eq!(before.len(), 64);
        assert!(before.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[test]
    fn repeated_findings_get_distinct_fingerprints() {
        let report = Report::new(ToolInfo::dockguard("0"), vec![], vec![]);
        let opts = RenderOptions::default();
        let mut fp = Fingerprinter::default();
        let a = fp.fingerprint(&finding("Dockerfile", 1, "same"), &report, &opts);
        let b = fp.fingerprint(&finding("Dockerfile", 2, "same"), &report, &opts);
        assert_ne!(a, b);
    }

    #[test]
    fn source_line_ignores_out_of_range_and_zero_lines() {
        let mut opts = RenderOptions::default();
        opts.sources.insert("f".into(), "one\r\ntwo".into());
        assert_eq!(source_line(&finding("f", 2, ""), &opts), Some("two"));
        assert_eq!(source_line(&finding("f", 1, ""), &opts), Some("one"));
        assert_eq!(source_line(&finding("f", 3, ""), &opts), None);
        assert_eq!(source_line(&finding("f", 0, ""), &opts), None);
        assert_eq!(source_line(&finding("g", 1, ""), &opts), None);
    }
}

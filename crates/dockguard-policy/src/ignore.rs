//! Ignore files: `.dockguardignore` (TOML or YAML), `.trivyignore` and `.trivyignore.yaml`.

use crate::date::Date;
use crate::purl::Purl;
use crate::{read_bounded, Error};
use dockguard_core::Finding;
use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use std::path::Path;

/// The ignore files looked for in a directory, in the order they are read.
pub const IGNORE_FILES: [&str; 4] = [
    ".dockguardignore",
    ".trivyignore",
    ".trivyignore.yaml",
    ".trivyignore.yml",
];

/// One entry of an ignore file.
#[derive(Debug, Clone)]
pub struct IgnoreRule {
    /// Finding id or alias (`CVE-…`, `GHSA-…`, `DL3008`, a secret rule id), compared
    /// case-insensitively with the finding's id and its references.
    pub id: String,
    /// Globs on the finding's path; empty means everywhere.
    pub paths: Vec<String>,
    /// Package names (globs) or purls; empty means every package (and findings without one).
    pub packages: Vec<String>,
    pub reason: Option<String>,
    /// The first day the entry no longer applies.
    pub expires: Option<Date>,
    /// `FILE:LINE` or `FILE entry N`, for messages.
    pub origin: String,
    path_globs: Vec<GlobMatcher>,
    package_matchers: Vec<PackageMatcher>,
}

#[derive(Debug, Clone)]
enum PackageMatcher {
    Purl(Purl),
    Name(GlobMatcher),
}

impl IgnoreRule {
    /// Builds a rule, compiling its globs; `origin` names where it came from in errors.
    pub fn new(
        id: &str,
        paths: Vec<String>,
        packages: Vec<String>,
        reason: Option<String>,
        expires: Option<Date>,
        origin: String,
    ) -> Result<IgnoreRule, String> {
        let id = id.trim();
        if id.is_empty() {
            return Err("entry without an id".to_string());
        }
        let path_globs = paths
            .iter()
            .map(|p| glob(p.trim_start_matches('/')))
            .collect::<Result<_, _>>()?;
        let package_matchers = packages
            .iter()
            .map(|p| {
                if p.starts_with("pkg:") {
                    Purl::parse(p)
                        .map(PackageMatcher::Purl)
                        .ok_or_else(|| format!("invalid purl '{p}'"))
                } else {
                    glob(p).map(PackageMatcher::Name)
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(IgnoreRule {
            id: id.to_string(),
            paths,
            packages,
            reason: reason.filter(|r| !r.trim().is_empty()),
            expires,
            origin,
            path_globs,
            package_matchers,
        })
    }

    /// Whether the entry has expired on `today`.
    pub fn expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|e| today >= e)
    }

    /// Whether the entry names `finding` (expiry aside).
    pub fn matches(&self, finding: &Finding) -> bool {
        if !crate::names_vuln(finding, &self.id) {
            return false;
        }
        if !self.path_globs.is_empty() {
            let Some(path) = finding.location.path.as_deref() else {
                return false;
            };
            let path = path.trim_start_matches('/');
            if !self.path_globs.iter().any(|g| g.is_match(path)) {
                return false;
            }
        }
        if !self.package_matchers.is_empty() {
            let Some(pkg) = &finding.package else {
                return false;
            };
            let purl = pkg.purl.as_deref().and_then(Purl::parse);
            let hit = self.package_matchers.iter().any(|m| match m {
                PackageMatcher::Purl(p) => purl.as_ref().is_some_and(|f| p.covers(f)),
                PackageMatcher::Name(g) => g.is_match(&pkg.name),
            });
            if !hit {
                return false;
            }
        }
        true
    }
}

fn glob(pattern: &str) -> Result<GlobMatcher, String> {
    Glob::new(pattern)
        .map(|g| g.compile_matcher())
        .map_err(|e| format!("invalid glob '{pattern}': {e}"))
}

/// Every ignore entry in effect, from any number of files.
#[derive(Debug, Clone, Default)]
pub struct Ignores {
    pub rules: Vec<IgnoreRule>,
}

impl Ignores {
    /// Reads the ignore files of [`IGNORE_FILES`] that exist in `dir`.
    pub fn discover(dir: &Path) -> Result<Ignores, Error> {
        let mut all = Ignores::default();
        for name in IGNORE_FILES {
            let path = dir.join(name);
            if path.is_file() {
                all.rules.extend(Ignores::load(&path)?.rules);
            }
        }
        Ok(all)
    }

    /// Reads one ignore file; its name picks the syntax (`.trivyignore` is one id per line,
    /// `*.yaml`/`*.yml` is YAML, anything else is a `.dockguardignore` in TOML or YAML).
    pub fn load(path: &Path) -> Result<Ignores, Error> {
        let text = read_bounded(path)?;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let shown = path.display().to_string();
        let err = |message: String| Error::Invalid {
            file: shown.clone(),
            message,
        };
        if name.starts_with(".trivyignore") && !(name.ends_with(".yaml") || name.ends_with(".yml"))
        {
            return parse_trivyignore(&text, &shown).map_err(err);
        }
        if name.starts_with(".trivyignore") {
            return parse_trivy_yaml(&text, &shown).map_err(err);
        }
        parse_dockguardignore(
            &text,
            &shown,
            name.ends_with(".yaml") || name.ends_with(".yml"),
        )
        .map_err(err)
    }
}

/// `.trivyignore`: an id per line, `# comments`, and an optional `exp:YYYY-MM-DD` after the id.
fn parse_trivyignore(text: &str, file: &str) -> Result<Ignores, String> {
    let mut rules = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split_once('#').map_or(line, |(l, _)| l).trim();
        if line.is_empty() {
            continue;
        }
        let mut words = line.split_whitespace();
        let id = words.next().unwrap_or_default();
        let mut expires = None;
        for w in words {
            match w.strip_prefix("exp:") {
                Some(d) => {
                    expires = Some(Date::parse(d).ok_or_else(|| {
                        format!(
                            "line {}: invalid expiry date '{d}' (expected YYYY-MM-DD)",
                            n + 1
                        )
                    })?)
                }
                None => return Err(format!("line {}: unexpected '{w}' after the id", n + 1)),
            }
        }
        rules.push(
            IgnoreRule::new(
                id,
                vec![],
                vec![],
                None,
                expires,
                format!("{file}:{}", n + 1),
            )
            .map_err(|e| format!("line {}: {e}", n + 1))?,
        );
    }
    Ok(Ignores { rules })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TrivyYaml {
    #[serde(default)]
    vulnerabilities: Vec<TrivyEntry>,
    #[serde(default)]
    misconfigurations: Vec<TrivyEntry>,
    #[serde(default)]
    secrets: Vec<TrivyEntry>,
    #[serde(default)]
    licenses: Vec<TrivyEntry>,
}

#[derive(Deserialize)]
struct TrivyEntry {
    id: String,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    purls: Vec<String>,
    statement: Option<String>,
    expired_at: Option<String>,
}

fn parse_trivy_yaml(text: &str, file: &str) -> Result<Ignores, String> {
    if text.trim().is_empty() {
        return Ok(Ignores::default());
    }
    let doc: TrivyYaml = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
    let mut rules = Vec::new();
    let sections = [
        ("vulnerabilities", doc.vulnerabilities),
        ("misconfigurations", doc.misconfigurations),
        ("secrets", doc.secrets),
        ("licenses", doc.licenses),
    ];
    for (section, entries) in sections {
        for (i, e) in entries.into_iter().enumerate() {
            let at = format!("{section}[{i}]");
            let expires = expiry(e.expired_at.as_deref()).map_err(|m| format!("{at}: {m}"))?;
            rules.push(
                IgnoreRule::new(
                    &e.id,
                    e.paths,
                    e.purls,
                    e.statement,
                    expires,
                    format!("{file} {at}"),
                )
                .map_err(|m| format!("{at}: {m}"))?,
            );
        }
    }
    Ok(Ignores { rules })
}

#[derive(Deserialize)]
struct DockguardIgnore {
    #[serde(default)]
    ignore: Vec<DockguardEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DockguardEntry {
    id: String,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    packages: Vec<String>,
    reason: Option<String>,
    expires: Option<String>,
}

fn parse_dockguardignore(text: &str, file: &str, yaml: bool) -> Result<Ignores, String> {
    let doc: DockguardIgnore = if yaml || !looks_like_toml(text) {
        if text.trim().is_empty() {
            return Ok(Ignores::default());
        }
        serde_saphyr::from_str(text).map_err(|e| format!("YAML: {e}"))?
    } else {
        let mut table: toml::Table = toml::from_str(text).map_err(|e| format!("TOML: {e}"))?;
        // An unquoted TOML date is a datetime value, not a string; accept both spellings.
        stringify_dates(&mut table);
        toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| format!("TOML: {e}"))?
    };
    let mut rules = Vec::new();
    for (i, e) in doc.ignore.into_iter().enumerate() {
        let at = format!("ignore[{i}]");
        let expires = expiry(e.expires.as_deref()).map_err(|m| format!("{at}: {m}"))?;
        rules.push(
            IgnoreRule::new(
                &e.id,
                e.paths,
                e.packages,
                e.reason,
                expires,
                format!("{file} {at} ({})", e.id),
            )
            .map_err(|m| format!("{at}: {m}"))?,
        );
    }
    Ok(Ignores { rules })
}

/// TOML files of ours start with `[[ignore]]` (after comments); YAML ones never with `[[`.
fn looks_like_toml(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_none_or(|l| l.starts_with("[[") || l.starts_with("ignore ="))
}

fn stringify_dates(table: &mut toml::Table) {
    for (_, v) in table.iter_mut() {
        stringify_value(v);
    }
}

fn stringify_value(v: &mut toml::Value) {
    match v {
        toml::Value::Datetime(d) => *v = toml::Value::String(d.to_string()),
        toml::Value::Array(a) => a.iter_mut().for_each(stringify_value),
        toml::Value::Table(t) => stringify_dates(t),
        _ => {}
    }
}

fn expiry(text: Option<&str>) -> Result<Option<Date>, String> {
    match text {
        None => Ok(None),
        Some(t) => Date::parse(t).map(Some).ok_or_else(|| {
            format!("invalid expiry date '{t}' (expected an RFC 3339 date, YYYY-MM-DD)")
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dockguard_core::{FindingKind, Location, PackageRef, Severity};

    fn vuln(id: &str, pkg: &str, path: &str) -> Finding {
        let mut f = Finding::new(
            id,
            FindingKind::Vulnerability,
            Severity::High,
            "t",
            "m",
            Location::file(path),
        );
        f.package = Some(PackageRef {
            name: pkg.to_string(),
            version: "1.0".to_string(),
            ecosystem: None,
            purl: Some(format!("pkg:deb/debian/{pkg}@1.0?arch=amd64")),
        });
        f.references = vec!["GHSA-aaaa-bbbb-cccc".to_string()];
        f
    }

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn trivyignore_lines_comments_and_expiry() {
        let ign = parse_trivyignore(
            "# accepted\nCVE-2023-0001\n\n  CVE-2023-0002 exp:2025-01-01 # until the rebuild\n",
            ".trivyignore",
        )
        .unwrap();
        assert_eq!(ign.rules.len(), 2);
        assert_eq!(ign.rules[1].expires, Some(day("2025-01-01")));
        assert_eq!(ign.rules[1].origin, ".trivyignore:4");
        assert!(!ign.rules[1].expired(day("2024-12-31")));
        assert!(ign.rules[1].expired(day("2025-01-01")));
        let err = parse_trivyignore("CVE-1 exp:soon\n", "f").unwrap_err();
        assert!(err.contains("line 1") && err.contains("soon"), "{err}");
    }

    #[test]
    fn dockguardignore_in_toml_and_yaml_scopes_by_path_and_package() {
        let toml_text = r#"
# accepted risks
[[ignore]]
id = "cve-2023-0001"
packages = ["libssl*"]
paths = ["var/lib/dpkg/**"]
reason = "not reachable"
expires = 2030-01-01
"#;
        let yaml_text = "ignore:\n  - id: CVE-2023-0001\n    packages: [libssl*]\n    paths: ['var/lib/dpkg/**']\n    reason: not reachable\n    expires: '2030-01-01'\n";
        for (text, yaml) in [(toml_text, false), (yaml_text, true)] {
            let ign = parse_dockguardignore(text, ".dockguardignore", yaml).unwrap();
            let rule = &ign.rules[0];
            assert_eq!(rule.expires, Some(day("2030-01-01")));
            assert_eq!(rule.reason.as_deref(), Some("not reachable"));
            assert!(rule.matches(&vuln("CVE-2023-0001", "libssl3", "/var/lib/dpkg/status")));
            assert!(!rule.matches(&vuln("CVE-2023-0001", "zlib1g", "/var/lib/dpkg/status")));
            assert!(!rule.matches(&vuln("CVE-2023-0001", "libssl3", "/usr/lib/x")));
            assert!(!rule.matches(&vuln("CVE-2023-0002", "libssl3", "/var/lib/dpkg/status")));
        }
        // YAML without the .yaml extension is detected too.
        assert_eq!(
            parse_dockguardignore(yaml_text, ".dockguardignore", false)
                .unwrap()
                .rules
                .len(),
            1
        );
    }

    #[test]
    fn aliases_and_purls_match() {
        let rule = IgnoreRule::new(
            "GHSA-AAAA-BBBB-CCCC",
            vec![],
            vec!["pkg:deb/debian/libssl3".to_string()],
            None,
            None,
            "t".to_string(),
        )
        .unwrap();
        assert!(rule.matches(&vuln("CVE-9", "libssl3", "p")));
        assert!(!rule.matches(&vuln("CVE-9", "libssl1", "p")));
    }

    #[test]
    fn trivy_yaml_sections() {
        let text = "vulnerabilities:\n  - id: CVE-1\n    purls: ['pkg:deb/debian/libssl3']\n    statement: vendor says so\n    expired_at: 2024-01-01\nsecrets:\n  - id: aws-access-key-id\n    paths: ['etc/**']\n";
        let ign = parse_trivy_yaml(text, ".trivyignore.yaml").unwrap();
        assert_eq!(ign.rules.len(), 2);
        assert_eq!(ign.rules[0].reason.as_deref(), Some("vendor says so"));
        assert!(ign.rules[0].expired(day("2024-06-01")));
        assert_eq!(ign.rules[1].paths, vec!["etc/**"]);
    }

    #[test]
    fn bad_entries_name_what_is_wrong() {
        let e = parse_dockguardignore("[[ignore]]\nid = \"X\"\nexpires = \"later\"\n", "f", false)
            .unwrap_err();
        assert!(e.contains("ignore[0]") && e.contains("later"), "{e}");
        let e = parse_dockguardignore("[[ignore]]\nid = \"X\"\npaths = [\"a[\"]\n", "f", false)
            .unwrap_err();
        assert!(e.contains("invalid glob"), "{e}");
        let e = parse_dockguardignore("[[ignore]]\nidd = \"X\"\n", "f", false).unwrap_err();
        assert!(e.contains("TOML"), "{e}");
        let e = parse_dockguardignore("ignore: [{id: ''}]\n", "f", true).unwrap_err();
        assert!(e.contains("without an id"), "{e}");
    }
}

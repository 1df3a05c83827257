//! Ruby: installed gems (`specifications/*.gemspec`, the Ruby files RubyGems generates) and, in
//! `dir:` scans, `Gemfile.lock`.

use crate::text::lossy;
use crate::{file_name, location, parent, CatalogError, Cataloger};
use dockguard_core::{Package, PackageKind};

pub struct GemspecCataloger;

impl Cataloger for GemspecCataloger {
    fn name(&self) -> &'static str {
        "gemspec"
    }

    fn wants(&self, path: &str) -> bool {
        file_name(path).ends_with(".gemspec") && file_name(parent(path)) == "specifications"
    }

    fn max_size(&self) -> u64 {
        1 << 20
    }

    fn parse(&self, path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
        parse_gemspec(path, content).map(|p| p.into_iter().collect())
    }
}

/// Quoted strings in `s` (single or double quotes, no escapes needed for names/versions).
fn quoted(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(['"', '\'']) {
        let q = rest.as_bytes()[i] as char;
        let after = &rest[i + 1..];
        let Some(j) = after.find(q) else { break };
        out.push(&after[..j]);
        rest = &after[j + 1..];
    }
    out
}

/// Reads `s.name = "…"`, `s.version = "…"`, `s.licenses = [...]` without evaluating Ruby.
pub fn parse_gemspec(path: &str, content: &[u8]) -> Result<Option<Package>, CatalogError> {
    let text = lossy(content);
    let (mut name, mut version, mut licenses) = (None, None, Vec::new());
    for line in text.lines() {
        let l = line.trim();
        let Some((lhs, rhs)) = l.split_once('=') else {
            continue;
        };
        let attr = lhs.trim().rsplit('.').next().unwrap_or("");
        match attr {
            "name" if name.is_none() => name = quoted(rhs).first().map(|s| s.to_string()),
            "version" if version.is_none() => version = quoted(rhs).first().map(|s| s.to_string()),
            "licenses" | "license" => licenses.extend(quoted(rhs).into_iter().map(str::to_string)),
            _ => {}
        }
    }
    let (Some(name), Some(version)) = (name, version) else {
        return Err(CatalogError::new(
            path,
            "gemspec without s.name and s.version",
        ));
    };
    let mut p = Package::new(PackageKind::Gem, name, version);
    p.licenses = licenses;
    p.locations.push(location(path));
    Ok(Some(p))
}

pub struct GemfileLockCataloger;

impl Cataloger for GemfileLockCataloger {
    fn name(&self) -> &'static str {
        "gemfile-lock"
    }

    fn wants(&self, path: &str) -> bool {
        file_name(path) == "Gemfile.lock"
    }

    fn parse(&self, path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
        parse_gemfile_lock(path, content)
    }
}

/// Gems in the `specs:` blocks of the GEM (and GIT/PATH) sections: `    name (version)` at
/// exactly four spaces; deeper lines are their dependency constraints.
pub fn parse_gemfile_lock(path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
    let text = lossy(content);
    let mut out = Vec::new();
    let mut in_specs = false;
    let mut saw_section = false;
    for line in text.lines() {
        if !line.starts_with(' ') {
            in_specs = false;
            saw_section |= matches!(line.trim(), "GEM" | "GIT" | "PATH");
            continue;
        }
        if line.trim() == "specs:" {
            in_specs = true;
            continue;
        }
        if !in_specs || !line.starts_with("    ") || line.starts_with("     ") {
            continue;
        }
        let l = line.trim();
        let Some((name, rest)) = l.split_once(" (") else {
            continue;
        };
        let Some(ver) = rest.strip_suffix(')') else {
            continue;
        };
        let mut p = Package::new(PackageKind::Gem, name, ver);
        p.locations.push(location(path));
        out.push(p);
    }
    if !saw_section {
        return Err(CatalogError::new(
            path,
            "no GEM, GIT or PATH section: not a Gemfile.lock",
        ));
    }
    Ok(out)
}

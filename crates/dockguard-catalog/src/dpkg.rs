//! dpkg: `var/lib/dpkg/status`, distroless `var/lib/dpkg/status.d/<package>` (one stanza per
//! file, no `Status:` needed) and licences from DEP-5 `usr/share/doc/<package>/copyright`.

use crate::text::{lossy, stanzas, Stanza};
use crate::{file_name, location, parent, path_is, CatalogError, Cataloger};
use dockguard_core::{Package, PackageKind};

pub struct DpkgCataloger;

impl Cataloger for DpkgCataloger {
    fn name(&self) -> &'static str {
        "dpkg"
    }

    fn wants(&self, path: &str) -> bool {
        path_is(path, "var/lib/dpkg/status") || is_status_d(path)
    }

    fn parse(&self, path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
        parse_status(path, content, is_status_d(path))
    }
}

fn is_status_d(path: &str) -> bool {
    let name = file_name(path);
    // Distroless keeps `<pkg>.md5sums` beside each stanza file; those are not stanzas.
    path_is(parent(path), "var/lib/dpkg/status.d")
        && !name.is_empty()
        && !name.starts_with('.')
        && !name.ends_with(".md5sums")
        && !name.ends_with(".list")
        && !name.ends_with(".conffiles")
}

/// Packages in a status file. `relaxed` accepts stanzas without `Status:` (distroless writes
/// only installed packages and sometimes omits it).
pub fn parse_status(
    path: &str,
    content: &[u8],
    relaxed: bool,
) -> Result<Vec<Package>, CatalogError> {
    let text = lossy(content);
    let all = stanzas(&text);
    let mut out = Vec::new();
    let mut bad = 0usize;
    for st in &all {
        match package(path, st, relaxed) {
            Some(p) => out.push(p),
            None if st.malformed || st.get("Package").is_none() => bad += 1,
            None => {}
        }
    }
    if out.is_empty() && bad > 0 {
        return Err(CatalogError::new(
            path,
            format!("not a dpkg status file: {bad} stanza(s) without a valid Package field"),
        ));
    }
    Ok(out)
}

fn installed(st: &Stanza, relaxed: bool) -> bool {
    match st.get("Status") {
        // `want flag status`: only the third word says what is on disk.
        Some(s) => s.split_whitespace().nth(2) == Some("installed"),
        None => relaxed,
    }
}

fn package(path: &str, st: &Stanza, relaxed: bool) -> Option<Package> {
    let name = st.get("Package")?.trim();
    let version = st.get("Version")?.trim();
    if name.is_empty()
        || version.is_empty()
        || name.contains(char::is_whitespace)
        || !installed(st, relaxed)
    {
        return None;
    }
    let mut p = Package::new(PackageKind::Deb, name, version);
    p.arch = st
        .get("Architecture")
        .map(str::to_string)
        .filter(|a| !a.is_empty());
    let (src, src_ver) = match st.get("Source") {
        // `Source: util-linux (2.38.1-5)` when the binary was rebuilt (binNMU) or renamed.
        Some(s) => match s.split_once('(') {
            Some((n, v)) => (
                n.trim().to_string(),
                v.trim_end_matches(')').trim().to_string(),
            ),
            None => (s.trim().to_string(), version.to_string()),
        },
        None => (name.to_string(), version.to_string()),
    };
    p.source_name = Some(src);
    p.source_version = Some(src_ver);
    if let Some(size) = st.get("Installed-Size") {
        p.metadata
            .insert("installed_size_kib".into(), size.to_string());
    }
    if let Some(m) = st.get("Maintainer") {
        p.metadata.insert("maintainer".into(), m.to_string());
    }
    p.locations.push(location(path));
    Some(p)
}

/// The package a `usr/share/doc/<package>/copyright` file belongs to.
pub fn copyright_package(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("usr/share/doc/")?;
    let (pkg, file) = rest.split_once('/')?;
    (file == "copyright" && !pkg.is_empty()).then_some(pkg)
}

/// Licence short names from the `License:` fields of a DEP-5 copyright file, de-duplicated in
/// first-seen order. Free-form (pre-DEP-5) files yield nothing rather than guesses.
pub fn parse_copyright(content: &[u8]) -> Vec<String> {
    let text = lossy(&content[..content.len().min(1 << 20)]);
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("License:") else {
            continue;
        };
        let lic = rest.trim();
        if lic.is_empty() || lic.len() > 200 {
            continue;
        }
        if !out.iter().any(|l| l == lic) {
            out.push(lic.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_with_version_and_status() {
        let s = b"Package: bsdutils\nStatus: install ok installed\nArchitecture: amd64\nSource: util-linux (2.38.1-5+deb12u3)\nVersion: 1:2.38.1-5+deb12u3\nInstalled-Size: 356\n\nPackage: gone\nStatus: deinstall ok config-files\nVersion: 1\n";
        let p = parse_status("var/lib/dpkg/status", s, false).unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].source_name.as_deref(), Some("util-linux"));
        assert_eq!(p[0].source_version.as_deref(), Some("2.38.1-5+deb12u3"));
        assert_eq!(p[0].metadata["installed_size_kib"], "356");
        assert_eq!(
            p[0].locations[0].path.as_deref(),
            Some("/var/lib/dpkg/status")
        );
    }

    #[test]
    fn wants_paths() {
        let c = DpkgCataloger;
        assert!(c.wants("var/lib/dpkg/status"));
        assert!(c.wants("var/lib/dpkg/status.d/libc6"));
        assert!(!c.wants("var/lib/dpkg/status.d/libc6.md5sums"));
        assert!(!c.wants("var/lib/dpkg/status-old"));
        assert_eq!(
            copyright_package("usr/share/doc/bash/copyright"),
            Some("bash")
        );
        assert_eq!(copyright_package("usr/share/doc/bash/x/copyright"), None);
    }
}

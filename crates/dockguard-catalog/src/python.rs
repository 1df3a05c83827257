//! Python: installed distributions (`*.dist-info/METADATA`, `*.egg-info/PKG-INFO`, single-file
//! `*.egg-info`) and, in `dir:` scans, `poetry.lock`, `Pipfile.lock` and pinned
//! `requirements*.txt`.

use crate::text::{headers, lossy};
use crate::{file_name, location, parent, CatalogError, Cataloger};
use dockguard_core::{Package, PackageKind};

pub struct PythonCataloger;

impl Cataloger for PythonCataloger {
    fn name(&self) -> &'static str {
        "python"
    }

    fn wants(&self, path: &str) -> bool {
        let name = file_name(path);
        let dir = file_name(parent(path));
        (name == "METADATA" && dir.ends_with(".dist-info"))
            || (name == "PKG-INFO" && dir.ends_with(".egg-info"))
            || name.ends_with(".egg-info")
    }

    fn max_size(&self) -> u64 {
        8 << 20
    }

    fn parse(&self, path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
        parse_metadata(path, content).map(|p| p.into_iter().collect())
    }
}

/// PEP 503 normalised name: lower case, runs of `-`, `_`, `.` become one `-`. Use it to
/// compare names; packages keep the name their metadata declares.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
            continue;
        }
        if sep && !out.is_empty() {
            out.push('-');
        }
        sep = false;
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// One distribution from core metadata. `Ok(None)` when the file lacks a name or version
/// (e.g. an egg-info built from an unversioned checkout), which is not an error.
pub fn parse_metadata(path: &str, content: &[u8]) -> Result<Option<Package>, CatalogError> {
    let text = lossy(content);
    let h = headers(&text);
    if h.fields.is_empty() {
        return Err(CatalogError::new(
            path,
            "no core-metadata headers (Name:, Version:)",
        ));
    }
    let (Some(name), Some(version)) = (h.get("Name"), h.get("Version")) else {
        return Ok(None);
    };
    if name.is_empty() || version.is_empty() {
        return Ok(None);
    }
    let mut p = Package::new(PackageKind::Python, name, version);
    // Newer metadata has an SPDX expression; older a free-text field or only classifiers.
    if let Some(l) = h.get("License-Expression").filter(|l| !l.is_empty()) {
        p.licenses.push(l.to_string());
    } else if let Some(l) = h
        .get("License")
        .filter(|l| !l.is_empty() && *l != "UNKNOWN" && !l.contains('\n') && l.len() <= 100)
    {
        p.licenses.push(l.to_string());
    } else {
        for c in h.get_all("Classifier") {
            if let Some(l) = c.strip_prefix("License :: ") {
                let l = l.rsplit(" :: ").next().unwrap_or(l).to_string();
                if !p.licenses.contains(&l) {
                    p.licenses.push(l);
                }
            }
        }
    }
    p.locations.push(location(path));
    Ok(Some(p))
}

/// Lock files and pinned requirements, for `dir:` scans.
pub struct PythonLockCataloger;

impl Cataloger for PythonLockCataloger {
    fn name(&self) -> &'static str {
        "python-lock"
    }

    fn wants(&self, path: &str) -> bool {
        let name = file_name(path);
        name == "poetry.lock"
            || name == "Pipfile.lock"
            || (name.starts_with("requirements") && name.ends_with(".txt"))
    }

    fn max_size(&self) -> u64 {
        16 << 20
    }

    fn parse(&self, path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
        match file_name(path) {
            "poetry.lock" => parse_poetry_lock(path, content),
            "Pipfile.lock" => parse_pipfile_lock(path, content),
            _ => Ok(parse_requirements(path, content)),
        }
    }
}

fn lock_pkg(path: &str, name: &str, version: &str) -> Package {
    let mut p = Package::new(PackageKind::Python, name, version);
    p.locations.push(location(path));
    p
}

pub fn parse_poetry_lock(path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
    #[derive(serde::Deserialize)]
    struct Lock {
        #[serde(default)]
        package: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        name: String,
        version: String,
    }
    let text = std::str::from_utf8(content)
        .map_err(|e| CatalogError::new(path, format!("not UTF-8: {e}")))?;
    let lock: Lock = toml::from_str(text)
        .map_err(|e| CatalogError::new(path, format!("invalid poetry.lock: {e}")))?;
    Ok(lock
        .package
        .iter()
        .map(|e| lock_pkg(path, &e.name, &e.version))
        .collect())
}

pub fn parse_pipfile_lock(path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
    let v: serde_json::Value = serde_json::from_slice(content)
        .map_err(|e| CatalogError::new(path, format!("invalid JSON: {e}")))?;
    let mut out = Vec::new();
    for section in ["default", "develop"] {
        let Some(map) = v.get(section).and_then(|s| s.as_object()) else {
            continue;
        };
        for (name, info) in map {
            if let Some(ver) = info
                .get("version")
                .and_then(|v| v.as_str())
                .and_then(|v| v.strip_prefix("=="))
            {
                let mut p = lock_pkg(path, name, ver);
                if section == "develop" {
                    p.metadata.insert("dev".into(), "true".into());
                }
                out.push(p);
            }
        }
    }
    Ok(out)
}

/// Only exactly pinned requirements (`name==version`, `name===version`) name a version; ranges,
/// URLs and options are skipped because no single installed version follows from them.
pub fn parse_requirements(path: &str, content: &[u8]) -> Vec<Package> {
    let text = lossy(content);
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.split(" #").next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with('-') {
            continue;
        }
        let line = line.split(';').next().unwrap_or("").trim();
        let Some((name, ver)) = line.split_once("==") else {
            continue;
        };
        let ver = ver.trim_start_matches('=').trim();
        let name = name.split('[').next().unwrap_or("").trim();
        if name.is_empty()
            || ver.is_empty()
            || ver.contains(|c: char| c.is_whitespace() || c == ',' || c == '*')
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            continue;
        }
        out.push(lock_pkg(path, name, ver));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep503() {
        assert_eq!(normalize_name("Jinja2"), "jinja2");
        assert_eq!(normalize_name("zope.interface"), "zope-interface");
        assert_eq!(normalize_name("Foo__Bar-.baz"), "foo-bar-baz");
    }

    #[test]
    fn requirements_only_pinned() {
        let r = b"# c\nDjango==2.2 # lts\nrequests>=2\nPyYAML[ext]==5.3 ; python_version>'3'\n-r other.txt\nfoo==1.*\n";
        let p = parse_requirements("requirements.txt", r);
        let got: Vec<_> = p
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str()))
            .collect();
        assert_eq!(got, [("Django", "2.2"), ("PyYAML", "5.3")]);
    }
}

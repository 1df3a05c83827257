//! npm: installed packages (`node_modules/**/package.json`) and, in `dir:` scans,
//! `package-lock.json` (lockfileVersion 1, 2 and 3).

use crate::{file_name, location, CatalogError, Cataloger};
use dockguard_core::{Package, PackageKind};
use serde_json::Value;

pub struct NpmPackageCataloger;

impl Cataloger for NpmPackageCataloger {
    fn name(&self) -> &'static str {
        "npm"
    }

    fn wants(&self, path: &str) -> bool {
        file_name(path) == "package.json"
    }

    fn max_size(&self) -> u64 {
        4 << 20
    }

    fn parse(&self, path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
        parse_package_json(path, content).map(|p| p.into_iter().collect())
    }
}

fn in_node_modules(path: &str) -> bool {
    path.split('/').any(|c| c == "node_modules")
}

/// Licence from `license` (string or `{type}`) or the deprecated `licenses` array.
fn licenses(v: &Value) -> Vec<String> {
    let one = |l: &Value| match l {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("type").and_then(|t| t.as_str()).map(str::to_string),
        _ => None,
    };
    if let Some(l) = v.get("license").and_then(one) {
        return vec![l];
    }
    match v.get("licenses") {
        Some(Value::Array(a)) => a.iter().filter_map(one).collect(),
        Some(l) => one(l).into_iter().collect(),
        None => vec![],
    }
}

/// One package from a `package.json`. Outside `node_modules`, a `"private": true` manifest is
/// the application's own project, not something installed from the registry: skipped.
pub fn parse_package_json(path: &str, content: &[u8]) -> Result<Option<Package>, CatalogError> {
    let v: Value = serde_json::from_slice(content)
        .map_err(|e| CatalogError::new(path, format!("invalid JSON: {e}")))?;
    let (Some(name), Some(version)) = (
        v.get("name").and_then(|n| n.as_str()),
        v.get("version").and_then(|n| n.as_str()),
    ) else {
        // Test fixtures and build-tool configs inside packages often lack name or version.
        return Ok(None);
    };
    if name.is_empty() || version.is_empty() {
        return Ok(None);
    }
    if !in_node_modules(path) && v.get("private").and_then(|p| p.as_bool()) == Some(true) {
        return Ok(None);
    }
    let mut p = Package::new(PackageKind::Npm, name, version);
    p.licenses = licenses(&v);
    p.locations.push(location(path));
    Ok(Some(p))
}

pub struct PackageLockCataloger;

impl Cataloger for PackageLockCataloger {
    fn name(&self) -> &'static str {
        "npm-lock"
    }

    fn wants(&self, path: &str) -> bool {
        file_name(path) == "package-lock.json"
    }

    fn max_size(&self) -> u64 {
        64 << 20
    }

    fn parse(&self, path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
        parse_package_lock(path, content)
    }
}

/// Packages in a lock file. v2/v3 `packages` (keyed by install path) is preferred; v1 has only
/// the nested `dependencies` tree. Links to workspace folders are not registry packages.
pub fn parse_package_lock(path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
    let v: Value = serde_json::from_slice(content)
        .map_err(|e| CatalogError::new(path, format!("invalid JSON: {e}")))?;
    let mut out = Vec::new();
    if let Some(pkgs) = v.get("packages").and_then(|p| p.as_object()) {
        for (key, info) in pkgs {
            // "" is the root project; workspace members are keyed by their folder.
            let Some(idx) = key.rfind("node_modules/") else {
                continue;
            };
            if info.get("link").and_then(|l| l.as_bool()) == Some(true) {
                continue;
            }
            let name = info
                .get("name")
                .and_then(|n| n.as_str())
                .unwrap_or(&key[idx + "node_modules/".len()..]);
            let Some(version) = info.get("version").and_then(|n| n.as_str()) else {
                continue;
            };
            out.push(lock_pkg(path, name, version, info));
        }
        return Ok(out);
    }
    fn walk(
        path: &str,
        deps: &serde_json::Map<String, Value>,
        out: &mut Vec<Package>,
        depth: usize,
    ) {
        if depth > 64 {
            return;
        }
        for (name, info) in deps {
            if let Some(version) = info.get("version").and_then(|n| n.as_str()) {
                // `file:` versions point at local folders, not registry releases.
                if !version.starts_with("file:") {
                    out.push(lock_pkg(path, name, version, info));
                }
            }
            if let Some(nested) = info.get("dependencies").and_then(|d| d.as_object()) {
                walk(path, nested, out, depth + 1);
            }
        }
    }
    if let Some(deps) = v.get("dependencies").and_then(|d| d.as_object()) {
        walk(path, deps, &mut out, 0);
    }
    Ok(out)
}

fn lock_pkg(path: &str, name: &str, version: &str, info: &Value) -> Package {
    let mut p = Package::new(PackageKind::Npm, name, version);
    p.licenses = licenses(info);
    if info.get("dev").and_then(|d| d.as_bool()) == Some(true) {
        p.metadata.insert("dev".into(), "true".into());
    }
    p.locations.push(location(path));
    p
}

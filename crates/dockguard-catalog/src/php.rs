//! PHP Composer: installed packages (`vendor/composer/installed.json`, v1 array or v2 object)
//! and, in `dir:` scans, `composer.lock`.

use crate::{file_name, location, path_is, CatalogError, Cataloger};
use dockguard_core::{Package, PackageKind};
use serde_json::Value;

pub struct InstalledJsonCataloger;

impl Cataloger for InstalledJsonCataloger {
    fn name(&self) -> &'static str {
        "composer-installed"
    }

    fn wants(&self, path: &str) -> bool {
        path_is(path, "vendor/composer/installed.json")
    }

    fn parse(&self, path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
        parse_composer(path, content)
    }
}

pub struct ComposerLockCataloger;

impl Cataloger for ComposerLockCataloger {
    fn name(&self) -> &'static str {
        "composer-lock"
    }

    fn wants(&self, path: &str) -> bool {
        file_name(path) == "composer.lock"
    }

    fn parse(&self, path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
        parse_composer(path, content)
    }
}

/// Packages from any of the three shapes: a bare array (installed.json v1), `{"packages"}`
/// (installed.json v2), `{"packages", "packages-dev"}` (composer.lock).
pub fn parse_composer(path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
    let v: Value = serde_json::from_slice(content)
        .map_err(|e| CatalogError::new(path, format!("invalid JSON: {e}")))?;
    let mut lists: Vec<(&Value, bool)> = Vec::new();
    match &v {
        Value::Array(_) => lists.push((&v, false)),
        Value::Object(o) => {
            if let Some(p) = o.get("packages") {
                lists.push((p, false));
            }
            if let Some(p) = o.get("packages-dev") {
                lists.push((p, true));
            }
        }
        _ => {}
    }
    if lists.is_empty() {
        return Err(CatalogError::new(
            path,
            "no package list (expected an array or a \"packages\" key)",
        ));
    }
    let mut out = Vec::new();
    for (list, dev) in lists {
        for e in list.as_array().map(Vec::as_slice).unwrap_or_default() {
            let (Some(name), Some(version)) = (
                e.get("name").and_then(|n| n.as_str()),
                e.get("version").and_then(|n| n.as_str()),
            ) else {
                continue;
            };
            let mut p = Package::new(PackageKind::Composer, name, version);
            if let Some(l) = e.get("license") {
                match l {
                    Value::Array(a) => {
                        p.licenses = a
                            .iter()
                            .filter_map(|x| x.as_str().map(str::to_string))
                            .collect()
                    }
                    Value::String(s) => p.licenses.push(s.clone()),
                    _ => {}
                }
            }
            if dev || e.get("dev-requirement").and_then(|d| d.as_bool()) == Some(true) {
                p.metadata.insert("dev".into(), "true".into());
            }
            p.locations.push(location(path));
            out.push(p);
        }
    }
    Ok(out)
}

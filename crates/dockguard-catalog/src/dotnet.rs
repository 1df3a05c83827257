//! .NET: NuGet packages listed in `*.deps.json` (the runtime dependency manifest next to every
//! framework-dependent or self-contained application).

use crate::{file_name, location, CatalogError, Cataloger};
use dockguard_core::{Package, PackageKind};
use serde_json::Value;

pub struct DepsJsonCataloger;

impl Cataloger for DepsJsonCataloger {
    fn name(&self) -> &'static str {
        "dotnet-deps"
    }

    fn wants(&self, path: &str) -> bool {
        file_name(path).ends_with(".deps.json")
    }

    fn max_size(&self) -> u64 {
        16 << 20
    }

    fn parse(&self, path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
        parse_deps_json(path, content)
    }
}

/// `libraries` entries of type `package` (`Name/Version` keys). `project` entries are the
/// application's own assemblies and `reference` ones are framework assemblies.
pub fn parse_deps_json(path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
    let v: Value = serde_json::from_slice(content)
        .map_err(|e| CatalogError::new(path, format!("invalid JSON: {e}")))?;
    let Some(libs) = v.get("libraries").and_then(|l| l.as_object()) else {
        if v.get("targets").is_some() || v.get("runtimeTarget").is_some() {
            return Ok(Vec::new());
        }
        return Err(CatalogError::new(
            path,
            "no \"libraries\" or \"targets\": not a deps.json",
        ));
    };
    let mut out = Vec::new();
    for (key, info) in libs {
        if info.get("type").and_then(|t| t.as_str()) != Some("package") {
            continue;
        }
        let Some((name, version)) = key.split_once('/') else {
            continue;
        };
        let mut p = Package::new(PackageKind::Nuget, name, version);
        if let Some(s) = info.get("sha512").and_then(|s| s.as_str()) {
            p.metadata.insert("sha512".into(), s.to_string());
        }
        p.locations.push(location(path));
        out.push(p);
    }
    Ok(out)
}

//! Rust: dependency lists embedded by cargo-auditable (`.dep-v0`) in binaries and, in `dir:`
//! scans, `Cargo.lock`. Local crates (the binary's own root crate, workspace members) are
//! reported but marked unmatchable: their names may collide with unrelated crates.io crates.

use crate::{file_name, location, CatalogError, Cataloger};
use dockguard_core::{Package, PackageKind};

/// cargo-auditable data of real binaries is a few KiB; this stops zip bombs.
const MAX_AUDIT_JSON: usize = 8 << 20;

pub struct AuditableCataloger;

impl Cataloger for AuditableCataloger {
    fn name(&self) -> &'static str {
        "rust-auditable"
    }

    fn wants(&self, _path: &str) -> bool {
        false
    }

    fn magic(&self) -> Option<&'static [u8]> {
        Some(b"\x7fELF")
    }

    fn max_size(&self) -> u64 {
        512 << 20
    }

    fn parse(&self, path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
        let info = auditable_info::audit_info_from_slice(content, MAX_AUDIT_JSON)
            .map_err(|e| CatalogError::new(path, format!("cargo-auditable data: {e}")))?;
        let mut out = Vec::new();
        for dep in &info.packages {
            let mut p = Package::new(PackageKind::RustCrate, &dep.name, dep.version.to_string());
            let source: String = dep.source.clone().into();
            if dep.source == auditable_serde::Source::Local {
                p.unmatchable = Some(if dep.root {
                    "the binary's own crate (source: local), not a crates.io release".into()
                } else {
                    "local workspace crate (source: local)".into()
                });
            }
            p.metadata.insert("source".into(), source);
            if dep.kind == auditable_serde::DependencyKind::Build {
                p.metadata.insert("dependency_kind".into(), "build".into());
            }
            p.locations.push(location(path));
            out.push(p);
        }
        Ok(out)
    }
}

pub struct CargoLockCataloger;

impl Cataloger for CargoLockCataloger {
    fn name(&self) -> &'static str {
        "cargo-lock"
    }

    fn wants(&self, path: &str) -> bool {
        file_name(path) == "Cargo.lock"
    }

    fn max_size(&self) -> u64 {
        16 << 20
    }

    fn parse(&self, path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
        parse_cargo_lock(path, content)
    }
}

/// Packages of a `Cargo.lock` (any format version). Entries without `source` are the
/// workspace's own crates.
pub fn parse_cargo_lock(path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
    #[derive(serde::Deserialize)]
    struct Lock {
        #[serde(default)]
        package: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        name: String,
        version: String,
        source: Option<String>,
    }
    let text = std::str::from_utf8(content)
        .map_err(|e| CatalogError::new(path, format!("not UTF-8: {e}")))?;
    let lock: Lock = toml::from_str(text)
        .map_err(|e| CatalogError::new(path, format!("invalid Cargo.lock: {e}")))?;
    Ok(lock
        .package
        .into_iter()
        .map(|e| {
            let mut p = Package::new(PackageKind::RustCrate, e.name, e.version);
            match e.source {
                Some(s) => {
                    p.metadata.insert("source".into(), s);
                }
                None => p.unmatchable = Some("workspace crate without a registry source".into()),
            }
            p.locations.push(location(path));
            p
        })
        .collect())
}

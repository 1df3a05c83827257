//! Java archives (jar, war, ear and plugin variants): Maven coordinates from
//! `META-INF/maven/<group>/<artifact>/pom.properties`, a `MANIFEST.MF` fallback for archives
//! without one, and nested archives (`WEB-INF/lib/*.jar`, Spring Boot `BOOT-INF/lib`) read in
//! memory with bounded depth and size. Loose `pom.properties` files (exploded archives) too.

use crate::{display_path, file_name, CatalogError, Cataloger};
use dockguard_core::{Location, Package, PackageKind};
use std::io::Read;

const ARCHIVE_EXTENSIONS: [&str; 8] = [
    ".jar", ".war", ".ear", ".jpi", ".hpi", ".par", ".sar", ".kar",
];
/// Nested archive depth: `app.ear` → `web.war` → `lib.jar` is the deepest layout in practice.
const MAX_DEPTH: usize = 3;
const MAX_ENTRIES: usize = 200_000;
const MAX_NESTED_SIZE: u64 = 256 << 20;
const MAX_SMALL_FILE: u64 = 1 << 20;

pub struct JavaCataloger;

impl Cataloger for JavaCataloger {
    fn name(&self) -> &'static str {
        "java"
    }

    fn wants(&self, path: &str) -> bool {
        is_archive(path) || is_loose_pom(path)
    }

    fn max_size(&self) -> u64 {
        1 << 30
    }

    fn parse(&self, path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
        if is_loose_pom(path) {
            let props = parse_properties(&String::from_utf8_lossy(content));
            return Ok(pom_package(&props, Location::file(display_path(path)))
                .into_iter()
                .collect());
        }
        let mut out = Vec::new();
        let mut budget = MAX_ENTRIES;
        read_archive(
            &display_path(path),
            crate::file_name(path),
            content,
            0,
            &mut budget,
            &mut out,
        )
        .map_err(|m| CatalogError::new(path, m))?;
        Ok(out)
    }
}

fn is_archive(path: &str) -> bool {
    let lower = file_name(path).to_ascii_lowercase();
    ARCHIVE_EXTENSIONS.iter().any(|e| lower.ends_with(e))
}

fn is_loose_pom(path: &str) -> bool {
    file_name(path) == "pom.properties" && path.contains("META-INF/maven/")
}

/// Java `.properties`: `key=value` or `key:value` (or whitespace), `#`/`!` comments.
pub fn parse_properties(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with('!') {
            continue;
        }
        let split = line
            .find(['=', ':'])
            .or_else(|| line.find(char::is_whitespace));
        let Some(i) = split else { continue };
        out.push((
            line[..i].trim().to_string(),
            line[i + 1..].trim().to_string(),
        ));
    }
    out
}

fn prop<'a>(props: &'a [(String, String)], key: &str) -> Option<&'a str> {
    props
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

fn pom_package(props: &[(String, String)], loc: Location) -> Option<Package> {
    let group = prop(props, "groupId")?;
    let artifact = prop(props, "artifactId")?;
    let version = prop(props, "version")?;
    let mut p = Package::new(
        PackageKind::JavaArchive,
        format!("{group}:{artifact}"),
        version,
    );
    p.metadata.insert("group_id".into(), group.into());
    p.metadata.insert("artifact_id".into(), artifact.into());
    p.metadata
        .insert("evidence".into(), "pom.properties".into());
    p.locations.push(loc);
    Some(p)
}

/// Main-section attributes of a manifest; continuation lines start with one space.
pub fn parse_manifest(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            break;
        }
        if let Some(cont) = line.strip_prefix(' ') {
            if let Some((_, v)) = out.last_mut() {
                v.push_str(cont);
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            out.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    out
}

/// `commons-io-2.11.0.jar` → (`commons-io`, `2.11.0`).
fn name_version_from_file(file: &str) -> (String, Option<String>) {
    let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(file);
    let bytes = stem.as_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'-' && bytes.get(i + 1).is_some_and(|b| b.is_ascii_digit()) {
            return (stem[..i].to_string(), Some(stem[i + 1..].to_string()));
        }
    }
    (stem.to_string(), None)
}

fn read_entry<R: Read>(entry: R, limit: u64, what: &str) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    entry
        .take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("{what}: {e}"))?;
    if buf.len() as u64 > limit {
        return Err(format!("{what} is larger than {limit} bytes"));
    }
    Ok(buf)
}

fn read_archive(
    shown: &str,
    file: &str,
    content: &[u8],
    depth: usize,
    budget: &mut usize,
    out: &mut Vec<Package>,
) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(content))
        .map_err(|e| format!("not a readable zip archive: {e}"))?;
    if zip.len() > *budget {
        return Err(format!("archive has {} entries, over the limit", zip.len()));
    }
    *budget -= zip.len();
    // Undecodable names cannot be pom.properties or nested jars; keep indexes aligned.
    let names: Vec<String> = zip
        .file_names()
        .map(|n| n.map(|c| c.into_owned()).unwrap_or_default())
        .collect();
    let loc = Location::file(shown.to_string());
    let mut found = 0;
    let mut manifest = None;
    let mut nested = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if name.starts_with("META-INF/maven/") && name.ends_with("/pom.properties") {
            let e = zip.by_index(i).map_err(|e| format!("{name}: {e}"))?;
            let data = read_entry(e, MAX_SMALL_FILE, name)?;
            if let Some(p) = pom_package(
                &parse_properties(&String::from_utf8_lossy(&data)),
                loc.clone(),
            ) {
                out.push(p);
                found += 1;
            }
        } else if name.eq_ignore_ascii_case("META-INF/MANIFEST.MF") {
            let e = zip.by_index(i).map_err(|e| format!("{name}: {e}"))?;
            manifest = Some(read_entry(e, MAX_SMALL_FILE, name)?);
        } else if depth + 1 < MAX_DEPTH && is_archive(name) {
            nested.push(i);
        }
    }
    if found == 0 {
        // Without pom.properties the coordinates are a guess; only report one when the
        // manifest or file name gives a version, and say where it came from.
        let attrs = manifest
            .map(|m| parse_manifest(&String::from_utf8_lossy(&m)))
            .unwrap_or_default();
        let get = |k: &str| prop(&attrs, k).map(str::to_string);
        let (file_artifact, file_version) = name_version_from_file(file);
        let version = get("Implementation-Version")
            .or_else(|| get("Bundle-Version"))
            .or_else(|| get("Specification-Version"))
            .or(file_version);
        let group = get("Implementation-Vendor-Id");
        if let Some(version) = version {
            let name = match &group {
                Some(g) => format!("{g}:{file_artifact}"),
                None => file_artifact.clone(),
            };
            let mut p = Package::new(PackageKind::JavaArchive, name, version);
            p.metadata.insert("artifact_id".into(), file_artifact);
            p.metadata.insert("evidence".into(), "manifest".into());
            if group.is_none() {
                p.unmatchable = Some("no pom.properties: Maven groupId unknown".into());
            }
            p.locations.push(loc.clone());
            out.push(p);
        }
    }
    for i in nested {
        let mut e = zip
            .by_index(i)
            .map_err(|e| format!("nested archive: {e}"))?;
        if e.size() > MAX_NESTED_SIZE {
            continue;
        }
        let name = e.name().map(|c| c.into_owned()).unwrap_or_default();
        let data = read_entry(&mut e, MAX_NESTED_SIZE, &name)?;
        let inner_shown = format!("{shown}:{name}");
        // A broken nested jar is that jar's problem, not the outer archive's.
        let _ = read_archive(
            &inner_shown,
            file_name(&name),
            &data,
            depth + 1,
            budget,
            out,
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        assert_eq!(
            name_version_from_file("log4j-1.2.17.jar"),
            ("log4j".into(), Some("1.2.17".into()))
        );
        assert_eq!(name_version_from_file("guava.jar"), ("guava".into(), None));
    }

    #[test]
    fn not_a_zip() {
        assert!(JavaCataloger.parse("a.jar", b"PK\x03\x04garbage").is_err());
    }
}

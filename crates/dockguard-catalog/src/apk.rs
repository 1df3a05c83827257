//! Alpine apk: `lib/apk/db/installed`, stanzas of one-letter fields (`P` name, `V` version,
//! `A` arch, `o` origin, `L` licence, `F`/`R` directory and file lists).

use crate::text::lossy;
use crate::{location, path_is, CatalogError, Cataloger};
use dockguard_core::{Package, PackageKind};

pub struct ApkCataloger;

/// More file entries than this per package is not a real package; stop recording them.
const MAX_FILES_PER_PACKAGE: usize = 100_000;

impl Cataloger for ApkCataloger {
    fn name(&self) -> &'static str {
        "apk"
    }

    fn wants(&self, path: &str) -> bool {
        path_is(path, "lib/apk/db/installed")
    }

    fn parse(&self, path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
        parse_installed(path, content)
    }
}

#[derive(Default)]
struct Entry {
    name: String,
    version: String,
    arch: String,
    origin: String,
    license: String,
    maintainer: String,
    files: Vec<String>,
    dir: String,
    bad_lines: usize,
}

/// Packages in an apk `installed` database. `files` metadata counts owned files; the list
/// itself is kept as `files` (newline-separated) for ownership checks by other analyzers.
pub fn parse_installed(path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
    let text = lossy(content);
    let mut entries = Vec::new();
    let mut cur = Entry::default();
    let mut bad_total = 0usize;
    for line in text.lines().chain(std::iter::once("")) {
        if line.trim().is_empty() {
            if !cur.name.is_empty() || cur.bad_lines > 0 {
                bad_total += cur.bad_lines;
                entries.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let bytes = line.as_bytes();
        if bytes.len() < 2 || bytes[1] != b':' {
            cur.bad_lines += 1;
            continue;
        }
        let v = &line[2..];
        match bytes[0] {
            b'P' => cur.name = v.to_string(),
            b'V' => cur.version = v.to_string(),
            b'A' => cur.arch = v.to_string(),
            b'o' => cur.origin = v.to_string(),
            b'L' => cur.license = v.to_string(),
            b'm' => cur.maintainer = v.to_string(),
            b'F' => cur.dir = v.to_string(),
            b'R' if cur.files.len() < MAX_FILES_PER_PACKAGE => {
                let f = if cur.dir.is_empty() {
                    format!("/{v}")
                } else {
                    format!("/{}/{v}", cur.dir)
                };
                cur.files.push(f);
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for e in entries {
        if e.name.is_empty() || e.version.is_empty() {
            continue;
        }
        let mut p = Package::new(PackageKind::Apk, &e.name, &e.version);
        p.arch = (!e.arch.is_empty()).then(|| e.arch.clone());
        // Packages without an origin are their own source (secdb is keyed by origin).
        p.source_name = Some(if e.origin.is_empty() {
            e.name.clone()
        } else {
            e.origin.clone()
        });
        p.source_version = Some(e.version.clone());
        if !e.license.is_empty() {
            p.licenses.push(e.license.clone());
        }
        if !e.maintainer.is_empty() {
            p.metadata.insert("maintainer".into(), e.maintainer.clone());
        }
        if !e.files.is_empty() {
            p.metadata.insert("files".into(), e.files.join("\n"));
        }
        p.locations.push(location(path));
        out.push(p);
    }
    if out.is_empty() && bad_total > 0 {
        return Err(CatalogError::new(
            path,
            format!("not an apk installed database: {bad_total} line(s) are not `X:value` fields"),
        ));
    }
    Ok(out)
}

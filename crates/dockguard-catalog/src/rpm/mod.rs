//! rpm: installed packages from any of the three database formats rpm has used, found by
//! content rather than by name — Berkeley DB hash `Packages` (rpm < 4.16), ndb `Packages.db`
//! (SUSE) and `rpmdb.sqlite` (rpm ≥ 4.16) — in `var/lib/rpm/` or `usr/lib/sysimage/rpm/`.

pub mod bdb;
pub mod header;
pub mod ndb;

use crate::{file_name, location, parent, CatalogError, Cataloger};
use dockguard_core::{Package, PackageKind};
pub use header::RpmHeader;

/// rpm databases of large hosts reach a few hundred MB; beyond this we refuse to load.
pub const MAX_DB_SIZE: u64 = 512 << 20;
/// More packages than any distribution installs; a database claiming more is refused.
const MAX_PACKAGES: usize = 200_000;

pub struct RpmCataloger;

impl Cataloger for RpmCataloger {
    fn name(&self) -> &'static str {
        "rpm"
    }

    fn wants(&self, path: &str) -> bool {
        matches!(file_name(path), "Packages" | "Packages.db" | "rpmdb.sqlite")
            && (parent(path).ends_with("var/lib/rpm")
                || parent(path).ends_with("usr/lib/sysimage/rpm"))
    }

    fn max_size(&self) -> u64 {
        MAX_DB_SIZE
    }

    fn parse(&self, path: &str, content: &[u8]) -> Result<Vec<Package>, CatalogError> {
        let headers = read_headers(content).map_err(|m| CatalogError::new(path, m))?;
        Ok(headers
            .into_iter()
            // Imported signing keys are stored as pseudo-packages; they are not software.
            .filter(|h| h.name != "gpg-pubkey")
            .map(|h| to_package(path, h))
            .collect())
    }
}

/// Which database format `data` is, by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbFormat {
    BerkeleyHash,
    Ndb,
    Sqlite,
}

pub fn detect(data: &[u8]) -> Option<DbFormat> {
    if data.starts_with(b"SQLite format 3\0") {
        Some(DbFormat::Sqlite)
    } else if ndb::is_ndb(data) {
        Some(DbFormat::Ndb)
    } else if bdb::is_bdb_hash(data) {
        Some(DbFormat::BerkeleyHash)
    } else {
        None
    }
}

/// Every package header in a database of any supported format (including `gpg-pubkey`
/// entries, which `rpm -qa` lists too). A header that fails to parse fails the database: a
/// half-read database would silently hide packages.
pub fn read_headers(data: &[u8]) -> Result<Vec<RpmHeader>, String> {
    let blobs: Vec<Vec<u8>> = match detect(data) {
        Some(DbFormat::Sqlite) => sqlite_blobs(data)?,
        Some(DbFormat::Ndb) => ndb::blobs(data)?
            .into_iter()
            .map(|(_, b)| b.to_vec())
            .collect(),
        Some(DbFormat::BerkeleyHash) => bdb::values(data)?
            .into_iter()
            // Record 0 holds rpm's next-instance counter, not a header.
            .filter(|(k, _)| k.as_slice() != [0, 0, 0, 0])
            .map(|(_, v)| v)
            .collect(),
        None => {
            return Err("not an rpm database (neither SQLite, ndb nor Berkeley DB hash)".into())
        }
    };
    if blobs.len() > MAX_PACKAGES {
        return Err(format!(
            "database holds {} entries, over the limit of {MAX_PACKAGES}",
            blobs.len()
        ));
    }
    blobs
        .iter()
        .enumerate()
        .map(|(i, b)| header::parse(b).map_err(|e| format!("package header {i}: {e}")))
        .collect()
}

/// Header blobs from the `Packages` table, read from memory: the database bytes may come from
/// an image layer, and nothing is written to disk.
fn sqlite_blobs(data: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let fail = |e: rusqlite::Error| format!("SQLite: {e}");
    let mut conn = rusqlite::Connection::open_in_memory().map_err(fail)?;
    // rpm keeps the database in WAL mode (header bytes 18 and 19 = 2), which SQLite cannot
    // open from memory; the copy we hand over says rollback-journal instead.
    let mut head = data
        .get(..100)
        .ok_or("SQLite file shorter than its 100-byte header")?
        .to_vec();
    if head[18] == 2 && head[19] == 2 {
        head[18] = 1;
        head[19] = 1;
    }
    let reader = std::io::Read::chain(&head[..], &data[100..]);
    conn.deserialize_read_exact(rusqlite::MAIN_DB, reader, data.len(), true)
        .map_err(fail)?;
    let mut stmt = conn
        .prepare("SELECT blob FROM Packages ORDER BY hnum")
        .map_err(fail)?;
    let rows = stmt
        .query_map([], |row| row.get::<_, Vec<u8>>(0))
        .map_err(fail)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row.map_err(fail)?);
        if out.len() > MAX_PACKAGES {
            break;
        }
    }
    Ok(out)
}

fn to_package(path: &str, h: RpmHeader) -> Package {
    let version = match h.epoch {
        Some(e) if e > 0 => format!("{e}:{}-{}", h.version, h.release),
        _ => format!("{}-{}", h.version, h.release),
    };
    let mut p = Package::new(PackageKind::Rpm, &h.name, version);
    p.arch = h.arch.clone();
    if let Some(src) = &h.source_rpm {
        if let Some((n, v)) = split_source_rpm(src) {
            p.source_name = Some(n);
            p.source_version = Some(v);
        }
        p.metadata.insert("sourcerpm".into(), src.clone());
    }
    if let Some(l) = h.license.filter(|l| !l.is_empty()) {
        p.licenses.push(l);
    }
    p.metadata.insert("version".into(), h.version);
    p.metadata.insert("release".into(), h.release);
    if let Some(e) = h.epoch {
        p.metadata.insert("epoch".into(), e.to_string());
    }
    if let Some(v) = h.vendor {
        p.metadata.insert("vendor".into(), v);
    }
    if let Some(m) = h.modularity_label.filter(|m| !m.is_empty()) {
        p.metadata.insert("modularitylabel".into(), m);
    }
    if let Some(s) = h.size {
        p.metadata.insert("size".into(), s.to_string());
    }
    p.locations.push(location(path));
    p
}

/// `openssl-3.0.7-24.el9.src.rpm` → (`openssl`, `3.0.7-24.el9`).
pub fn split_source_rpm(s: &str) -> Option<(String, String)> {
    let base = s.strip_suffix(".rpm")?;
    let base = base.rsplit_once('.').map(|(b, _arch)| b).unwrap_or(base);
    let (nv, release) = base.rsplit_once('-')?;
    let (name, version) = nv.rsplit_once('-')?;
    Some((name.to_string(), format!("{version}-{release}")))
}

//! Importing OSV data: the bucket layout (`<Ecosystem>/all.zip`), a single zip, a directory of
//! `<ID>.json` files, or one JSON file.
//!
//! One import is one write transaction: the ecosystems it brings replace their previous
//! contents atomically, and a failure (or a kill) at any point leaves the old data in place.

use crate::osv::Record;
use crate::store::{now_rfc3339, Database};
use crate::{Error, Result};
use rusqlite::{params, Transaction};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest single OSV record we accept (the biggest real ones are a few hundred KiB).
const MAX_RECORD_BYTES: u64 = 32 << 20;
/// Largest total uncompressed size of one zip, against zip bombs.
const MAX_ZIP_TOTAL: u64 = 32 << 30;
const MAX_JSON_FILES: usize = 5_000_000;
const MAX_WARNINGS: usize = 20;
/// Placeholder source label while a unit's bucket is not yet known.
const PENDING: &str = "\u{1}pending";

/// What an import did, per ecosystem and in total.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportStats {
    pub ecosystems: Vec<EcosystemImport>,
    pub records: u64,
    pub withdrawn: u64,
    /// Entries that were not usable OSV records (see `warnings`).
    pub skipped: u64,
    /// The first problems met, each naming the file or zip entry.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct EcosystemImport {
    pub ecosystem: String,
    pub records: u64,
    pub withdrawn: u64,
    pub skipped: u64,
    pub source: String,
}

/// Download facts stored with an ecosystem so the next update can be conditional.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourceMeta {
    pub label: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub sha256: Option<String>,
}

#[derive(Debug)]
pub(crate) enum Unit {
    Zip {
        bucket: Option<String>,
        path: PathBuf,
    },
    Json {
        bucket: Option<String>,
        files: Vec<PathBuf>,
        label: PathBuf,
    },
}

impl Unit {
    fn label(&self) -> &Path {
        match self {
            Unit::Zip { path, .. } => path,
            Unit::Json { label, .. } => label,
        }
    }
}

fn is_zip(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && magic == *b"PK\x03\x04"
}

fn dir_name(path: &Path) -> Option<String> {
    path.file_name()
        .and_then(|n| n.to_str())
        .map(str::to_string)
        .filter(|n| !n.is_empty())
}

fn collect_json(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() && depth < 8 {
            collect_json(&p, depth + 1, out)?;
        } else if ft.is_file() && p.extension().is_some_and(|x| x == "json") {
            if out.len() >= MAX_JSON_FILES {
                return Err(Error::invalid(dir, "too many JSON files"));
            }
            out.push(p);
        }
    }
    Ok(())
}

/// Finds what to import under `source`.
pub(crate) fn discover(source: &Path) -> Result<Vec<Unit>> {
    let meta = std::fs::metadata(source).map_err(|e| Error::io(source, e))?;
    if meta.is_file() {
        if is_zip(source) {
            let bucket = (source.file_name().is_some_and(|n| n == "all.zip"))
                .then(|| source.parent().and_then(dir_name))
                .flatten();
            return Ok(vec![Unit::Zip {
                bucket,
                path: source.to_path_buf(),
            }]);
        }
        return Ok(vec![Unit::Json {
            bucket: None,
            files: vec![source.to_path_buf()],
            label: source.to_path_buf(),
        }]);
    }
    let all = source.join("all.zip");
    if all.is_file() {
        return Ok(vec![Unit::Zip {
            bucket: dir_name(source),
            path: all,
        }]);
    }
    let mut units = Vec::new();
    let mut subdirs: Vec<_> = std::fs::read_dir(source)
        .map_err(|e| Error::io(source, e))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    subdirs.sort();
    for d in subdirs {
        let z = d.join("all.zip");
        if z.is_file() {
            units.push(Unit::Zip {
                bucket: dir_name(&d),
                path: z,
            });
        }
    }
    if !units.is_empty() {
        return Ok(units);
    }
    let mut files = Vec::new();
    collect_json(source, 0, &mut files)?;
    if files.is_empty() {
        return Err(Error::invalid(
            source,
            "no OSV data found: expected <Ecosystem>/all.zip directories (the OSV bucket \
             layout), an all.zip, a zip of <ID>.json records, or a directory of <ID>.json files",
        ));
    }
    Ok(vec![Unit::Json {
        bucket: None,
        files,
        label: source.to_path_buf(),
    }])
}

struct Tally {
    records: u64,
    withdrawn: u64,
    skipped: u64,
    buckets: BTreeMap<String, u64>,
}

fn warn(stats: &mut ImportStats, msg: String) {
    if stats.warnings.len() < MAX_WARNINGS {
        stats.warnings.push(msg);
    }
}

/// The two insert statements of an import, prepared once.
struct Inserts<'t> {
    advisory: rusqlite::Statement<'t>,
    affected: rusqlite::Statement<'t>,
}

impl<'t> Inserts<'t> {
    fn new(tx: &'t Transaction<'_>) -> std::result::Result<Self, rusqlite::Error> {
        Ok(Inserts {
            advisory: tx
                .prepare("INSERT INTO advisories (source, osv_id, data) VALUES (?1, ?2, ?3)")?,
            affected: tx.prepare(
                "INSERT INTO affected (advisory, source, ecosystem, name, spec, seq) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?,
        })
    }
}

fn insert_record(
    ins: &mut Inserts<'_>,
    bytes: &[u8],
    origin: &str,
    tally: &mut Tally,
    stats: &mut ImportStats,
) -> std::result::Result<(), rusqlite::Error> {
    let record: Record = match serde_json::from_slice(bytes) {
        Ok(r) => r,
        Err(e) => {
            tally.skipped += 1;
            warn(stats, format!("{origin}: not an OSV record: {e}"));
            return Ok(());
        }
    };
    if record.id.trim().is_empty() {
        tally.skipped += 1;
        warn(stats, format!("{origin}: OSV record without an id"));
        return Ok(());
    }
    if let Some(b) = record.bucket() {
        *tally.buckets.entry(b).or_default() += 1;
    }
    if record.is_withdrawn() {
        tally.withdrawn += 1;
        return Ok(());
    }
    let stored = serde_json::to_string(&record.stored()).unwrap_or_default();
    let rowid = ins.advisory.insert(params![PENDING, record.id, stored])?;
    for (seq, row) in record.index_rows().into_iter().enumerate() {
        let spec = serde_json::to_string(&row.spec).unwrap_or_default();
        ins.affected.execute(params![
            rowid,
            PENDING,
            row.ecosystem,
            row.name,
            spec,
            seq as i64
        ])?;
    }
    tally.records += 1;
    Ok(())
}

impl Database {
    /// Imports everything found under `source` (see the module documentation).
    pub fn import(&self, source: &Path) -> Result<ImportStats> {
        let units = discover(source)?;
        let units = units
            .into_iter()
            .map(|u| {
                let label = std::fs::canonicalize(u.label())
                    .unwrap_or_else(|_| u.label().to_path_buf())
                    .display()
                    .to_string();
                (
                    u,
                    SourceMeta {
                        label,
                        ..SourceMeta::default()
                    },
                )
            })
            .collect();
        self.import_units(units)
    }

    /// Imports units in one transaction, each replacing its bucket's previous records.
    pub(crate) fn import_units(&self, units: Vec<(Unit, SourceMeta)>) -> Result<ImportStats> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))?;
        let mut stats = ImportStats::default();
        for (unit, meta) in units {
            let mut tally = Tally {
                records: 0,
                withdrawn: 0,
                skipped: 0,
                buckets: BTreeMap::new(),
            };
            let given = match &unit {
                Unit::Zip { bucket, .. } | Unit::Json { bucket, .. } => bucket.clone(),
            };
            {
                let mut ins = Inserts::new(&tx).map_err(|e| self.err(e))?;
                match &unit {
                    Unit::Zip { path, .. } => {
                        self.read_zip(&mut ins, path, &mut tally, &mut stats)?
                    }
                    Unit::Json { files, .. } => {
                        for f in files {
                            let bytes = read_bounded(f)?;
                            let origin = f.display().to_string();
                            insert_record(&mut ins, &bytes, &origin, &mut tally, &mut stats)
                                .map_err(|e| self.err(e))?;
                        }
                    }
                }
            }
            // A loose zip or directory belongs to the ecosystem most of its records name.
            let bucket = given
                .or_else(|| {
                    tally
                        .buckets
                        .iter()
                        .max_by_key(|(_, n)| **n)
                        .map(|(b, _)| b.clone())
                })
                .ok_or_else(|| {
                    Error::invalid(unit.label(), "no OSV record with an affected package found")
                })?;
            self.replace_bucket(&tx, &bucket, &meta, &tally)?;
            stats.records += tally.records;
            stats.withdrawn += tally.withdrawn;
            stats.skipped += tally.skipped;
            stats.ecosystems.push(EcosystemImport {
                ecosystem: bucket,
                records: tally.records,
                withdrawn: tally.withdrawn,
                skipped: tally.skipped,
                source: meta.label.clone(),
            });
        }
        tx.commit().map_err(|e| self.err(e))?;
        // Keep the write-ahead log from growing to the size of the data; best effort because
        // active readers may hold it.
        let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
        Ok(stats)
    }

    fn replace_bucket(
        &self,
        tx: &Transaction<'_>,
        bucket: &str,
        meta: &SourceMeta,
        tally: &Tally,
    ) -> Result<()> {
        let run = || -> std::result::Result<(), rusqlite::Error> {
            tx.execute("DELETE FROM affected WHERE source = ?1", [bucket])?;
            tx.execute("DELETE FROM advisories WHERE source = ?1", [bucket])?;
            tx.execute(
                "UPDATE affected SET source = ?1 WHERE source = ?2",
                params![bucket, PENDING],
            )?;
            tx.execute(
                "UPDATE advisories SET source = ?1 WHERE source = ?2",
                params![bucket, PENDING],
            )?;
            tx.execute(
                "INSERT INTO sources (ecosystem, records, withdrawn, source, updated, etag, \
                 last_modified, sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
                 ON CONFLICT(ecosystem) DO UPDATE SET records = excluded.records, \
                 withdrawn = excluded.withdrawn, source = excluded.source, \
                 updated = excluded.updated, etag = excluded.etag, \
                 last_modified = excluded.last_modified, sha256 = excluded.sha256",
                params![
                    bucket,
                    tally.records as i64,
                    tally.withdrawn as i64,
                    meta.label,
                    now_rfc3339(),
                    meta.etag,
                    meta.last_modified,
                    meta.sha256
                ],
            )?;
            Ok(())
        };
        run().map_err(|e| self.err(e))
    }

    fn read_zip(
        &self,
        ins: &mut Inserts<'_>,
        path: &Path,
        tally: &mut Tally,
        stats: &mut ImportStats,
    ) -> Result<()> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file))
            .map_err(|e| Error::invalid(path, format!("not a readable zip archive: {e}")))?;
        let mut total = 0u64;
        let mut buf = Vec::new();
        for i in 0..archive.len() {
            let mut entry = archive
                .by_index(i)
                .map_err(|e| Error::invalid(path, format!("zip entry {i}: {e}")))?;
            let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
            if entry.is_dir() || !name.ends_with(".json") {
                continue;
            }
            if entry.size() > MAX_RECORD_BYTES {
                tally.skipped += 1;
                warn(
                    stats,
                    format!("{}: {name}: record larger than 32 MiB", path.display()),
                );
                continue;
            }
            buf.clear();
            // The zip crate verifies each entry's CRC-32 at its end: a damaged archive fails
            // here instead of importing truncated records.
            (&mut entry)
                .take(MAX_RECORD_BYTES + 1)
                .read_to_end(&mut buf)
                .map_err(|e| Error::invalid(path, format!("{name}: {e}")))?;
            total += buf.len() as u64;
            if buf.len() as u64 > MAX_RECORD_BYTES || total > MAX_ZIP_TOTAL {
                return Err(Error::invalid(
                    path,
                    "archive expands beyond the size limit",
                ));
            }
            let origin = format!("{}: {name}", path.display());
            insert_record(ins, &buf, &origin, tally, stats).map_err(|e| self.err(e))?;
        }
        Ok(())
    }
}

fn read_bounded(path: &Path) -> Result<Vec<u8>> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut buf = Vec::new();
    f.take(MAX_RECORD_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Error::io(path, e))?;
    if buf.len() as u64 > MAX_RECORD_BYTES {
        return Err(Error::invalid(path, "record larger than 32 MiB"));
    }
    Ok(buf)
}

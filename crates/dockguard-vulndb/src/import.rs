//! Importing OSV data: the bucket layout (`<Ecosystem>/all.zip`), a single zip, a directory of
//! `<ID>.json` files, or one JSON file.
//!
//! One import is one write transaction: the ecosystems it brings replace their previous
//! contents atomically, and a failure (or a kill) at any point leaves the old data in place.

use crate::matching;
use crate::osv::{bucket_of, Record};
use crate::store::{now_rfc3339, Database};
use crate::versions::Scheme;
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

/// Counts of one unit: totals, and per bucket the records (a record spanning several buckets
/// counts in each) that bucket's replacement stores.
#[derive(Default)]
struct Tally {
    records: u64,
    withdrawn: u64,
    skipped: u64,
    buckets: BTreeMap<String, BucketCount>,
}

#[derive(Default, Clone, Copy)]
struct BucketCount {
    records: u64,
    withdrawn: u64,
}

/// Source label of rows inserted by the running import for `bucket`, until the bucket's old
/// rows are replaced by them.
fn pending(bucket: &str) -> String {
    format!("{PENDING}{bucket}")
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

/// Parses one record and stages it under the pending label of its bucket(s): `given` when the
/// unit names its bucket (the OSV bucket layout), else each bucket its affected packages name,
/// with one copy of the advisory per bucket so replacing one bucket never touches another's.
fn insert_record(
    ins: &mut Inserts<'_>,
    bytes: &[u8],
    origin: &str,
    given: Option<&str>,
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
    let buckets = match given {
        Some(b) => vec![b.to_string()],
        None => record.buckets(),
    };
    if buckets.is_empty() {
        tally.skipped += 1;
        warn(
            stats,
            format!("{origin}: OSV record without an affected package ecosystem"),
        );
        return Ok(());
    }
    let withdrawn = record.is_withdrawn();
    for b in &buckets {
        let count = tally.buckets.entry(b.clone()).or_default();
        if withdrawn {
            count.withdrawn += 1;
        } else {
            count.records += 1;
        }
    }
    if withdrawn {
        tally.withdrawn += 1;
        return Ok(());
    }
    let stored = serde_json::to_string(&record.stored()).unwrap_or_default();
    let rows = record.index_rows();
    for b in &buckets {
        let label = pending(b);
        let rowid = ins.advisory.insert(params![label, record.id, stored])?;
        for (seq, row) in rows.iter().enumerate() {
            if given.is_none() && bucket_of(&row.ecosystem) != b {
                continue;
            }
            let spec = matching::pack(&row.spec, Scheme::for_ecosystem(&row.ecosystem));
            ins.affected.execute(params![
                rowid,
                label,
                row.ecosystem,
                row.name,
                spec,
                seq as i64
            ])?;
        }
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
            let mut tally = Tally::default();
            let given = match &unit {
                Unit::Zip { bucket, .. } | Unit::Json { bucket, .. } => bucket.clone(),
            };
            {
                let mut ins = Inserts::new(&tx).map_err(|e| self.err(e))?;
                let given = given.as_deref();
                match &unit {
                    Unit::Zip { path, .. } => {
                        self.read_zip(&mut ins, path, given, &mut tally, &mut stats)?
                    }
                    Unit::Json { files, .. } => {
                        for f in files {
                            let bytes = read_bounded(f)?;
                            let origin = f.display().to_string();
                            insert_record(&mut ins, &bytes, &origin, given, &mut tally, &mut stats)
                                .map_err(|e| self.err(e))?;
                        }
                    }
                }
            }
            // A bucket directory replaces its bucket even when its archive is empty; a loose
            // zip or directory replaces each bucket its records name, and only those.
            if let Some(b) = &given {
                tally.buckets.entry(b.clone()).or_default();
            }
            if tally.buckets.is_empty() {
                return Err(Error::invalid(
                    unit.label(),
                    "no OSV record with an affected package found",
                ));
            }
            stats.records += tally.records;
            stats.withdrawn += tally.withdrawn;
            stats.skipped += tally.skipped;
            // Unreadable entries belong to no ecosystem: report them on the unit's first one.
            let mut skipped = tally.skipped;
            for (bucket, count) in &tally.buckets {
                self.replace_bucket(&tx, bucket, &meta, *count)?;
                stats.ecosystems.push(EcosystemImport {
                    ecosystem: bucket.clone(),
                    records: count.records,
                    withdrawn: count.withdrawn,
                    skipped: std::mem::take(&mut skipped),
                    source: meta.label.clone(),
                });
            }
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
        count: BucketCount,
    ) -> Result<()> {
        let staged = pending(bucket);
        let run = || -> std::result::Result<(), rusqlite::Error> {
            tx.execute("DELETE FROM affected WHERE source = ?1", [bucket])?;
            tx.execute("DELETE FROM advisories WHERE source = ?1", [bucket])?;
            tx.execute(
                "UPDATE affected SET source = ?1 WHERE source = ?2",
                params![bucket, staged],
            )?;
            tx.execute(
                "UPDATE advisories SET source = ?1 WHERE source = ?2",
                params![bucket, staged],
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
                    count.records as i64,
                    count.withdrawn as i64,
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
        given: Option<&str>,
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
            insert_record(ins, &buf, &origin, given, tally, stats).map_err(|e| self.err(e))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn record(id: &str, packages: &[(&str, &str)]) -> String {
        let affected: Vec<serde_json::Value> = packages
            .iter()
            .map(|(eco, name)| {
                serde_json::json!({
                    "package": {"ecosystem": eco, "name": name},
                    "ranges": [{"type": "ECOSYSTEM",
                                "events": [{"introduced": "0"}, {"fixed": "2.0.0"}]}]
                })
            })
            .collect();
        serde_json::json!({"id": id, "summary": id, "affected": affected}).to_string()
    }

    /// Records of three ecosystems, one of them spanning two (as GitHub advisories may).
    fn mixed() -> Vec<(String, String)> {
        [
            ("ALPINE-1", vec![("Alpine:v3.19", "openssl")]),
            ("ALPINE-2", vec![("Alpine:v3.18", "busybox")]),
            ("PYSEC-1", vec![("PyPI", "requests")]),
            ("GHSA-n1", vec![("npm", "lodash")]),
            ("GHSA-n2", vec![("npm", "minimist")]),
            ("GHSA-n3", vec![("npm", "express")]),
            ("GHSA-both", vec![("PyPI", "jinja2"), ("npm", "nunjucks")]),
        ]
        .into_iter()
        .map(|(id, pkgs)| (id.to_string(), record(id, &pkgs)))
        .collect()
    }

    fn counts(db: &Database) -> Vec<(String, u64)> {
        db.status()
            .unwrap()
            .into_iter()
            .map(|s| (s.ecosystem, s.records))
            .collect()
    }

    fn ids(db: &Database, eco: &str, name: &str) -> Vec<String> {
        db.affecting(eco, name, "1.0.0")
            .unwrap()
            .into_iter()
            .map(|a| a.id)
            .collect()
    }

    fn expected_counts(npm: u64) -> Vec<(String, u64)> {
        vec![
            ("Alpine".to_string(), 2),
            ("PyPI".to_string(), 2),
            ("npm".to_string(), npm),
        ]
    }

    #[test]
    fn mixed_directory_is_filed_per_ecosystem() {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("mixed");
        std::fs::create_dir(&src).unwrap();
        for (id, text) in mixed() {
            std::fs::write(src.join(format!("{id}.json")), text).unwrap();
        }
        let db = Database::open_or_create(&tmp.path().join("db")).unwrap();
        let stats = db.import(&src).unwrap();
        assert_eq!(stats.records, 7);
        assert_eq!(counts(&db), expected_counts(4));

        // A later npm-only import replaces npm and nothing else, including the npm half of
        // the record that spans PyPI and npm.
        let npm = tmp.path().join("npm");
        std::fs::create_dir(&npm).unwrap();
        std::fs::write(
            npm.join("GHSA-new.json"),
            record("GHSA-new", &[("npm", "left-pad")]),
        )
        .unwrap();
        db.import(&npm).unwrap();
        assert_eq!(counts(&db), expected_counts(1));
        assert_eq!(ids(&db, "npm", "left-pad"), ["GHSA-new"]);
        assert!(ids(&db, "npm", "lodash").is_empty());
        assert!(ids(&db, "npm", "nunjucks").is_empty());
        assert_eq!(ids(&db, "PyPI", "jinja2"), ["GHSA-both"]);
        assert_eq!(ids(&db, "PyPI", "requests"), ["PYSEC-1"]);
        assert_eq!(ids(&db, "Alpine:v3.19", "openssl"), ["ALPINE-1"]);
    }

    #[test]
    fn mixed_zip_is_filed_per_ecosystem() {
        let tmp = tempfile::tempdir().unwrap();
        let zip_path = tmp.path().join("mixed.zip");
        {
            let mut w = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
            let opts = zip::write::SimpleFileOptions::default();
            for (id, text) in mixed() {
                w.start_file(format!("{id}.json"), opts).unwrap();
                w.write_all(text.as_bytes()).unwrap();
            }
            w.finish().unwrap();
        }
        let db = Database::open_or_create(&tmp.path().join("db")).unwrap();
        let stats = db.import(&zip_path).unwrap();
        let per: Vec<(String, u64)> = stats
            .ecosystems
            .iter()
            .map(|e| (e.ecosystem.clone(), e.records))
            .collect();
        assert_eq!(per, expected_counts(4));
        assert_eq!(counts(&db), expected_counts(4));
        assert_eq!(ids(&db, "npm", "nunjucks"), ["GHSA-both"]);
        assert_eq!(ids(&db, "PyPI", "jinja2"), ["GHSA-both"]);

        // Re-importing the same data keeps every bucket's count: nothing accumulates.
        db.import(&zip_path).unwrap();
        assert_eq!(counts(&db), expected_counts(4));
        let conn = db.lock();
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM advisories", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 8, "one advisory copy per bucket of each record");
    }
}

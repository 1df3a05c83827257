//! The SQLite store: schema, opening, status and the matching queries.

use crate::matching::{self, Hit};
use crate::names::{normalize_ecosystem, normalize_name};
use crate::osv::StoredAdvisory;
use crate::versions::{sort_versions, Scheme};
use crate::{Advisory, Error, Result};
use dockguard_core::Severity;
use foldhash::HashMap;
use foldhash::HashMapExt;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// The database file inside the database directory.
pub const DB_FILE: &str = "osv.sqlite3";

/// 3: `affected.spec` holds packed specs with pre-sorted events (see `matching`).
const SCHEMA_VERSION: &str = "3";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    ecosystem TEXT PRIMARY KEY,
    records INTEGER NOT NULL,
    withdrawn INTEGER NOT NULL,
    source TEXT NOT NULL,
    updated TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    sha256 TEXT
);
CREATE TABLE IF NOT EXISTS advisories (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    osv_id TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS advisories_source ON advisories (source);
CREATE TABLE IF NOT EXISTS affected (
    ecosystem TEXT NOT NULL,
    name TEXT NOT NULL,
    advisory INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    source TEXT NOT NULL,
    spec TEXT NOT NULL,
    PRIMARY KEY (ecosystem, name, advisory, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS wanted (ecosystem TEXT PRIMARY KEY, noted TEXT NOT NULL);
";

/// One bucket ecosystem in the database (`db status`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EcosystemStatus {
    /// Bucket directory name: the ecosystem before the first `:` (`Debian`, `PyPI`).
    pub ecosystem: String,
    /// Records stored (withdrawn ones are not).
    pub records: u64,
    pub withdrawn: u64,
    /// Where the data came from: a file path or URL.
    pub source: String,
    /// When it was last imported or checked (RFC 3339, UTC).
    pub updated: String,
}

/// An open database. Cheap to open; safe to share between threads.
pub struct Database {
    pub(crate) conn: Mutex<Connection>,
    pub(crate) dir: PathBuf,
    pub(crate) path: PathBuf,
}

pub(crate) use dockguard_core::time::now_rfc3339;

impl Database {
    /// Opens an existing database for reading (and for noting which ecosystems scans need).
    /// Fails with [`Error::Missing`], whose message says how to get one, when there is none.
    pub fn open(dir: &Path) -> Result<Database> {
        let path = dir.join(DB_FILE);
        if !path.is_file() {
            return Err(Error::Missing {
                dir: dir.to_path_buf(),
            });
        }
        let conn = match Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        ) {
            Ok(c) => c,
            // A database shipped on a read-only volume: WAL needs a writable directory for its
            // shared-memory file, which `immutable` avoids.
            Err(_) => Connection::open_with_flags(
                format!("file:{}?immutable=1", path.display()),
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_URI
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| sqlite_err(&path, e))?,
        };
        let db = Database::configure(conn, dir, &path)?;
        let version: Option<String> = {
            let conn = db.lock();
            let has_meta: bool = conn
                .query_row(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
                    [],
                    |r| r.get::<_, i64>(0),
                )
                .map_err(|e| sqlite_err(&path, e))?
                > 0;
            if has_meta {
                conn.query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
                    r.get(0)
                })
                .optional()
                .map_err(|e| sqlite_err(&path, e))?
            } else {
                None
            }
        };
        match version.as_deref() {
            None => Err(Error::Missing {
                dir: dir.to_path_buf(),
            }),
            Some(SCHEMA_VERSION) => Ok(db),
            Some(other) => Err(Error::invalid(
                &path,
                format!(
                    "database schema {other} is not the one this dockguard reads \
                     ({SCHEMA_VERSION}); delete the directory and run `dockguard db update`"
                ),
            )),
        }
    }

    /// Opens the database, creating the directory and an empty database when missing.
    pub fn open_or_create(dir: &Path) -> Result<Database> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let path = dir.join(DB_FILE);
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| sqlite_err(&path, e))?;
        let db = Database::configure(conn, dir, &path)?;
        {
            let mut conn = db.lock();
            conn.pragma_update(None, "journal_mode", "WAL")
                .map_err(|e| sqlite_err(&path, e))?;
            let tx = conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(|e| sqlite_err(&path, e))?;
            tx.execute_batch(SCHEMA).map_err(|e| sqlite_err(&path, e))?;
            let existing: Option<String> = tx
                .query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
                    r.get(0)
                })
                .optional()
                .map_err(|e| sqlite_err(&path, e))?;
            match existing.as_deref() {
                None => {
                    tx.execute(
                        "INSERT INTO meta (key, value) VALUES ('schema', ?1)",
                        [SCHEMA_VERSION],
                    )
                    .map_err(|e| sqlite_err(&path, e))?;
                }
                Some(SCHEMA_VERSION) => {}
                Some(other) => {
                    return Err(Error::invalid(
                        &path,
                        format!("database schema {other} is not {SCHEMA_VERSION}"),
                    ))
                }
            }
            tx.commit().map_err(|e| sqlite_err(&path, e))?;
        }
        Ok(db)
    }

    fn configure(conn: Connection, dir: &Path, path: &Path) -> Result<Database> {
        // Writers hold the lock for a whole import; other writers wait rather than fail.
        conn.busy_timeout(Duration::from_secs(600))
            .map_err(|e| sqlite_err(path, e))?;
        // In WAL mode NORMAL keeps every commit atomic; only an OS crash may lose the latest.
        let _ = conn.pragma_update(None, "synchronous", "NORMAL");
        // Matching touches pages all over the index: map the file and keep pages cached
        // instead of a read system call per page.
        let _ = conn.pragma_update(None, "mmap_size", 1_i64 << 30);
        let _ = conn.pragma_update(None, "cache_size", -65_536_i64);
        Ok(Database {
            conn: Mutex::new(conn),
            dir: dir.to_path_buf(),
            path: path.to_path_buf(),
        })
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent: keep going.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The database directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn err(&self, e: rusqlite::Error) -> Error {
        sqlite_err(&self.path, e)
    }

    /// Every imported ecosystem, sorted by name.
    pub fn status(&self) -> Result<Vec<EcosystemStatus>> {
        let conn = self.lock();
        let mut st = conn
            .prepare(
                "SELECT ecosystem, records, withdrawn, source, updated FROM sources \
                 ORDER BY ecosystem",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                Ok(EcosystemStatus {
                    ecosystem: r.get(0)?,
                    records: r.get::<_, i64>(1)?.max(0) as u64,
                    withdrawn: r.get::<_, i64>(2)?.max(0) as u64,
                    source: r.get(3)?,
                    updated: r.get(4)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(|e| self.err(e))
    }

    /// A short fingerprint of the imported data (hex), cheap to compute: it changes when an
    /// import or update replaces an ecosystem's records and stays the same when `db update`
    /// finds nothing new. Downloaded data is identified by its SHA-256 (so a refreshed ETag
    /// alone changes nothing); local imports carry no hash and are identified by their import
    /// time instead. Servers compare it to decide when stored inventories must be re-matched.
    pub fn generation(&self) -> Result<String> {
        use sha2::{Digest, Sha256};
        let conn = self.lock();
        let mut st = conn
            .prepare(
                "SELECT ecosystem, records, withdrawn, coalesce(sha256, updated) FROM sources \
                 ORDER BY ecosystem",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = st.query([]).map_err(|e| self.err(e))?;
        let mut sha = Sha256::new();
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let get = |i| r.get::<_, rusqlite::types::Value>(i);
            for i in 0..4 {
                let text = match get(i).map_err(|e| self.err(e))? {
                    rusqlite::types::Value::Integer(n) => n.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    _ => String::new(),
                };
                sha.update(text.as_bytes());
                sha.update([0u8]);
            }
            sha.update([b'\n']);
        }
        let digest = sha.finalize();
        Ok(digest[..8].iter().map(|b| format!("{b:02x}")).collect())
    }

    /// Remembers which ecosystems scans needed, so `db update` without arguments fetches
    /// them. Best effort: a read-only database is not an error.
    pub fn note_needed(&self, ecosystems: &[&str]) {
        let conn = self.lock();
        let now = now_rfc3339();
        for e in ecosystems {
            let bucket = normalize_ecosystem(e)
                .split(':')
                .next()
                .unwrap_or("")
                .to_string();
            if bucket.is_empty() {
                continue;
            }
            let _ = conn.execute(
                "INSERT INTO wanted (ecosystem, noted) VALUES (?1, ?2) \
                 ON CONFLICT(ecosystem) DO UPDATE SET noted = excluded.noted",
                params![bucket, now],
            );
        }
    }

    /// The advisories affecting one package version, merged by alias, sorted by id.
    pub fn affecting(&self, ecosystem: &str, name: &str, version: &str) -> Result<Vec<Advisory>> {
        let conn = self.lock();
        let mut q = Queries::new(&conn).map_err(|e| self.err(e))?;
        self.affecting_locked(&mut q, ecosystem, name, version)
    }

    /// [`Database::affecting`] for many packages at once (one lock, shared caches): the
    /// result has one entry per input, in input order.
    pub fn match_packages(&self, packages: &[(&str, &str, &str)]) -> Result<Vec<Vec<Advisory>>> {
        let conn = self.lock();
        // One read transaction: a consistent snapshot for the whole batch, and one file lock
        // instead of one per statement.
        let tx = conn.unchecked_transaction().map_err(|e| self.err(e))?;
        let mut q = Queries::new(&tx).map_err(|e| self.err(e))?;
        // Inventories repeat packages (one library vendored in several places): match each
        // distinct triple once.
        let mut seen: HashMap<(&str, &str, &str), usize> = HashMap::with_capacity(packages.len());
        let mut out: Vec<Vec<Advisory>> = Vec::with_capacity(packages.len());
        for &(e, n, v) in packages {
            match seen.get(&(e, n, v)) {
                Some(&i) => {
                    let again = out[i].clone();
                    out.push(again);
                }
                None => {
                    seen.insert((e, n, v), out.len());
                    out.push(self.affecting_locked(&mut q, e, n, v)?);
                }
            }
        }
        drop(q);
        tx.commit().map_err(|e| self.err(e))?;
        Ok(out)
    }

    fn affecting_locked(
        &self,
        q: &mut Queries<'_>,
        ecosystem: &str,
        name: &str,
        version: &str,
    ) -> Result<Vec<Advisory>> {
        let eco = normalize_ecosystem(ecosystem);
        let name = normalize_name(&eco, name);
        let scheme = Scheme::for_ecosystem(&eco);
        let mut rows = q
            .affected
            .query(params![eco, name])
            .map_err(|e| self.err(e))?;
        let mut hits: Vec<(i64, Hit)> = Vec::new();
        // Packages such as a kernel are named by thousands of advisories: find earlier hits of
        // the same advisory by index, not by scanning.
        let mut hit_index: HashMap<i64, usize> = HashMap::new();
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let id: i64 = row.get(0).map_err(|e| self.err(e))?;
            let Ok(bytes) = row.get_ref(1).map_err(|e| self.err(e))?.as_bytes() else {
                continue;
            };
            // A damaged row loses its own entry, not the scan.
            let Ok(h) = matching::evaluate_packed(scheme, bytes, version) else {
                continue;
            };
            if let Some(h) = h {
                match hit_index.get(&id) {
                    Some(&i) => {
                        let prev = &mut hits[i].1;
                        for f in h.fixed {
                            if !prev.fixed.contains(&f) {
                                prev.fixed.push(f);
                            }
                        }
                    }
                    None => {
                        hit_index.insert(id, hits.len());
                        hits.push((id, h));
                    }
                }
            }
        }
        drop(rows);
        if hits.is_empty() {
            return Ok(Vec::new());
        }
        let mut records = Vec::with_capacity(hits.len());
        for (id, hit) in hits {
            if !q.cache.contains_key(&id) {
                let stored: Option<Option<StoredAdvisory>> = q
                    .advisory
                    .query_row([id], |r| {
                        Ok(r.get_ref(0)?
                            .as_bytes()
                            .ok()
                            .and_then(|d| serde_json::from_slice::<StoredAdvisory>(d).ok()))
                    })
                    .optional()
                    .map_err(|e| self.err(e))?;
                let Some(stored) = stored.flatten() else {
                    continue;
                };
                q.cache.insert(id, Rc::new(Record::from(stored)));
            }
            if let Some(stored) = q.cache.get(&id) {
                records.push((Rc::clone(stored), hit.fixed));
            }
        }
        Ok(merge(records, scheme))
    }
}

/// Statements of the matching hot path, prepared once per call or batch, and the advisories
/// already decoded in that batch.
struct Queries<'c> {
    affected: rusqlite::Statement<'c>,
    advisory: rusqlite::Statement<'c>,
    cache: HashMap<i64, Rc<Record>>,
}

impl<'c> Queries<'c> {
    fn new(conn: &'c Connection) -> std::result::Result<Self, rusqlite::Error> {
        Ok(Queries {
            affected: conn.prepare(
                "SELECT advisory, spec FROM affected WHERE ecosystem = ?1 AND name = ?2",
            )?,
            advisory: conn.prepare("SELECT data FROM advisories WHERE id = ?1")?,
            cache: HashMap::with_capacity(4096),
        })
    }
}

fn sqlite_err(path: &Path, source: rusqlite::Error) -> Error {
    Error::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}

/// A stored record decoded once per batch, in the shape advisories share.
struct Record {
    /// The record's own id and aliases, for merging records that name each other.
    id: String,
    ids: Vec<String>,
    /// What an advisory built from this record alone reports.
    primary: String,
    others: Arc<[String]>,
    summary: Arc<str>,
    severity: Option<Severity>,
    cvss_score: Option<f64>,
    cvss_vector: Option<Arc<str>>,
    references: Arc<[String]>,
    published: Option<Arc<str>>,
    modified: Option<Arc<str>>,
}

impl From<StoredAdvisory> for Record {
    fn from(r: StoredAdvisory) -> Self {
        let mut ids: Vec<String> = std::iter::once(r.id.clone()).chain(r.aliases).collect();
        ids.sort();
        ids.dedup();
        let primary = ids
            .iter()
            .find(|i| i.starts_with("CVE-"))
            .unwrap_or(&r.id)
            .clone();
        let others = ids.iter().filter(|i| **i != primary).cloned().collect();
        Record {
            id: r.id,
            ids,
            primary,
            others,
            summary: r.summary.into(),
            severity: r.severity,
            cvss_score: r.cvss_score,
            cvss_vector: r.cvss_score.and(r.cvss_vector).map(Arc::from),
            // Distinct already: the import stores each record's references once.
            references: r.references.into(),
            published: r.published.map(Arc::from),
            modified: r.modified.map(Arc::from),
        }
    }
}

/// The advisory of a record no other matching record names: the common case, built without
/// the bookkeeping of a merge (same result as merging a group of one).
fn single(r: &Record, fixed: Vec<String>, scheme: Option<Scheme>) -> Advisory {
    let mut fixed = fixed;
    if let Some(s) = scheme {
        sort_versions(s, &mut fixed);
    }
    Advisory {
        id: r.primary.clone(),
        aliases: Arc::clone(&r.others),
        summary: Arc::clone(&r.summary),
        severity: r.severity,
        cvss_score: r.cvss_score,
        cvss_vector: r.cvss_vector.clone(),
        fixed,
        references: Arc::clone(&r.references),
        published: r.published.clone(),
        modified: r.modified.clone(),
    }
}

/// Merges records that share an id (directly or through aliases) into one advisory each.
fn merge(records: Vec<(Rc<Record>, Vec<String>)>, scheme: Option<Scheme>) -> Vec<Advisory> {
    let n = records.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, (r, _)) in records.iter().enumerate() {
        for id in &r.ids {
            match owner.get(id.as_str()) {
                Some(&j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    if a != b {
                        parent[a] = b;
                    }
                }
                None => {
                    owner.insert(id, i);
                }
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    let mut slots: Vec<Option<(Rc<Record>, Vec<String>)>> = records.into_iter().map(Some).collect();
    let mut out: Vec<Advisory> = groups
        .into_values()
        .filter_map(|mut members| {
            if let [only] = members[..] {
                let (record, fixed) = slots[only].take()?;
                return Some(single(&record, fixed, scheme));
            }
            let group: Vec<(Rc<Record>, Vec<String>)> = {
                members.sort_by(|&a, &b| {
                    let id = |m: usize| slots[m].as_ref().map(|(r, _)| r.id.as_str());
                    id(a).cmp(&id(b))
                });
                members.iter().filter_map(|&m| slots[m].take()).collect()
            };
            Some(merged(&group, scheme))
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// One advisory from records that name each other, sorted by their own ids.
fn merged(group: &[(Rc<Record>, Vec<String>)], scheme: Option<Scheme>) -> Advisory {
    let mut ids: BTreeSet<String> = BTreeSet::new();
    for (r, _) in group {
        ids.extend(r.ids.iter().cloned());
    }
    let primary = ids
        .iter()
        .find(|i| i.starts_with("CVE-"))
        .cloned()
        .unwrap_or_else(|| group[0].0.id.clone());
    ids.remove(&primary);
    let best_cvss = group
        .iter()
        .filter_map(|(r, _)| r.cvss_score.map(|s| (s, r)))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, r)| r);
    let mut fixed: Vec<String> = Vec::new();
    let mut references: Vec<String> = Vec::new();
    for (r, f) in group {
        for f in f {
            if !fixed.contains(f) {
                fixed.push(f.clone());
            }
        }
        for reference in r.references.iter() {
            if !references.contains(reference) {
                references.push(reference.clone());
            }
        }
    }
    if let Some(s) = scheme {
        sort_versions(s, &mut fixed);
    }
    Advisory {
        id: primary,
        aliases: ids.into_iter().collect(),
        summary: group
            .iter()
            .map(|(r, _)| &r.summary)
            .find(|s| !s.is_empty())
            .cloned()
            .unwrap_or_else(|| Arc::from("")),
        severity: group.iter().filter_map(|(r, _)| r.severity).max(),
        cvss_score: best_cvss.and_then(|r| r.cvss_score),
        cvss_vector: best_cvss.and_then(|r| r.cvss_vector.clone()),
        fixed,
        references: references.into(),
        published: group.iter().filter_map(|(r, _)| r.published.clone()).min(),
        modified: group.iter().filter_map(|(r, _)| r.modified.clone()).max(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_prefers_cve_and_unions_fixes() {
        let a = StoredAdvisory {
            id: "GHSA-1".into(),
            aliases: vec!["CVE-2024-1".into()],
            severity: Some(dockguard_core::Severity::High),
            ..StoredAdvisory::default()
        };
        let b = StoredAdvisory {
            id: "PYSEC-9".into(),
            aliases: vec!["CVE-2024-1".into()],
            summary: "x".into(),
            ..StoredAdvisory::default()
        };
        let c = StoredAdvisory {
            id: "GHSA-2".into(),
            ..StoredAdvisory::default()
        };
        let out = merge(
            vec![
                (Rc::new(a.into()), vec!["1.2".into()]),
                (Rc::new(b.into()), vec!["1.1".into()]),
                (Rc::new(c.into()), vec![]),
            ],
            Some(Scheme::Pep440),
        );
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].id, "CVE-2024-1");
        assert_eq!(*out[0].aliases, ["GHSA-1", "PYSEC-9"]);
        assert_eq!(out[0].fixed, vec!["1.1", "1.2"]);
        assert_eq!(&*out[0].summary, "x");
        assert_eq!(out[1].id, "GHSA-2");
        assert!(!out[1].has_fix());
    }
}
